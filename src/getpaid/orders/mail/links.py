"""Mailing a fresh owner link: after a lookup, or when the shop reissues."""

from email import policy
from email.message import EmailMessage
from getpaid.orders import _
from getpaid.orders import logger
from getpaid.orders.language import current_request
from getpaid.orders.language import speaking
from getpaid.orders.mail.confirmation import order_status_url
from getpaid.orders.mail.sending import send_on_commit
from getpaid.orders.mail.sending import shop_name
from plone import api
from zope.i18n import translate


def send_owner_link(order, token: str, why: str) -> bool:
    sender = api.portal.get_registry_record("plone.email_from_address", default="")
    if not sender:
        logger.warning("No site e-mail address: no link mail for %s", order.number)
        return False
    with speaking(order.customer_language):
        message = _owner_link_message(order, token, why, sender)
    send_on_commit([(message, order.email)], sender, f"a link to {order.number}")
    return True


def _owner_link_message(order, token: str, why: str, sender: str) -> EmailMessage:
    shop = shop_name()
    message = EmailMessage(policy=policy.SMTP)
    request = current_request()
    name = f"{order.first_name} {order.last_name}"
    message["Subject"] = translate(
        _(
            "The link to your order ${number} at ${shop}",
            mapping={"number": order.number, "shop": shop},
        ),
        context=request,
    )
    message["From"] = sender
    message["To"] = order.email
    words = [
        _("Dear ${name},", mapping={"name": name}),
        why,
        _(
            "Your order ${number}: ${link}",
            mapping={"number": order.number, "link": order_status_url(token)},
        ),
        _("Keep this link to yourself: it opens your order."),
    ]
    message.set_content(
        "\n\n".join(translate(text, context=request) for text in words) + "\n",
        cte="quoted-printable",
    )
    return message
