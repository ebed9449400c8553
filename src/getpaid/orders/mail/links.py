"""Mailing a fresh owner link: after a lookup, or when the shop reissues."""

from email import policy
from email.message import EmailMessage
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.mail.confirmation import order_status_url
from getpaid.orders.mail.sending import send_after_commit
from plone import api


def send_owner_link(order, token: str, why: str) -> bool:
    sender = api.portal.get_registry_record("plone.email_from_address", default="")
    if not sender:
        return False
    shop = get_setting("shop_name", "") or api.portal.get().Title()
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = f"The link to your order {order.number} at {shop}"
    message["From"] = sender
    message["To"] = order.email
    message.set_content(
        f"Dear {order.first_name} {order.last_name},\n\n{why}\n\n"
        f"Your order {order.number}: {order_status_url(token)}\n\n"
        "Keep this link to yourself: it opens your order.\n",
        cte="quoted-printable",
    )
    send_after_commit([(message, order.email)], sender, f"a link to {order.number}")
    return True
