"""The CSV export at 10,000 and 100,000 orders: time and peak memory,
against Plone's catalog iteration of the same orders, same run.

    make bench   # or: .venv/bin/python benchmarks/bench_export.py --sizes 10000
    .venv/bin/python benchmarks/bench_export.py --db /tmp/export-db

For each size, three ways to write one row per order line of every order:

- ``streamed``: the back office's ``@@orders-csv`` as a shop manager, in
  process, its body read to the end as a server would send it;
- ``in memory``: the same rows from the same brains, each order loaded
  through the request's connection and the whole file built in one string
  (what the export did before it streamed);
- ``catalog``: the baseline, Plone's own iteration of the same search: a
  row of catalog columns per brain (number, created, state, total,
  currency, name, e-mail), no object loaded, written as it goes.

Seconds (one run each, after a warm-up of the catalog) and the peak of
Python's allocations while it ran (tracemalloc, in a second run: tracing
slows Python down). Flat memory means the streamed peak stays the same
from one size to the next.

Creating the orders takes far longer than exporting them: 30 to 60 orders
a second on the shared 2-core machine, about 35 minutes for 100,000.
With ``--db DIR`` the database stays in DIR (3.0 GB at 100,000 orders)
and the next run with the same DIR makes only the orders it lacks, then
measures: fill once, measure as often as needed. Delete DIR when done.
"""

from pathlib import Path
from zope_site import customer
from zope_site import make_site
from zope_site import start_zope

import argparse
import csv
import gc
import logging
import sys
import tempfile
import time
import tracemalloc
import transaction


class Sink:
    """Where a socket would be: counts what is written, keeps nothing."""

    def __init__(self):
        self.size = 0

    def write(self, text):
        self.size += len(text)


def measured(call) -> tuple[float, float, int]:
    """(seconds, peak MB of Python's allocations, bytes made)."""
    gc.collect()
    started = time.perf_counter()
    size = call()
    seconds = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, size


BATCH = 1000


def fill(products, made: int, size: int, connection) -> int:
    """Orders up to ``size``, each for another customer, a quarter of them
    paid by a payment record; one or two lines.

    Each is placed, catalogued and paid by the domain's own code, as the
    shop would; what keeps it to a steady pace is committing every
    ``BATCH`` orders and turning the loaded objects back into ghosts then
    (the pickle cache and the catalog's queue stay small). No mail goes out:
    the bench site has no sender address (``mail/sending.can_mail``).
    """
    from getpaid.orders import api as shop
    from getpaid.orders.api.payments import PAYMENT
    from getpaid.orders.workflow import SOURCE_PROVIDER

    started, first = time.perf_counter(), made
    while made < size:
        lines = [(products[made % 2], 1 + made % 3)]
        if made % 2:
            lines.append((products[0], 1))
        order = shop.place_order(lines, customer(made))
        if made % 4 == 0:
            payment = shop.record_payment(
                order,
                provider="bench",
                txn_id=f"TXN-{made}",
                status="Completed",
                amount=order.total,
                currency=order.currency,
                kind=PAYMENT,
            )
            shop.apply_payment(order, payment, source=SOURCE_PROVIDER, label="bench")
        made += 1
        if made % BATCH == 0:
            transaction.commit()
            connection.cacheMinimize()
            rate = (made - first) / (time.perf_counter() - started)
            print(f"  {made} orders, {rate:.0f} a second", file=sys.stderr, flush=True)
    return made


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument(
        "--db",
        type=Path,
        help="keep the database in this folder and reuse it: a later run "
        "makes only the orders it lacks (default: a temporary folder)",
    )
    args = parser.parse_args()
    if args.db is None:
        with tempfile.TemporaryDirectory(prefix="getpaid-bench-") as tmp:
            run(Path(tmp), args.sizes)
    else:
        args.db.mkdir(parents=True, exist_ok=True)
        run(args.db.resolve(), args.sizes)


def run(home: Path, sizes: list[int]) -> None:
    logging.disable(logging.WARNING)

    from AccessControl.SecurityManagement import newSecurityManager
    from getpaid.orders.api.export import csv_lines
    from getpaid.orders.api.export import ExportQuery
    from getpaid.orders.interfaces import IGetpaidOrdersLayer
    from plone import api
    from zope.component import getMultiAdapter
    from zope.component.hooks import setSite
    from zope.interface import alsoProvides

    app, _wsgi = start_zope(home)
    if "Plone" in app:  # kept from an earlier run (--db)
        site = app["Plone"]
        setSite(site)
        products = [site["product-0"], site["product-1"]]
    else:
        site, products, _folder = make_site(app)
        api.user.create(
            username="manager",
            password="manager-password-1",
            email="m@example.org",
            roles=["Member", "Shop Manager"],
        )
        transaction.commit()
    folder = site["orders"]
    request = app.REQUEST
    user = site.acl_users.getUserById("manager")
    newSecurityManager(request, user.__of__(site.acl_users))
    request["PARENTS"] = [folder, site, app]
    alsoProvides(request, IGetpaidOrdersLayer)
    catalog = api.portal.get_tool("portal_catalog")
    connection = app._p_jar
    made = len(folder.objectIds())
    print(f"{made} orders in {home / 'Data.fs'}", file=sys.stderr, flush=True)

    def streamed() -> int:
        request.form = {}
        view = getMultiAdapter((folder, request), name="orders-csv")
        return sum(len(chunk) for chunk in view())

    def in_memory() -> int:
        query = ExportQuery.from_form({})
        brains = catalog.searchResults(**query.catalog_query())
        found = ((brain, brain.getObject()) for brain in brains)
        text = "".join(csv_lines(found))
        size = len(text.encode("utf-8"))
        connection.cacheMinimize()  # what the request's end would do
        return size

    def plain_catalog() -> int:
        query = ExportQuery.from_form({}).catalog_query()
        sink = Sink()
        writer = csv.writer(sink)
        for brain in catalog.searchResults(**query):
            writer.writerow(
                (
                    brain.order_number,
                    brain.created.ISO8601(),
                    brain.review_state,
                    brain.order_total,
                    brain.order_currency,
                    brain.first_name,
                    brain.last_name,
                    brain.customer_email,
                )
            )
        return sink.size

    print(
        f"getpaid.orders CSV export, Python {sys.version.split()[0]}, "
        "FileStorage, a row per order line, one run each\n"
    )
    print(
        f"{'orders':>8} {'':11}{'seconds':>9}{'peak MB':>9}{'MB out':>8}"
        f"{'time ratio':>11}{'memory ratio':>13}"
    )
    for size in sizes:
        if made > size:  # the export takes every order there is
            print(f"  {size}: skipped, {made} orders already", file=sys.stderr)
            continue
        made = fill(products, made, size, connection)
        transaction.commit()
        connection.cacheMinimize()
        plain_catalog()  # warm-up: the catalog's indexes and columns
        results = {
            "streamed": measured(streamed),
            "in memory": measured(in_memory),
            "catalog": measured(plain_catalog),
        }
        base_s, base_mb, _size = results["catalog"]
        for label, (seconds, peak, out) in results.items():
            print(
                f"{size:>8} {label:11}{seconds:9.1f}{peak:9.1f}"
                f"{out / 2**20:8.1f}{seconds / base_s:11.1f}{peak / base_mb:13.1f}",
                flush=True,
            )
    app._p_jar.db().close()


if __name__ == "__main__":
    main()
