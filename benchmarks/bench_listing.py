"""The orders listing at 10,000 and 100,000 orders, against the raw catalog
query behind it, same run.

    make bench   # or: .venv/bin/python benchmarks/bench_listing.py --sizes 10000

For each size: the listing page rendered in-process as a shop manager (the
server's time for a page of 50), unfiltered (newest first) and filtered
(one state, one search word, sorted by total); and the same catalog queries
alone, reading the 50 brains' columns. Medians of 20, after a warm-up.
Creating 100,000 orders takes a while (about ten minutes here).
"""

from pathlib import Path
from statistics import median
from zope_site import customer
from zope_site import make_site
from zope_site import start_zope

import argparse
import logging
import sys
import tempfile
import time
import transaction


QUERIES = {
    "first page": {},
    "filtered page": {
        "review_state": ["paid"],
        "SearchableText": "mug",
        "sort_on": "total",
    },
}


def timed(call, repeat=20) -> float:
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return median(times) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from AccessControl.SecurityManagement import newSecurityManager
    from getpaid.orders import api as shop
    from getpaid.orders.api.listing import ListingQuery
    from getpaid.orders.interfaces import IGetpaidOrdersLayer
    from plone import api
    from zope.component import getMultiAdapter
    from zope.interface import alsoProvides

    with tempfile.TemporaryDirectory(prefix="getpaid-bench-") as tmp:
        app, _wsgi = start_zope(Path(tmp))
        site, products, _folder = make_site(app)
        folder = site["orders"]
        request = app.REQUEST
        # A shop manager of the site, as the listing's real users are.
        api.user.create(
            username="manager",
            password="manager-password-1",
            email="m@example.org",
            roles=["Member", "Shop Manager"],
        )
        user = site.acl_users.getUserById("manager")
        newSecurityManager(request, user.__of__(site.acl_users))
        request["PARENTS"] = [folder, site, app]
        alsoProvides(request, IGetpaidOrdersLayer)
        catalog = api.portal.get_tool("portal_catalog")
        who = customer()
        made = 0
        print(
            f"getpaid.orders listing, Python {sys.version.split()[0]}, FileStorage, "
            "page of 50, median of 20\n"
        )
        print(f"{'orders':>8} {'':14}{'listing ms':>11}{'catalog ms':>11}{'ratio':>7}")
        for size in args.sizes:
            while made < size:
                order = shop.place_order([(products[made % 2], 1 + made % 3)], who)
                if made % 4 == 0:
                    shop.mark_paid(order)
                made += 1
                if made % 1000 == 0:
                    transaction.commit()
            transaction.commit()
            for label, form in QUERIES.items():
                form = {**form, "b_size": "50"}

                def listing(form=form):
                    request.form = dict(form)
                    view = getMultiAdapter((folder, request), name="view")
                    return view()

                def raw(form=form):
                    query = ListingQuery.from_form(form).catalog_query()
                    query["sort_limit"] = 50
                    brains = catalog.searchResults(**query)[:50]
                    return [
                        (b.order_number, b.order_total, b.review_state) for b in brains
                    ]

                page, base = timed(listing), timed(raw)
                print(f"{size:>8} {label:14}{page:11.1f}{base:11.1f}{page / base:7.1f}")
        app._p_jar.db().close()


if __name__ == "__main__":
    main()
