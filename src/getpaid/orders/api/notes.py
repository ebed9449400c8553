"""Staff's notes on an order: for its customer, or internal.

A note is kept on the order as written, with who wrote it and when
(``order.notes``, oldest first), and the history says one was added (not
what it says: the note keeps its words, once). A note for the customer is
shown on their page (api/access.py says who that is) and mailed to them
in their language by a subscriber to ``NoteAddedEvent`` (mail/notes.py);
an internal note only staff read, and it is never mailed. Pages and REST
call ``add_note`` and show what it refuses.
"""

from datetime import datetime
from datetime import UTC
from getpaid.orders import _
from getpaid.orders.api.characters import refused_character
from getpaid.orders.api.history import add_history
from getpaid.orders.api.history import current_actor
from getpaid.orders.api.links import check_has_customer
from getpaid.orders.content.note import Note
from getpaid.orders.events import NoteAddedEvent
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.workflow import SOURCE_MANAGER
from zope.event import notify


MAX_NOTE = 5000  # characters, as the customer's comment
# What the history records for each kind of note.
CUSTOMER_NOTE = "customer note"
INTERNAL_NOTE = "internal note"


def note_text(text) -> str:
    """The note's words, surrounding space trimmed; InvalidValue if they
    won't do: none, too many, or a character that can't be printed."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise InvalidValue(_("A note is text."))
    text = text.strip()
    if not text:
        raise InvalidValue(_("A note needs some text."))
    if len(text) > MAX_NOTE:
        raise InvalidValue(
            _(
                "A note may be at most ${max} characters long.",
                mapping={"max": MAX_NOTE},
            )
        )
    if refused_character(text, multiline=True) is not None:
        raise InvalidValue(
            _(
                "${field} contains a character that can't be printed.",
                mapping={"field": _("Note")},
            )
        )
    return text


def add_note(order, text, *, for_customer: bool) -> Note:
    """Add a note by the current user (staff): ``for_customer`` to be shown
    to the order's customer and mailed to them, else for staff only.

    Refuses (InvalidValue) before anything is written; fires NoteAddedEvent.
    """
    if not isinstance(for_customer, bool):
        raise InvalidValue(
            _("Say whether the note is for the customer: true or false.")
        )
    if for_customer:
        check_has_customer(order)
    note = Note(
        when=datetime.now(UTC),
        author=current_actor(),
        text=note_text(text),
        for_customer=for_customer,
    )
    order.notes = (*order.notes, note)
    add_history(
        order,
        source=SOURCE_MANAGER,
        action=CUSTOMER_NOTE if for_customer else INTERNAL_NOTE,
    )
    notify(NoteAddedEvent(order, note))
    return note
