"""Checkout over HTTP against a plone.restapi page create, same run.

    make bench      # or: .venv/bin/python benchmarks/bench_checkout_http.py

Serves a fresh Classic UI site with getpaid.orders (FileStorage) with
waitress on loopback and alternates two POSTs from a client:

- order:    POST /Plone/@checkout, anonymous, two lines (the order is
            committed when the answer arrives; no mail server is set, so
            no confirmation is sent)
- baseline: POST /Plone/pages, a Document through plone.restapi, as an Editor

Prints median and 90th percentile round-trip times and their ratio.
"""

from pathlib import Path
from zope_site import EDITOR
from zope_site import make_site
from zope_site import print_timings
from zope_site import start_zope

import argparse
import logging
import sys
import tempfile
import threading
import time


def serve(wsgi):
    """Serve the WSGI app on a free loopback port; return its base URL.

    The server's daemon thread ends with the process: closing its sockets
    from this thread while its loop polls them failed now and then with
    "Bad file descriptor".
    """
    from waitress.server import create_server

    server = create_server(wsgi, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}"


def checkout_body(uids) -> dict:
    """Two lines (two of the first product, one of the second) for Ada."""
    return {
        "lines": [
            {"product": uids[0], "quantity": 2},
            {"product": uids[1], "quantity": 1},
        ],
        "customer": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "billing_address": {
                "street": "12 St James's Square",
                "postal_code": "SW1Y 4JH",
                "city": "London",
                "country": "GB",
            },
        },
        "accept_terms": True,
    }


def timed(call) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - started
    if response.status_code != 201:
        raise SystemExit(
            f"{response.request.url}: {response.status_code} {response.text}"
        )
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    import requests

    with tempfile.TemporaryDirectory(prefix="getpaid-bench-") as tmp:
        app, wsgi = start_zope(Path(tmp))
        site, products, _folder = make_site(app)
        body = checkout_body([product.UID() for product in products])
        base = serve(wsgi)
        anonymous = requests.Session()
        editor = requests.Session()
        editor.auth = EDITOR
        for session in (anonymous, editor):
            session.headers["Accept"] = "application/json"
        count = iter(range(10**9))

        def order():
            return anonymous.post(f"{base}/Plone/@checkout", json=body)

        def page():
            n = next(count)
            return editor.post(
                f"{base}/Plone/pages",
                json={"@type": "Document", "id": f"page-{n}", "title": f"Page {n}"},
            )

        for _ in range(args.warmup):
            timed(order)
            timed(page)
        times = {"order": [], "baseline": []}
        for _ in range(args.rounds):
            times["order"].append(timed(order))
            times["baseline"].append(timed(page))

        print(
            f"getpaid.orders checkout over HTTP, Python {sys.version.split()[0]}, "
            f"waitress on loopback, FileStorage, {args.rounds} rounds each, "
            f"interleaved, after {args.warmup} warm-up\n"
        )
        print_timings("@checkout", "Document", times["order"], times["baseline"])
        app._p_jar.db().close()


if __name__ == "__main__":
    main()
