"""Placing and changing orders through the domain layer."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.api.lines import build_lines
from getpaid.orders.api.lines import MAX_LINES
from getpaid.orders.events import IOrderPlacedEvent
from getpaid.orders.exceptions import CurrencyMismatch
from getpaid.orders.exceptions import EmptyOrder
from getpaid.orders.exceptions import InvalidCustomer
from getpaid.orders.exceptions import InvalidQuantity
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import NotBuyable
from getpaid.orders.exceptions import OrderNotEditable
from getpaid.orders.exceptions import OrderNotFound
from getpaid.orders.exceptions import TooManyLines
from plone import api
from zope.component import getGlobalSiteManager

import dataclasses
import pytest


@pytest.fixture
def mug(make_product):
    return make_product("mug", "12.50", title="Blue mug", sku="MUG-1")


@pytest.fixture
def shirt(make_product):
    return make_product("shirt", "25.00", title="T-shirt")


def test_place_order(portal, mug, shirt, customer):
    order = shop.place_order([(mug, 2), (shirt, 1)], customer, comment="Gift wrap")
    assert order.aq_parent.aq_base is portal["orders"].aq_base
    assert order.getId() == order.number
    assert api.content.get_state(order) == "created"
    assert (order.first_name, order.last_name) == ("Ada", "Lovelace")
    assert order.billing_country == "GB"
    assert order.shipping_street is None
    assert order.comment == "Gift wrap"
    assert order.currency == "EUR"
    assert [(line.snapshot.display_name, line.quantity) for line in order.lines] == [
        ("Blue mug", 2),
        ("T-shirt", 1),
    ]
    assert order.total == Decimal("50.00")
    assert shop.get_order(order.number) == order


def test_same_product_twice_is_one_line(mug, customer):
    order = shop.place_order([(mug, 1), (mug, 2)], customer)
    assert [line.quantity for line in order.lines] == [3]
    assert order.total == Decimal("37.50")


def test_the_placed_event(mug, customer):
    seen = []
    gsm = getGlobalSiteManager()
    gsm.registerHandler(seen.append, (IOrderPlacedEvent,))
    try:
        order = shop.place_order([(mug, 1)], customer)
    finally:
        gsm.unregisterHandler(seen.append, (IOrderPlacedEvent,))
    assert [event.order for event in seen] == [order]


def test_buyer_owns_the_order(mug, customer):
    order = shop.place_order([(mug, 1)], customer, buyer_id="member1")
    assert order.buyer_id == "member1"
    assert order.get_local_roles() == (("member1", ("Owner",)),)


def test_anonymous_order_has_no_owner_role(mug, customer):
    order = shop.place_order([(mug, 1)], customer)
    assert order.buyer_id is None
    assert order.get_local_roles() == ()


@pytest.mark.parametrize(
    "quantity,error",
    [
        (0, InvalidQuantity),
        (-1, InvalidQuantity),
        (1.5, InvalidQuantity),
        ("2", InvalidQuantity),
        (True, InvalidQuantity),
        (1000, InvalidQuantity),  # more than a line takes
    ],
)
def test_bad_quantities_refused(portal, mug, customer, quantity, error):
    with pytest.raises(error):
        shop.place_order([(mug, quantity)], customer)
    assert list(portal["orders"].objectIds()) == []


def test_mixed_currencies_refused(portal, mug, make_product, customer):
    dollars = make_product("book", "9.99", currency="USD")
    with pytest.raises(CurrencyMismatch, match="EUR, USD"):
        shop.place_order([(mug, 1), (dollars, 1)], customer)
    assert list(portal["orders"].objectIds()) == []


def test_empty_order_refused(customer):
    with pytest.raises(EmptyOrder):
        shop.place_order([], customer)


def test_not_for_sale_refused(portal, mug, customer):
    mug.for_sale = False
    with pytest.raises(NotBuyable):
        shop.place_order([(mug, 1)], customer)
    with pytest.raises(NotBuyable):
        shop.place_order([(portal, 1)], customer)


BIDI_OVERRIDES = "\u202a\u202b\u202c\u202d\u202e"  # and embeddings
BIDI_ISOLATES = "\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize(
    "change",
    [
        {"first_name": " "},
        {"email": "not-an-address"},
        {"billing": shop.Address("", "1", "X", "DE")},
        {"billing": shop.Address("1 Road", "1", "X", "XX")},
        {"last_name": "Null\x00"},
        {"billing": shop.Address("1 Road\x07", "1", "X", "DE")},
        {"phone": "+32\t1"},
        # A lone surrogate: bytes that weren't UTF-8, which no mail can carry.
        {"first_name": "A\ud800"},
        {"billing": shop.Address("1 Road", "1", "\udcff\udcfe", "DE")},
        # Bidi overrides, embeddings and isolates: text that reads backwards.
        *({"last_name": f"{char}ecalevoL"} for char in BIDI_OVERRIDES),
        *({"first_name": f"Ada{char}"} for char in BIDI_ISOLATES),
        {"billing": shop.Address("1 Road\u202e", "1", "X", "DE")},
        {"last_name": "Love\u200blace"},  # a zero-width space
        {"phone": "\ue000"},  # private use
    ],
    ids=repr,
)
def test_bad_customer_refused(portal, mug, customer, change):
    with pytest.raises(InvalidCustomer):
        shop.place_order([(mug, 1)], dataclasses.replace(customer, **change))
    assert list(portal["orders"].objectIds()) == []


@pytest.mark.parametrize(
    "first_name, last_name",
    [
        # Persian, a zero-width non-joiner in the first name
        ("\u0645\u0647\u200c\u0646\u0627\u0632", "\u06a9\u06cc\u0627\u0646\u06cc"),
        # Devanagari, a zero-width joiner in the first name
        ("\u0915\u094d\u200d\u0937", "\u0936\u0930\u094d\u092e\u093e"),
    ],
)
def test_joiners_belong_in_names(mug, customer, first_name, last_name):
    who = dataclasses.replace(customer, first_name=first_name, last_name=last_name)
    order = shop.place_order([(mug, 1)], who)
    assert (order.first_name, order.last_name) == (first_name, last_name)


def test_the_comment_is_held_to_the_schema(portal, mug, customer):
    with pytest.raises(InvalidCustomer) as refused:
        shop.place_order([(mug, 1)], customer, comment="x" * 5001)
    assert refused.value.field == "comment"
    with pytest.raises(InvalidCustomer):
        shop.place_order([(mug, 1)], customer, comment="Gift\u202e wrap")
    assert list(portal["orders"].objectIds()) == []
    said = "Gift wrap, please.\r\nRing twice.\t"  # lines and tabs: a comment's
    comment = said + "x" * (5000 - len(said))  # the most the schema allows
    order = shop.place_order([(mug, 1)], customer, comment=comment)
    assert order.comment == comment


def test_unknown_order(portal):
    with pytest.raises(OrderNotFound):
        shop.get_order("261122-ZZZZZ")
    with pytest.raises(OrderNotFound):
        shop.get_order("..")


def test_set_lines_keeps_old_snapshots_and_takes_new(mug, shirt, customer):
    order = shop.place_order([(mug, 1)], customer)
    mug.price = Decimal("99.00")  # a price rise after ordering
    shop.set_lines(order, [(mug, 3), (shirt, 2)], source="manager", comment="phone")
    assert [(line.unit_price, line.quantity) for line in order.lines] == [
        (Decimal("12.50"), 3),
        (Decimal("25.00"), 2),
    ]
    assert order.total == Decimal("87.50")
    entry = order.history[-1]
    assert (entry.field, entry.source, entry.comment) == ("lines", "manager", "phone")
    assert entry.old == "1 × Blue mug = 12.50"
    assert entry.new == "3 × Blue mug, 2 × T-shirt = 87.50"


def test_set_lines_by_uid_of_a_deleted_product(portal, mug, shirt, customer):
    order = shop.place_order([(mug, 1), (shirt, 1)], customer)
    mug_uid = order.lines[0].product_uid
    api.content.delete(mug)
    shop.set_lines(order, [(mug_uid, 4)], source="manager")
    assert [(line.snapshot.title, line.quantity) for line in order.lines] == [
        ("Blue mug", 4)
    ]
    assert order.total == Decimal("50.00")


def test_set_lines_refused_once_paid(mug, customer):
    order = shop.place_order([(mug, 1)], customer)
    shop.mark_paid(order)
    with pytest.raises(OrderNotEditable):
        shop.set_lines(order, [(mug, 2)], source="manager")
    assert order.total == Decimal("12.50")


def test_set_lines_keeps_the_currency(mug, make_product, customer):
    order = shop.place_order([(mug, 1)], customer)
    book = make_product("book", "9.99", currency="USD")
    with pytest.raises(CurrencyMismatch):
        shop.set_lines(order, [(book, 1)], source="manager")


def test_update_order_records_history(mug, customer):
    order = shop.place_order([(mug, 1)], customer)
    shop.update_order(
        order, {"message": "Shipped: DHL 123"}, source="manager", comment="shipped"
    )
    assert order.message == "Shipped: DHL 123"
    entry = order.history[-1]
    assert (entry.action, entry.field, entry.old, entry.new) == (
        "edit",
        "message",
        "",
        "Shipped: DHL 123",
    )


def test_the_end_comes_after_the_start(mug, customer):
    order = shop.place_order([(mug, 1)], customer)
    start = datetime(2026, 12, 10, tzinfo=UTC)
    with pytest.raises(InvalidValue, match="end must come after the start"):
        shop.update_order(
            order, {"start": start, "end": start - timedelta(days=9)}, source="manager"
        )
    assert (order.start, order.end) == (None, None)
    shop.update_order(order, {"start": start}, source="manager")
    with pytest.raises(InvalidValue):  # against the start already set
        shop.update_order(order, {"end": start}, source="manager")
    shop.update_order(order, {"end": start + timedelta(days=1)}, source="manager")
    assert order.end - order.start == timedelta(days=1)


def test_the_most_of_one_product_is_accepted(portal, mug, customer):
    order = shop.place_order([(mug, 999)], customer)
    assert order.lines[0].quantity == 999
    with pytest.raises(InvalidQuantity):  # one line: the sum counts
        shop.place_order([(mug, 600), (mug, 600)], customer)


def test_other_edits_leave_a_stored_period_be(mug, customer):
    order = shop.place_order([(mug, 1)], customer)
    start = datetime(2026, 12, 10, tzinfo=UTC)
    order.start, order.end = start, start - timedelta(days=1)  # saved before the rule
    shop.update_order(order, {"message": "Ships Monday"}, source="manager")
    assert order.message == "Ships Monday"


def test_a_time_without_a_zone_is_utc(mug, customer):
    order = shop.place_order([(mug, 1)], customer)
    shop.update_order(
        order, {"start": datetime(2026, 12, 1, tzinfo=UTC)}, source="manager"
    )
    shop.update_order(order, {"end": datetime(2026, 12, 20)}, source="manager")
    assert order.end == datetime(2026, 12, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    "changes",
    [
        {"number": "X"},
        {"currency": "USD"},
        {"email": None},
        {"lines": ()},
        {"email": "x"},  # the checkout's rule for an e-mail address
        {"first_name": "A\ud800"},
        {"last_name": "\u202eecalevoL"},
        {"billing_city": "Town\u2066"},
        {"comment": "x" * 5001},
        {"message": "Shipped\x00"},
        {"first_name": ["Ada"]},
    ],
    ids=repr,
)
def test_update_order_refuses_what_it_may_not_change(mug, customer, changes):
    order = shop.place_order([(mug, 1)], customer)
    before = {name: getattr(order, name) for name in (*changes, "email", "history")}
    with pytest.raises(InvalidValue):
        shop.update_order(order, changes, source="manager")
    assert {name: getattr(order, name) for name in before} == before


def test_more_than_50_lines_are_refused_before_any_is_looked_at():
    # Unknown products would be refused one by one; the count comes first.
    with pytest.raises(TooManyLines) as refused:
        build_lines([(f"no-such-uid-{n}", 1) for n in range(MAX_LINES + 1)])
    assert str(refused.value) == "An order can have at most 50 lines, not 51."
    with pytest.raises(NotBuyable):  # fifty are not too many
        build_lines([(f"no-such-uid-{n}", 1) for n in range(MAX_LINES)])
