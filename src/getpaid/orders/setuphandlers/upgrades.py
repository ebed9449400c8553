"""Upgrade steps: what a site installed at an earlier profile version needs.

Site Setup → Add-ons offers them once the package is updated; ``make start``
runs them on the demo site.
"""

from getpaid.orders import logger
from getpaid.orders.api.payments import staff_only
from getpaid.orders.setuphandlers.install import offer_shop_view
from plone import api

import transaction


PROFILE = "profile-getpaid.orders:default"
BATCH = 500  # orders per savepoint: a large shop's orders needn't fit in memory


def reindex_orders(idxs: list[str]) -> int:
    """Index every order in ``idxs`` (and its metadata); how many there were."""
    catalog = api.portal.get_tool("portal_catalog")
    done = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="Order"):
        order = brain._unrestrictedGetObject()
        catalog.catalog_object(order, brain.getPath(), idxs=idxs)
        done += 1
        if done % BATCH == 0:
            transaction.savepoint(optimistic=True)
    return done


def secure_payments() -> int:
    """Payments recorded before they were staff-only become so; how many."""
    catalog = api.portal.get_tool("portal_catalog")
    done = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="Payment"):
        staff_only(brain._unrestrictedGetObject())
        done += 1
        if done % BATCH == 0:
            transaction.savepoint(optimistic=True)
    return done


def to_1001(context) -> None:
    """The listing's attention filter (an index and a column), folders shown
    as a shop, order search by name parts and without accents, and payment
    records for staff only."""
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile(PROFILE, "catalog", run_dependencies=False)
    offer_shop_view(offered=True)
    orders = reindex_orders(["needs_attention", "order_search"])
    payments = secure_payments()
    logger.info("Upgraded to 1001: %d orders reindexed, %d payments", orders, payments)
