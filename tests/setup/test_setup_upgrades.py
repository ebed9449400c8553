"""A site installed at profile version 1000 upgrades to what a new install
has: Site Setup → Add-ons runs the steps, and checkouts work after."""

from dataclasses import replace
from getpaid.orders import api as shop
from getpaid.orders.setuphandlers.install import SHOP_VIEW
from plone import api
from plone.base.utils import get_installer
from Products.CMFCore.indexing import processQueue
from test_demo_outbox import create_site_script

import pytest


PACKAGE = "getpaid.orders"
PROFILE = f"{PACKAGE}:default"


def test_a_new_install_needs_no_upgrade(installer):
    assert installer.upgrade_info(PACKAGE)["required"] is False


@pytest.fixture
def site_at_1000(portal, setup_tool, make_product, customer):
    """Orders placed, then the site put back as version 1000 left it."""
    mug = make_product("mug", "12.50")
    flagged = shop.place_order([(mug, 1)], replace(customer, last_name="Smith-Jones"))
    calm = shop.place_order([(mug, 2)], customer)
    processQueue()  # catalogued now, as a committed site has them
    catalog = api.portal.get_tool("portal_catalog")
    catalog.delIndex("needs_attention")
    catalog.delColumn("comment_excerpt")
    search = catalog._catalog.getIndex("order_search")
    for order in (flagged, calm):  # as 1000 indexed them: no name parts
        rid = catalog.getrid("/".join(order.getPhysicalPath()))
        search.unindex_object(rid)
        search.index_object(rid, type("Old", (), {"order_search": ("smith-jones",)}))
    flagged.attention = "PayPal 8MC58: paid after it was canceled: refund it"
    payment = shop.record_payment(
        calm,
        provider="paypal",
        txn_id="T1",
        status="Completed",
        amount="25.00",
        currency="EUR",
    )
    for permission in ("View", "Access contents information"):  # as 1000 made it
        payment.manage_permission(permission, (), acquire=True)
    folder_type = api.portal.get_tool("portal_types")["Folder"]
    folder_type.view_methods = tuple(
        name for name in folder_type.view_methods if name != SHOP_VIEW
    )
    setup_tool.setLastVersionForProfile(PROFILE, "1000")
    return flagged, calm


def test_the_upgrade_brings_a_1000_site_up_to_date(
    site_at_1000, installer, setup_tool, make_product, customer
):
    flagged, calm = site_at_1000
    assert installer.upgrade_info(PACKAGE)["required"] is True
    catalog = api.portal.get_tool("portal_catalog")
    assert "needs_attention" not in catalog.indexes()
    assert not catalog(portal_type="Order", order_search="jones")

    assert installer.upgrade_product(PACKAGE)

    assert setup_tool.getLastVersionForProfile(PROFILE) == ("1001",)
    (found,) = catalog(portal_type="Order", needs_attention=True)
    assert found.order_number == flagged.number
    assert "attention" not in catalog.schema()  # the shop's note: no column
    jones = catalog(portal_type="Order", order_search="jones")
    assert [brain.order_number for brain in jones] == [flagged.number]
    assert SHOP_VIEW in api.portal.get_tool("portal_types")["Folder"].view_methods
    (payment,) = calm.payments()
    assert payment.acquiredRolesAreUsedBy("View") == ""  # no longer the order's
    viewers = {r["name"] for r in payment.rolesOfPermission("View") if r["selected"]}
    assert viewers == {"Manager", "Site Administrator", "Shop Manager"}
    # New orders go on being found.
    placed = shop.checkout([(make_product("tee", "25.00"), 1)], customer)
    processQueue()
    assert catalog(portal_type="Order", order_number=placed.order.number)


def test_make_start_upgrades_a_demo_site_from_older_code(site_at_1000, portal, capsys):
    with api.env.adopt_roles(["Manager"]):
        shop = api.content.create(container=portal, type="Folder", id="shop")
    create_site_script().install_or_upgrade(portal)
    assert "Upgraded getpaid.orders." in capsys.readouterr().out
    assert get_installer(portal).upgrade_info(PACKAGE)["required"] is False
    assert shop.getLayout() == SHOP_VIEW  # as the demo makes it now


def test_the_catalog_step_takes_the_attention_column_away(
    portal, setup_tool, make_product, customer
):
    """Sites that had the shop's note as a column, which an order's buyer
    could read through @search, lose it when the catalog step runs again."""
    catalog = api.portal.get_tool("portal_catalog")
    catalog.addColumn("attention")
    order = shop.place_order([(make_product("mug", "12.50"), 1)], customer)
    order.attention = "PayPal 8MC58: paid after it was canceled: refund it"
    order.reindexObject()
    processQueue()
    (brain,) = catalog(portal_type="Order")
    assert brain.attention == order.attention

    setup_tool.runImportStepFromProfile(
        f"profile-{PROFILE}", "catalog", run_dependencies=False
    )

    assert "attention" not in catalog.schema()
    assert "comment_excerpt" in catalog.schema()
    assert catalog(portal_type="Order", needs_attention=True)
