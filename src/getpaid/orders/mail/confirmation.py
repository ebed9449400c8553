"""The order confirmation, and the shop's New order mail, when an order is
placed (``OrderPlacedEvent``).

The confirmation carries the order's secret link; the shop's mail never
does: whoever reads a shared shop mailbox must not hold the customer's
order (pay, cancel, share). It links to the order in the back office, in
the site's language, and a reply goes to the customer.

Sent with the transaction's commit (mail/sending.py): an aborted or
conflict-retried checkout sends nothing, and a mail server that is down
can't undo an order already placed. With MailHost's queue on, the mail
waits in the queue until the server is back; without it the failure is
logged, and the order page still offers everything the mail would.
"""

from getpaid.orders import _
from getpaid.orders import logger
from getpaid.orders.api.links import link_url
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.language import site_language
from getpaid.orders.mail.compose import Mail
from getpaid.orders.mail.compose import send
from getpaid.orders.mail.sending import can_mail
from getpaid.orders.mail.sending import shop_name


def on_order_placed(event) -> None:
    if event.owner_token:  # without a link there is nothing to confirm with
        send_confirmation(event.order, event.owner_token)


def send_confirmation(order, token: str, *, tell_shop: bool = True) -> bool:
    """Send the confirmation to the customer, and the shop its New order
    mail unless the shop turned copies off (or ``tell_shop`` is false: a
    resend is no new order), on commit.

    Returns False (and logs) if mail isn't set up; a shop without mail
    still takes orders.
    """
    if not can_mail():
        logger.warning("No site e-mail address: no confirmation for %s", order.number)
        return False
    confirmation = Mail(
        name="confirmation",
        to=order.email,
        subject=_(
            "Your order ${number} at ${shop}",
            mapping={"number": order.number, "shop": shop_name()},
        ),
        language=order.customer_language,
        what=f"confirmation of order {order.number}",
        values={"order": order, "link": link_url(token)},
    )
    shop_email = get_setting("shop_email", "")
    if not (tell_shop and shop_email and get_setting("notify_shop", True)):
        return send(confirmation)
    name = order.customer_name
    new_order = Mail(
        name="new-order",
        to=shop_email,
        subject=_(
            "New order ${number} from ${name}",
            mapping={"number": order.number, "name": name},
        ),
        language=site_language(),  # for the shop's people
        what=f"shop's mail about {order.number}",
        values={"order": order, "link": order.absolute_url()},
        reply_to=order.email,
    )
    return send(confirmation, new_order)
