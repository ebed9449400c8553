"""The add-on installs with what it promises, at the profile's latest version."""

from getpaid.orders.interfaces import IGetpaidOrdersLayer

import pytest


PACKAGE = "getpaid.orders"


def test_product_installed(installer):
    assert installer.is_product_installed(PACKAGE)


def test_browserlayer(browser_layers):
    assert IGetpaidOrdersLayer in browser_layers


def test_profile_version(setup_tool):
    assert setup_tool.getLastVersionForProfile(f"{PACKAGE}:default") == ("1001",)


@pytest.mark.parametrize("type_id", ["Product", "OrdersFolder", "Order", "Payment"])
def test_types_registered(portal, type_id):
    assert type_id in portal.portal_types.objectIds()


def test_orders_folder_made(portal):
    folder = portal["orders"]
    assert folder.portal_type == "OrdersFolder"
    assert folder.exclude_from_nav is True


def test_controlpanel_configlet(controlpanel_actions):
    assert "getpaid-orders-settings" in controlpanel_actions


def test_hidden_profiles(portal):
    from plone.base.interfaces import INonInstallable
    from zope.component import getAllUtilitiesRegisteredFor

    hidden = {
        profile
        for utility in getAllUtilitiesRegisteredFor(INonInstallable)
        for profile in utility.getNonInstallableProfiles()
    }
    assert {f"{PACKAGE}:uninstall", f"{PACKAGE}:demo"} <= hidden
