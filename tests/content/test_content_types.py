"""Where each type may live, and who sees the orders folder."""

from getpaid.orders import api as shop
from plone import api
from plone.api.exc import InvalidParameterError
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import pytest


@pytest.fixture
def manager(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return portal


@pytest.mark.parametrize("type_id", ["OrdersFolder", "Order", "Payment"])
def test_not_addable_in_the_site(manager, type_id):
    with pytest.raises(InvalidParameterError):
        api.content.create(container=manager, type=type_id, id="x")


def test_orders_folder_holds_only_orders(manager):
    with pytest.raises(InvalidParameterError):
        api.content.create(container=manager["orders"], type="Document", id="x")


def test_order_holds_only_payments(manager, make_product, customer):
    order = shop.place_order([(make_product("mug", "1.00"), 1)], customer)
    with pytest.raises(InvalidParameterError):
        api.content.create(container=order, type="Document", id="x")


def test_products_addable_anywhere(manager):
    folder = api.content.create(container=manager, type="Folder", id="shop")
    assert api.content.create(container=folder, type="Product", id="p").price is None


def test_orders_folder_is_hidden(portal):
    folder = portal["orders"]
    assert folder.exclude_from_nav
    assert folder._ordering == "unordered"
    logout()
    assert not api.user.has_permission("View", obj=folder)
    assert not api.user.has_permission("Access contents information", obj=folder)


@pytest.mark.parametrize(
    "role, sees",
    [("Member", False), ("Shop Manager", True), ("Site Administrator", True)],
)
def test_who_sees_the_orders_folder(portal, role, sees):
    api.user.create(email="staff@example.org", username="staff")
    setRoles(portal, "staff", [role])
    assert (
        api.user.has_permission("View", username="staff", obj=portal["orders"]) is sees
    )
