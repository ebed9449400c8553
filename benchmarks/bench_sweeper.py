"""The sweeper on 10,000 due orders, against the same number of bare
``time_out`` transitions, same run.

    make bench      # or: .venv/bin/python benchmarks/bench_sweeper.py [--orders N]

Two sets of N unpaid orders on a fresh FileStorage site; one is swept
(catalog query, re-check, transition, commit per 100), the other timed out
by hand in a loop with the same commit batches. Prints seconds, orders per
second and the ratio.
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from pathlib import Path
from zope_site import customer
from zope_site import make_site
from zope_site import start_zope

import argparse
import logging
import sys
import tempfile
import time
import transaction


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10000)
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from getpaid.orders import api as shop
    from getpaid.orders.api.sweeper import sweep

    with tempfile.TemporaryDirectory(prefix="getpaid-bench-") as tmp:
        app, _wsgi = start_zope(Path(tmp))
        site, products, _folder = make_site(app)
        who = customer()

        def make(count):
            made = []
            for n in range(count):
                made.append(shop.place_order([(products[0], 1)], who))
                if n % 500 == 499:
                    transaction.commit()
            transaction.commit()
            return made

        by_hand = make(args.orders)
        started = time.perf_counter()
        for n, order in enumerate(by_hand):
            shop.time_out(order)
            if n % 100 == 99:
                transaction.commit()
        transaction.commit()
        bare = time.perf_counter() - started

        make(args.orders)
        later = datetime.now(UTC) + timedelta(days=30)
        started = time.perf_counter()
        report = sweep(later)
        swept = time.perf_counter() - started
        assert len(report.timed_out) == args.orders, report

        print(
            f"getpaid.orders sweeper, Python {sys.version.split()[0]}, FileStorage, "
            f"{args.orders} due orders (and {args.orders} already timed out)\n"
        )
        print(f"{'':22}{'sweep':>10}{'bare':>10}{'ratio':>8}")
        print(f"{'seconds':22}{swept:10.1f}{bare:10.1f}{swept / bare:8.2f}")
        print(
            f"{'orders per second':22}{args.orders / swept:10.0f}"
            f"{args.orders / bare:10.0f}"
        )
        app._p_jar.db().close()


if __name__ == "__main__":
    main()
