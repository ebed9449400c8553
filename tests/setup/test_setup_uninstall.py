"""Uninstalling removes the add-on's layer, settings and control panel, and
keeps every order, payment and product."""

from getpaid.orders import api as shop
from getpaid.orders.interfaces import IGetpaidOrdersLayer
from plone import api
from plone.browserlayer.utils import registered_layers

import logging
import pytest


PACKAGE = "getpaid.orders"


@pytest.fixture
def order(make_product, customer):
    return shop.place_order([(make_product("mug", "12.50"), 1)], customer)


@pytest.fixture
def uninstalled(installer, order, caplog):
    with caplog.at_level(logging.WARNING, logger="getpaid.orders"):
        installer.uninstall_product(PACKAGE)
    return caplog.text  # what the uninstall logged


def test_product_uninstalled(installer, uninstalled):
    assert not installer.is_product_installed(PACKAGE)


def test_layer_removed(uninstalled):
    assert IGetpaidOrdersLayer not in registered_layers()


def test_settings_removed(uninstalled):
    registry = api.portal.get_tool("portal_registry")
    assert not [key for key in registry.records if key.startswith(PACKAGE)]


def test_controlpanel_removed(portal, uninstalled):
    actions = [action.id for action in portal.portal_controlpanel.listActions()]
    assert "getpaid-orders-settings" not in actions


def test_orders_kept_and_said_so(portal, order, uninstalled):
    assert portal["orders"][order.getId()].aq_base is order.aq_base
    assert order.total == order.lines[0].total
    assert portal["mug"].price is not None
    assert "orders, payments and products were kept" in uninstalled


def test_reinstall_keeps_orders(portal, installer, order, uninstalled):
    installer.install_product(PACKAGE)
    assert list(portal["orders"].objectIds()) == [order.getId()]


def test_my_orders_action_removed(portal, uninstalled):
    assert "getpaid-my-orders" not in portal.portal_actions.user.objectIds()
