"""A mail to the customer (and a copy to the shop) for each state an order reaches.

Each mail is the view ``@@getpaid-mail-<state>`` (mail/compose.py); the
shop's copy is the same view with ``for_shop``, which links to the order in
the back office instead of carrying a secret link (a shared mailbox must
not hold the customer's order). Where it helps (pay again after a failure,
follow a delivery) the customer's mail carries a fresh owner link: tokens
are never stored, so each mail mints one.
"""

from getpaid.orders import _
from getpaid.orders import logger
from getpaid.orders.api.links import create_link
from getpaid.orders.api.links import link_url
from getpaid.orders.api.links import OWNER
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.language import site_language
from getpaid.orders.mail.compose import Mail
from getpaid.orders.mail.compose import send
from getpaid.orders.mail.sending import can_mail


# State -> (subject, include an owner link). "created" has the confirmation.
STATE_MAILS = {
    "paid": (_("Payment received for your order ${number}"), False),
    "payment_failed": (_("The payment for your order ${number} failed"), True),
    "timeout": (_("Your order ${number} was not paid in time"), False),
    "canceled": (_("Your order ${number} has been canceled"), False),
    "delivered": (_("Your order ${number} is on its way"), True),
    "completed": (_("Your order ${number} is complete"), False),
    "expired": (_("Your purchase in order ${number} has ended"), False),
    "refunded": (_("Your order ${number} has been refunded"), False),
}


def back_office_url(order) -> str:
    """The order's page for staff; "" when nobody could open the URL (a cron
    job's request knows no host: ``http://nohost``)."""
    url = order.absolute_url()
    return "" if url.startswith("http://nohost") else url


def on_state_changed(event) -> None:
    order, state = event.order, event.new_state
    if state not in STATE_MAILS:
        return
    if not can_mail():
        logger.warning("No site e-mail address: no %s mail for %s", state, order.number)
        return
    subject, with_link = STATE_MAILS[state]
    subject = _(subject, mapping={"number": order.number})
    link = link_url(create_link(order, OWNER)) if with_link else ""
    mail = Mail(
        name=state,
        to=order.email,
        subject=subject,
        language=order.customer_language,
        what=f"{state} mail of {order.number}",
        values={"order": order, "link": link},
    )
    copy = None
    shop_email = get_setting("shop_email", "")
    if shop_email and get_setting("notify_shop", True):
        copy = Mail(
            name=state,
            to=shop_email,
            subject=subject,
            language=site_language(),  # the shop's people read it
            what=f"shop's copy of {order.number}",
            values={"order": order, "link": back_office_url(order), "for_shop": True},
        )
    send(mail, copy)
