"""IPN handling against a bare workflow transition, same run.

    make bench      # or: .venv/bin/python benchmarks/bench_ipn.py

On a fresh FileStorage site, alternates on fresh unpaid orders:

- ipn:      parse a Completed notification + apply it (find the order, check
            receiver/currency/amount, record the Payment, fire ``pay``, write
            history) + commit; PayPal's verification round trip is excluded,
            it is network time
- baseline: portal_workflow.doActionFor(order, "pay") + commit

Prints median and 90th percentile times and their ratio.
"""

from pathlib import Path
from urllib.parse import urlencode
from zope_site import customer
from zope_site import make_site
from zope_site import print_timings
from zope_site import start_zope

import argparse
import logging
import sys
import tempfile
import time
import transaction


RECEIVER = "shop@example.org"


def ipn_body(order, txn_id: str, receiver: str = RECEIVER) -> bytes:
    return urlencode(
        {
            "mc_gross": str(order.total),
            "invoice": order.number,
            "custom": order.UID(),
            "payment_status": "Completed",
            "charset": "UTF-8",
            "business": receiver,
            "receiver_email": receiver,
            "txn_id": txn_id,
            "txn_type": "cart",
            "mc_currency": order.currency,
            "first_name": "Ada",
            "last_name": "Lovelace",
        }
    ).encode("ascii")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from getpaid.orders import api as shop
    from getpaid.orders.payments.paypal_standard.ipn import parse
    from getpaid.orders.payments.paypal_standard.notifications import apply
    from plone import api

    with tempfile.TemporaryDirectory(prefix="getpaid-bench-") as tmp:
        app, _wsgi = start_zope(Path(tmp))
        site, products, _folder = make_site(app)
        api.portal.set_registry_record("getpaid.orders.paypal_receiver_email", RECEIVER)
        total = args.warmup + args.rounds
        orders = [
            shop.place_order([(products[0], 2), (products[1], 1)], customer())
            for _ in range(2 * total)
        ]
        transaction.commit()
        workflow = api.portal.get_tool("portal_workflow")
        times = {"ipn": [], "baseline": []}
        for n in range(total):
            by_ipn, by_hand = orders[2 * n], orders[2 * n + 1]
            body = ipn_body(by_ipn, f"TXN{n:06d}")
            started = time.perf_counter()
            outcome = apply(parse(body))
            transaction.commit()
            ipn_time = time.perf_counter() - started
            assert outcome.action == "paid", outcome
            started = time.perf_counter()
            workflow.doActionFor(by_hand, "pay")
            transaction.commit()
            base_time = time.perf_counter() - started
            if n >= args.warmup:
                times["ipn"].append(ipn_time)
                times["baseline"].append(base_time)

        print(
            f"getpaid.orders IPN handling, Python {sys.version.split()[0]}, "
            f"FileStorage, {args.rounds} rounds each, interleaved, "
            f"after {args.warmup} warm-up\n"
        )
        print_timings("IPN", "bare pay", times["ipn"], times["baseline"])
        app._p_jar.db().close()


if __name__ == "__main__":
    main()
