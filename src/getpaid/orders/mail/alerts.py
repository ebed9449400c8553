"""Telling the shop that an order needs a person: a payment that doesn't fit."""

from email import policy
from email.message import EmailMessage
from getpaid.orders import logger
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.mail.sending import send_on_commit
from plone import api


def alert_shop(order, reason: str) -> bool:
    shop_email = get_setting("shop_email", "")
    sender = api.portal.get_registry_record("plone.email_from_address", default="")
    if not (shop_email and sender):
        logger.warning(
            "Order %s needs attention (no shop e-mail): %s", order.number, reason
        )
        return False
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = f"Order {order.number} needs attention"
    message["From"] = sender
    message["To"] = shop_email
    message.set_content(
        f"Order {order.number}: {reason}\n\n{order.absolute_url()}\n",
        cte="quoted-printable",
    )
    send_on_commit([(message, shop_email)], sender, f"an alert on {order.number}")
    return True
