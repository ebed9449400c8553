"""Owner links handed to the customer by mail, and only by mail.

A lost link looked up, leaked links replaced by staff, the order mail sent
again, a payment link: each verb makes a new owner link and fires
``OwnerLinkIssuedEvent`` with its token and why; a subscriber mails it with
the commit (mail/links.py). Pages and REST call these verbs and show no
token. Each refuses (MailUnavailable, changing nothing) when the site can't
send mail: the new link would reach nobody.
"""

from getpaid.orders import _
from getpaid.orders.api.access import access
from getpaid.orders.api.access import OWNER_LINK
from getpaid.orders.api.history import add_history
from getpaid.orders.api.links import create_link
from getpaid.orders.api.links import OWNER
from getpaid.orders.api.links import revoke_links
from getpaid.orders.api.orders import get_order
from getpaid.orders.events import OwnerLinkIssuedEvent
from getpaid.orders.exceptions import MailUnavailable
from getpaid.orders.exceptions import NotAwaitingPayment
from getpaid.orders.exceptions import OrderNotFound
from getpaid.orders.mail.sending import can_mail
from getpaid.orders.mail.sending import NO_MAIL
from getpaid.orders.workflow import SOURCE_MANAGER
from zope.event import notify


# Why a link is mailed (OwnerLinkIssuedEvent.reason).
LOOKUP = "lookup"  # the customer asked for it (@@order-lookup)
REISSUE = "reissue"  # staff replaced every link of the order
RESEND = "resend"  # staff sent the order mail (the confirmation) again
PAYMENT_LINK = "payment link"  # staff sent a link to pay


def _check_mail() -> None:
    if not can_mail():
        raise MailUnavailable(NO_MAIL)


def mail_owner_link(order, reason: str) -> str:
    """Make a new owner link and have it mailed to the customer; its token.

    ``reason`` says why (LOOKUP, RESEND, PAYMENT_LINK…), and which mail the
    customer gets: RESEND the confirmation, the others a mail with the link.
    """
    _check_mail()
    token = create_link(order, OWNER)
    notify(OwnerLinkIssuedEvent(order, token, reason))
    return token


def resend_order_mail(order) -> str:
    """The confirmation again, with a new owner link (no New order mail to
    the shop: it is no new order)."""
    return mail_owner_link(order, RESEND)


def send_payment_link(order) -> str:
    """A link to pay, for an order its owner link would be invited to pay
    (api/access.py; else NotAwaitingPayment: paying a paid order twice, or
    again while a payment is on its way, makes no sense)."""
    if not access(order, OWNER_LINK).may_pay:
        raise NotAwaitingPayment(
            _("The order is not waiting for payment: no payment link was sent.")
        )
    return mail_owner_link(order, PAYMENT_LINK)


def mail_lost_link(number: str, email: str) -> None:
    """A customer lost their link: if the order ``number`` was placed with
    ``email``, a new owner link goes to that address.

    Says nothing of whether they matched, and writes nothing if they don't;
    MailUnavailable whatever the order (which tells nothing about one).
    """
    _check_mail()
    email = (email or "").strip().lower()
    try:
        order = get_order((number or "").strip().upper())
    except OrderNotFound:
        return
    if email and order.email.strip().lower() == email:
        mail_owner_link(order, LOOKUP)


def reissue_links(order, *, source: str = SOURCE_MANAGER) -> str:
    """Replace every secret link of the order, for one that leaked: revoke
    them all, make a new owner link, note it in the history and have it
    mailed to the customer; its token.

    MailUnavailable, changing nothing, if the site can't send mail: the
    customer would lose their order for good.
    """
    _check_mail()
    revoke_links(order)
    token = create_link(order, OWNER)
    add_history(
        order,
        source=source,
        action="links reissued",
        comment="Every secret link revoked; a new owner link mailed.",
    )
    notify(OwnerLinkIssuedEvent(order, token, REISSUE))
    return token
