"""Order creation against a plain Plone page: create + commit, same run.

    make bench              # or: .venv/bin/python benchmarks/bench_order_create.py

Starts Zope on a FileStorage (with blobs) in a temporary folder, creates a
Classic UI site with getpaid.orders, then alternates the two operations so
that whatever else the machine does weighs on both alike:

- order:    getpaid.orders.api.place_order (two lines) + transaction.commit()
- baseline: plone.api.content.create(type="Document") in a Plone folder
            + transaction.commit()

Prints median and 90th percentile times, bytes written to Data.fs per
transaction, and the ratios order / baseline.
"""

from pathlib import Path
from statistics import median
from statistics import quantiles
from zope_site import customer
from zope_site import make_site
from zope_site import start_zope

import argparse
import logging
import sys
import tempfile
import time
import transaction


def measure(operation, data_fs: Path) -> tuple[float, int]:
    """Seconds and Data.fs bytes of one operation + commit."""

    size = data_fs.stat().st_size
    started = time.perf_counter()
    operation()
    transaction.commit()
    return time.perf_counter() - started, data_fs.stat().st_size - size


def percentile_90(values):
    return quantiles(values, n=10)[-1]


def report(rounds, results):
    order_t, order_b = zip(*results["order"], strict=True)
    base_t, base_b = zip(*results["baseline"], strict=True)
    rows = (
        ("median ms", median(order_t) * 1000, median(base_t) * 1000),
        ("p90 ms", percentile_90(order_t) * 1000, percentile_90(base_t) * 1000),
        ("median KB written", median(order_b) / 1024, median(base_b) / 1024),
    )
    print(f"{'':22}{'order':>10}{'Document':>10}{'ratio':>8}")
    for label, order, base in rows:
        print(f"{label:22}{order:10.1f}{base:10.1f}{order / base:8.2f}")
    tenth = max(rounds // 10, 1)
    first = median(order_t[:tenth]) * 1000
    last = median(order_t[-tenth:]) * 1000
    print(
        f"\norder median, first {tenth} vs last {tenth}: "
        f"{first:.1f} ms vs {last:.1f} ms (ratio {last / first:.2f})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--prefill",
        type=int,
        default=0,
        help="orders (and pages) created first, 100 per commit, to measure at scale",
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # start-up chatter of Plone's packages

    from getpaid.orders import api as shop
    from importlib.metadata import version
    from plone import api

    with tempfile.TemporaryDirectory(prefix="getpaid-bench-") as tmp:
        home = Path(tmp)
        app, _wsgi = start_zope(home)
        site, products, folder = make_site(app)
        data_fs = home / "Data.fs"
        who = customer()
        items = [(products[0], 2), (products[1], 1)]
        count = iter(range(10**9))

        def place():
            shop.place_order(items, who)

        def page():
            n = next(count)
            api.content.create(
                container=folder, type="Document", id=f"page-{n}", title=f"Page {n}"
            )

        for done in range(args.prefill):
            place()
            page()
            if done % 100 == 99:
                transaction.commit()
        transaction.commit()
        for _ in range(args.warmup):
            measure(place, data_fs)
            measure(page, data_fs)
        results = {"order": [], "baseline": []}
        for _ in range(args.rounds):
            results["order"].append(measure(place, data_fs))
            results["baseline"].append(measure(page, data_fs))

        print(
            f"getpaid.orders order creation, Python {sys.version.split()[0]}, "
            f"Plone {version('Products.CMFPlone')}, FileStorage, "
            f"{args.rounds} rounds each, interleaved, after {args.warmup} warm-up, "
            f"{args.prefill} of each made before\n"
        )
        report(args.rounds, results)
        print(f"\norders in /orders: {len(site['orders'].objectIds())}")
        app._p_jar.db().close()


if __name__ == "__main__":
    main()
