"""Staff's notes on an order (api/notes.py): the rules, once, and who reads
which (api/access.py, api/projection.py)."""

from getpaid.orders import api as shop
from getpaid.orders.api.access import access
from getpaid.orders.api.access import BUYER
from getpaid.orders.api.access import OWNER_LINK
from getpaid.orders.api.access import SHARE_LINK
from getpaid.orders.api.access import STAFF
from getpaid.orders.api.notes import CUSTOMER_NOTE
from getpaid.orders.api.notes import INTERNAL_NOTE
from getpaid.orders.api.notes import MAX_NOTE
from getpaid.orders.api.projection import order_data
from getpaid.orders.events import INoteAddedEvent
from getpaid.orders.exceptions import InvalidValue
from plone.app.testing import TEST_USER_ID
from zope.component import getGlobalSiteManager

import pytest


@pytest.fixture
def order(make_product, customer):
    return shop.place_order([(make_product("mug", "12.50"), 1)], customer)


@pytest.fixture
def fired():
    events = []
    manager = getGlobalSiteManager()
    manager.registerHandler(events.append, (INoteAddedEvent,))
    yield events
    manager.unregisterHandler(events.append, (INoteAddedEvent,))


def test_a_note_is_kept_with_who_and_when_and_the_history_says_so(order, fired):
    history = len(order.history)
    note = shop.add_note(order, "  Ships Monday.\nThanks!  ", for_customer=True)
    internal = shop.add_note(order, "Called her; prefers DHL.", for_customer=False)
    assert order.notes == (note, internal)
    assert (note.text, note.author, note.for_customer) == (
        "Ships Monday.\nThanks!",
        TEST_USER_ID,
        True,
    )
    assert note.when.tzinfo is not None and note.when <= internal.when
    added = order.history[history:]
    assert [(e.action, e.source, e.actor) for e in added] == [
        (CUSTOMER_NOTE, "manager", TEST_USER_ID),
        (INTERNAL_NOTE, "manager", TEST_USER_ID),
    ]
    assert [(e.order, e.note) for e in fired] == [(order, note), (order, internal)]


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "needs some text"),
        (" \n\t ", "needs some text"),
        (None, "needs some text"),
        ("x" * (MAX_NOTE + 1), f"at most {MAX_NOTE}"),
        ("Ships \u202eMonday", "can't be printed"),
        ("Ships\x00Monday", "can't be printed"),
        (["Ships", "Monday"], "is text"),
        (42, "is text"),
    ],
    ids=["empty", "blank", "none", "too long", "bidi", "nul", "list", "number"],
)
def test_text_that_wont_do_is_refused_and_nothing_kept(order, fired, text, words):
    history = order.history
    with pytest.raises(InvalidValue) as refused:
        shop.add_note(order, text, for_customer=True)
    assert words in str(refused.value)
    assert (order.notes, order.history, fired) == ((), history, [])


def test_the_longest_note_is_taken(order):
    note = shop.add_note(order, "x" * MAX_NOTE, for_customer=False)
    assert note.text == "x" * MAX_NOTE


@pytest.mark.parametrize("for_customer", ["yes", 1, None])
def test_for_whom_is_yes_or_no(order, for_customer):
    with pytest.raises(InvalidValue):
        shop.add_note(order, "Ships Monday.", for_customer=for_customer)
    assert order.notes == ()


def notes_seen_by(order, viewer):
    return order_data(order, access(order, viewer), base_url="https://x").get("notes")


def test_each_viewer_reads_what_access_allows(order):
    shop.add_note(order, "For you", for_customer=True)
    shop.add_note(order, "Between us", for_customer=False)
    staff = notes_seen_by(order, STAFF)
    assert [(n["text"], n["for_customer"], n["author"]) for n in staff] == [
        ("For you", True, TEST_USER_ID),
        ("Between us", False, TEST_USER_ID),
    ]
    for viewer in (BUYER, OWNER_LINK):
        (note,) = notes_seen_by(order, viewer)
        assert set(note) == {"when", "text"} and note["text"] == "For you"
    assert notes_seen_by(order, SHARE_LINK) is None
