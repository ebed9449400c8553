"""A note for the customer, mailed to them (``NoteAddedEvent``); internal
notes are never mailed.

The mail speaks the language the customer ordered in, whoever wrote the
note. It carries no owner link: each mail that does mints a new one, and
an order keeps only so many (api/links.py), so notes would retire the
links the customer already holds; the note is on their order's page too.
"""

from getpaid.orders import _
from getpaid.orders import logger
from getpaid.orders.mail.compose import Mail
from getpaid.orders.mail.compose import send
from getpaid.orders.mail.sending import can_mail
from getpaid.orders.mail.sending import shop_name


def on_note_added(event) -> None:
    if event.note.for_customer:
        send_note(event.order, event.note)


def send_note(order, note) -> bool:
    """Mail ``note`` to the order's customer, with the commit."""
    if not can_mail():
        logger.warning("No site e-mail address: no note mailed for %s", order.number)
        return False
    mail = Mail(
        name="note",
        to=order.email,
        subject=_(
            "A note about your order ${number} at ${shop}",
            mapping={"number": order.number, "shop": shop_name()},
        ),
        language=order.customer_language,
        what=f"note mail of {order.number}",
        values={"order": order, "note": note},
    )
    return send(mail)
