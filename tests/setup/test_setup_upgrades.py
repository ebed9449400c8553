"""The upgrade policy (DEVELOPERS.md, "Profile versions"): upgrade steps
start only from profile versions that a release shipped."""

from getpaid.orders import api as shop
from plone import api
from Products.CMFCore.indexing import processQueue
from Products.GenericSetup.upgrade import _upgrade_registry

import pytest


PACKAGE = "getpaid.orders"
PROFILE = f"{PACKAGE}:default"
# The profile version the next release ships; it moves only after a release.
NEXT_RELEASE_PROFILE = "1001"
# Profile versions that releases shipped: add the version at each release.
RELEASED_PROFILES: dict[str, str] = {}  # e.g. {"1001": "1.0.0a1"}


@pytest.fixture
def setup_tool(portal):
    return portal.portal_setup


def test_a_new_install_needs_no_upgrade(installer):
    assert installer.upgrade_info(PACKAGE)["required"] is False


def test_the_profile_is_the_one_the_next_release_ships(setup_tool):
    assert setup_tool.getLastVersionForProfile(PROFILE) == (NEXT_RELEASE_PROFILE,)


def test_upgrade_steps_start_only_from_released_versions(portal):
    registered = _upgrade_registry.getUpgradeStepsForProfile(PROFILE).values()
    steps = [
        step
        for entry in registered
        for step in (entry if isinstance(entry, list) else [(None, entry)])
    ]
    sources = {".".join(step.source or ("*",)) for _, step in steps}
    assert sources <= set(RELEASED_PROFILES)


def test_the_catalog_step_takes_the_attention_column_away(
    portal, setup_tool, make_product, customer
):
    """Development sites that had the shop's note as a column, which an
    order's buyer could read through @search, lose it when the catalog step
    runs again (DEVELOPERS.md: profile changes before the first release)."""
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
