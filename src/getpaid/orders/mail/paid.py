"""Telling the customer their payment arrived (on IOrderPaidEvent)."""

from email import policy
from email.message import EmailMessage
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.mail.sending import send_after_commit
from plone import api


def payment_received(event) -> None:
    order = event.order
    sender = api.portal.get_registry_record("plone.email_from_address", default="")
    if not sender:
        return
    shop = get_setting("shop_name", "") or api.portal.get().Title()
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = f"Payment received for your order {order.number}"
    message["From"] = sender
    message["To"] = order.email
    message.set_content(
        f"Dear {order.first_name} {order.last_name},\n\n"
        f"we received your payment of {order.total} {order.currency} for order "
        f"{order.number} at {shop}. Thank you!\n",
        cte="quoted-printable",
    )
    send_after_commit(
        [(message, order.email)], sender, f"the payment notice of {order.number}"
    )
