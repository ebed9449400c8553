"""The buyable behavior: on Product, and on any type an integrator picks."""

from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.behaviors.buyable import IBuyable
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from zope.interface import Invalid

import pytest


BEHAVIOR = "getpaid.orders.buyable"


@pytest.fixture
def buyable_documents(portal):
    fti = portal.portal_types["Document"]
    fti.behaviors = (*fti.behaviors, BEHAVIOR)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return fti


def test_product_has_the_behavior(portal):
    assert BEHAVIOR in portal.portal_types["Product"].behaviors


def test_any_type_can_be_sold(portal, buyable_documents, customer):
    page = api.content.create(
        container=portal,
        type="Document",
        id="consulting",
        title="Consulting hour",
        price=Decimal("90.00"),
        currency="EUR",
    )
    assert IBuyable(page).price == Decimal("90.00")
    order = shop.place_order([(page, 2)], customer)
    assert order.total == Decimal("180.00")
    assert order.lines[0].snapshot.title == "Consulting hour"


def test_type_without_behavior_is_not_buyable(portal, customer):
    from getpaid.orders.exceptions import NotBuyable

    setRoles(portal, TEST_USER_ID, ["Manager"])
    page = api.content.create(container=portal, type="Document", id="page")
    with pytest.raises(NotBuyable):
        shop.place_order([(page, 1)], customer)


@pytest.mark.parametrize(
    "price, currency",
    [(Decimal("1.005"), "EUR"), (Decimal("100.5"), "JPY")],
    ids=repr,
)
def test_price_must_fit_the_currency(price, currency):
    data = type("Data", (), {"price": price, "currency": currency})()
    with pytest.raises(Invalid):
        for invariant in IBuyable.queryTaggedValue("invariants", []):
            invariant(data)
