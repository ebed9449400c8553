"""Mailing links: a fresh owner link (``OwnerLinkIssuedEvent``: a lookup,
staff replacing the links, a payment link, the order mail sent again), and a
member's link to claim their earlier orders."""

from getpaid.orders import _
from getpaid.orders import logger
from getpaid.orders.api.links import link_url
from getpaid.orders.api.owner_links import RESEND
from getpaid.orders.language import current_language
from getpaid.orders.mail.compose import Mail
from getpaid.orders.mail.compose import send
from getpaid.orders.mail.confirmation import send_confirmation
from getpaid.orders.mail.sending import can_mail
from getpaid.orders.mail.sending import shop_name


def on_owner_link_issued(event) -> None:
    if event.reason == RESEND:
        send_confirmation(event.order, event.owner_token, tell_shop=False)
    else:
        send_owner_link(event.order, event.owner_token, event.reason)


def send_owner_link(order, token: str, reason: str) -> bool:
    """The link mail, saying why it came (``reason``, api/owner_links.py)."""
    if not can_mail():
        logger.warning("No site e-mail address: no link mail for %s", order.number)
        return False
    mail = Mail(
        name="owner-link",
        to=order.email,
        subject=_(
            "The link to your order ${number} at ${shop}",
            mapping={"number": order.number, "shop": shop_name()},
        ),
        language=order.customer_language,
        what=f"link mail of {order.number}",
        values={"order": order, "link": link_url(token), "reason": reason},
    )
    return send(mail)


def send_claim_link(email: str, link: str) -> bool:
    """A member's claim link, in the language they asked in."""
    mail = Mail(
        name="claim",
        to=email,
        subject=_("Attach your earlier orders to your account"),
        language=current_language(),
        what="claim link",
        values={"link": link},
    )
    return send(mail)
