"""Fill the demo site with past orders and pages; run through Zope's zconsole.

    zconsole run instance1/zope.conf benchmarks/prefill_shop.py 10000

Places the given number of orders, each for a different customer as in a
real shop (so the customer and search indexes grow too), and as many
Documents in /pages, 200 of each per commit. bench_cluster.py --prefill
runs it before it measures, so that both sides meet catalog and folder
trees of a shop that has been open a while, not those of an empty one.
"""

from AccessControl.SecurityManagement import newSecurityManager
from getpaid.orders.api import place_order
from pathlib import Path
from plone import api
from zope.component.hooks import setSite

import sys
import transaction


# zconsole run <zope.conf> <this script> <count>: our folder for zope_site.
sys.path.insert(0, str(Path(sys.argv[3]).resolve().parent))
from zope_site import customer  # noqa: E402


BATCH = 200


def main(app, count: int):
    # zconsole gives a request and the system user; pages get an owner as
    # the baseline's REST posts do.
    admin = app.acl_users.getUserById("admin")
    newSecurityManager(None, admin.__of__(app.acl_users))
    site = app["Plone"]
    setSite(site)
    shop = site["shop"]
    items = [(shop["blue-mug"], 2), (shop["plone-t-shirt"], 1)]
    if "pages" not in site:
        api.content.create(container=site, type="Folder", id="pages", title="Pages")
    pages = site["pages"]
    for n in range(count):
        place_order(items, customer(n))
        api.content.create(container=pages, type="Document", title=f"Past page {n}")
        if n % BATCH == BATCH - 1:
            transaction.commit()
    transaction.commit()
    print(f"{site['orders'].objectCount()} orders, {pages.objectCount()} pages")


main(app, int(sys.argv[-1]))  # noqa: F821 -- zconsole provides `app`
