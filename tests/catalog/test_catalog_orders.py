"""Back-office search, filter and sort are plain catalog queries; the public
search never finds an order."""

from decimal import Decimal
from getpaid.orders import api as shop
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from Products.CMFCore.indexing import processQueue

import pytest


@pytest.fixture
def catalog(portal):
    return portal.portal_catalog


@pytest.fixture
def mug(make_product):
    return make_product("mug", "12.50", title="Mug", sku="MUG-1")


@pytest.fixture
def order(mug, customer):
    return shop.place_order([(mug, 2)], customer)


def numbers(brains):
    return sorted(brain.order_number for brain in brains)


def find(catalog, **query):
    return catalog.unrestrictedSearchResults(portal_type="Order", **query)


@pytest.mark.parametrize(
    "query",
    [
        {"customer_email": "ada@example.org"},
        {"order_search": "lovelace"},
        {"order_search": "ada"},
        {"order_search": "ada@example.org"},
        {"order_search": "mug-1"},
        {"order_search": "mug"},
        {"order_currency": "EUR"},
        {"order_total": {"query": Decimal("20"), "range": "min"}},
        {"review_state": "created"},
    ],
    ids=repr,
)
def test_order_found_by(catalog, order, query):
    assert numbers(find(catalog, **query)) == [order.number]


def test_found_by_number_and_product(catalog, order, mug):
    assert numbers(find(catalog, order_number=order.number)) == [order.number]
    assert numbers(find(catalog, order_search=order.number.lower())) == [order.number]
    uid = api.content.get_uuid(mug)
    assert numbers(find(catalog, product_uids=uid)) == [order.number]


@pytest.mark.parametrize(
    "query",
    [
        {"customer_email": "grace@example.org"},
        {"order_search": "hopper"},
        {"order_currency": "USD"},
        {"order_total": {"query": Decimal("25.01"), "range": "min"}},
        {"review_state": "paid"},
    ],
    ids=repr,
)
def test_order_not_found_by(catalog, order, query):
    assert numbers(find(catalog, **query)) == []


def test_metadata_for_listings(catalog, order):
    (brain,) = find(catalog, order_number=order.number)
    assert (brain.first_name, brain.last_name) == ("Ada", "Lovelace")
    assert brain.product_titles == ("Mug",)
    assert brain.order_total == Decimal("25.00")
    assert brain.order_currency == "EUR"
    assert brain.review_state == "created"
    assert brain.created is not None


def test_payment_and_state_reindexed(catalog, order):
    shop.record_payment(
        order,
        provider="paypal",
        txn_id="TXN-42",
        status="Completed",
        amount="25.00",
        currency="EUR",
    )
    shop.mark_paid(order)
    assert numbers(find(catalog, payment_txn_ids="TXN-42")) == [order.number]
    assert numbers(find(catalog, review_state="paid")) == [order.number]
    assert numbers(find(catalog, order_search="txn-42")) == [order.number]


def test_sort_by_customer_surname(catalog, make_product, customer):
    mug = make_product("mug", "1.00")
    names = [("Grace", "Hopper"), ("Alan", "Turing"), ("Ada", "Lovelace")]
    for first, last in names:
        who = customer.__class__(
            **{**vars(customer), "first_name": first, "last_name": last}
        )
        shop.place_order([(mug, 1)], who)
    brains = find(catalog, sort_on="customer_sortable")
    assert [brain.last_name for brain in brains] == ["Hopper", "Lovelace", "Turing"]


def test_sort_by_total(catalog, make_product, customer):
    for quantity in (3, 1, 2):
        shop.place_order([(make_product(f"p{quantity}", "10.00"), quantity)], customer)
    brains = find(catalog, sort_on="order_total", sort_order="descending")
    assert [brain.order_total for brain in brains] == [
        Decimal("30.00"),
        Decimal("20.00"),
        Decimal("10.00"),
    ]


def test_anonymous_finds_no_order(portal, catalog, order):
    assert len(catalog(portal_type="Order")) == 1  # the Manager's view
    logout()
    assert len(catalog(portal_type="Order")) == 0
    assert len(catalog(order_number=order.number)) == 0
    assert len(catalog(customer_email="ada@example.org")) == 0


def test_site_search_never_lists_orders(catalog, order):
    """Not even for a Manager: orders are not site content; products are."""
    found = {brain.portal_type for brain in catalog(SearchableText="Mug")}
    assert found == {"Product"}
    assert len(catalog(SearchableText="Lovelace")) == 0
    assert len(catalog(SearchableText=order.number)) == 0
    # Nor their Title: a new word per order is a lexicon write checkouts collide on.
    assert len(catalog(Title=order.number)) == 0


def test_members_find_only_their_own_orders(portal, catalog, mug, customer):
    for user_id in ("alice", "bob"):
        api.user.create(email=f"{user_id}@example.org", username=user_id)
    alices = shop.place_order([(mug, 1)], customer, buyer_id="alice")
    shop.place_order([(mug, 1)], customer, buyer_id="bob")

    login(portal, "alice")
    assert numbers(catalog(portal_type="Order")) == [alices.number]
    assert numbers(catalog(buyer_id="bob")) == []


def indexes_holding(catalog, obj) -> set:
    """The catalog indexes that have an entry for ``obj``."""
    rid = catalog.getrid("/".join(obj.getPhysicalPath()))
    indexes = catalog._catalog
    return {
        name
        for name in indexes.indexes
        if indexes.getIndex(name).getEntryForObject(rid, None) not in (None, [], ())
    }


def test_an_order_is_only_in_the_indexes_order_searches_use(catalog, order):
    """Each index is a BTree every checkout writes: fewer, fewer conflicts."""
    from getpaid.orders.content.order import ORDER_INDEXES

    processQueue()
    held = indexes_holding(catalog, order)
    assert {"order_number", "allowedRolesAndUsers", "review_state", "UID"} <= held
    assert held <= set(ORDER_INDEXES)
    assert not held & {"getId", "id", "Title", "Creator", "object_provides"}

    order.reindexObject()
    order.reindexObject(idxs=["Title", "sortable_title"])  # none of ours
    processQueue()
    assert indexes_holding(catalog, order) <= set(ORDER_INDEXES)
    # The metadata is whole: listings read it.
    (brain,) = find(catalog, order_number=order.number)
    assert (brain.getId, brain.review_state) == (order.number, "created")


def test_a_payment_is_only_in_plones_own_indexes(catalog, order):
    """No query looks for a payment; Plone's listings and security do."""
    from getpaid.orders.content.indexing import PLONE_INDEXES

    payment = shop.record_payment(
        order,
        provider="paypal",
        txn_id="TXN-43",
        status="Completed",
        amount="25.00",
        currency="EUR",
    )
    processQueue()
    held = indexes_holding(catalog, payment)
    assert {"path", "portal_type", "allowedRolesAndUsers", "UID"} <= held
    assert held <= set(PLONE_INDEXES)
    assert not held & {"getId", "Title", "SearchableText", "object_provides"}
    # The order's listing through the catalog still shows it.
    children = catalog.unrestrictedSearchResults(
        path={"query": "/".join(order.getPhysicalPath()), "depth": 1}
    )
    assert [brain.getId for brain in children] == [payment.getId()]


def test_products_stay_in_every_index_they_fill(catalog, mug):
    processQueue()
    assert {"getId", "Title", "SearchableText", "object_provides"} <= (
        indexes_holding(catalog, mug)
    )
