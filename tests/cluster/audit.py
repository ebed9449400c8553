"""Test evidence, read in a third process straight from the orders folder.

    zconsole run zope.conf tests/cluster/audit.py <surname>

Prints one JSON object about the orders of ``surname``: what the folder
holds (not the catalog), what the catalog holds, and every order that is
not whole (no lines, no owner link, not catalogued, or catalogued with
another total than it has).
"""

from getpaid.orders.api.links import OWNER
from plone import api
from zope.component.hooks import setSite

import json
import sys


surname = sys.argv[-1]  # zconsole keeps its own argv
site = app.Plone  # noqa: F821 -- zconsole provides `app`
setSite(site)
catalog = site.portal_catalog
stored = [
    order
    for order in site["orders"].objectValues()
    if getattr(order, "last_name", None) == surname
]
catalogued = {
    brain.UID: brain.order_total
    for brain in catalog.unrestrictedSearchResults(
        portal_type="Order", order_search=surname.lower()
    )
}
problems = []
for order in stored:
    lines = order.lines
    if not lines:
        problems.append(f"{order.getId()}: no lines")
    if not any(link.kind == OWNER for link in order.secret_links):
        problems.append(f"{order.getId()}: no owner link")
    if catalogued.get(order.UID()) != order.total:
        problems.append(f"{order.getId()}: not catalogued as it is")
print(
    json.dumps(
        {
            "stored": sorted(order.email for order in stored),
            "catalogued": len(catalogued),
            "states": sorted(api.content.get_state(order) for order in stored),
            "payments": sorted(len(order.payments()) for order in stored),
            "problems": problems,
        }
    )
)
