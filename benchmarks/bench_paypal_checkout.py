"""PayPal Checkout's server-side costs beside IPN, a bare transition and a
plain Plone page, same run.

    make bench      # or: .venv/bin/python benchmarks/bench_paypal_checkout.py

On a fresh FileStorage site taking PayPal Checkout from the simulator
(tools/paypal_simulator.py, on loopback in this process), alternates on
fresh unpaid orders:

- return:   the payer is back from PayPal: ``flow.settle_return`` (find the
            attempt, capture, check payee/currency/amount, record the
            Payment, fire ``pay``, update the attempt, write history)
            + commit
- webhook:  a PAYMENT.CAPTURE.COMPLETED delivery: verify its signature,
            decode it, ``webhooks.handle`` (find the order, check, record,
            ``pay``) + commit, as ``@@paypal-webhook`` does
- ipn:      a Payments Standard IPN: parse + apply + commit (bench_ipn.py)
- pay:      portal_workflow.doActionFor(order, "pay") + commit
- Plone:    plone.api.content.create(type="Document") + commit, the plain
            Plone baseline of the other benches

PayPal's round trips are left out, as bench_ipn.py leaves out IPN's
verification: each capture and each signature verification is made once at
the simulator before the clock starts, and its HTTP answer (status, headers,
body) is kept in memory; the timed call gets that answer back from the
client's transport (``Client._send``), so everything of ours runs (request
ids, the token cache, JSON in and out, the checks, the records) and nothing
of the network or the simulator. Subtracting a measured round trip instead
would leave the difference of two noisy figures, the simulator's own time
among them, on a machine whose cores are shared.

Prints median and 90th percentile times and their ratios to the bare
transition and to the Plone page.
"""

from bench_ipn import ipn_body
from pathlib import Path
from zope_site import customer
from zope_site import make_site
from zope_site import start_zope

import argparse
import hashlib
import http.server
import json
import logging
import os
import requests
import sys
import tempfile
import threading
import time
import transaction


sys.path.insert(0, str(Path(__file__).parents[1] / "tools"))
import paypal_simulator  # noqa: E402


PAYEE = "merchant@example.com"  # the simulator's merchant account
SERIES = ("return", "webhook", "ipn", "pay", "Plone")


class Tape:
    """PayPal's HTTP answers, recorded once and played back: wraps
    ``Client._send`` (the client's one way to the network)."""

    def __init__(self, client_class):
        self.client_class = client_class
        self.original = client_class._send
        self.answers: dict[tuple, tuple] = {}
        self.replaying = False
        tape = self

        def send(client, method, path, body, headers, auth=None):
            return tape.send(client, method, path, body, headers, auth)

        client_class._send = send

    @staticmethod
    def key(method, path, body) -> tuple:
        return method, path, hashlib.sha256(body or b"").hexdigest()

    def send(self, client, method, path, body, headers, auth):
        key = self.key(method, path, body)
        if self.replaying:
            status, answer_headers, content = self.answers[key]
            response = requests.Response()
            response.status_code = status
            response.headers.update(answer_headers)
            response._content = content
            response.encoding = "utf-8"
            response.url = client.base + path
            return response
        response = self.original(client, method, path, body, headers, auth)
        self.answers[key] = (
            response.status_code,
            dict(response.headers),
            response.content,
        )
        return response

    def close(self):
        self.client_class._send = self.original


class Listener(http.server.ThreadingHTTPServer):
    """Where the simulator posts its webhooks: each answered 200 and
    forgotten (the simulator keeps every delivery)."""

    def __init__(self):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server_address[1]}/@@paypal-webhook"


def set_up_checkout(rest, url: str) -> None:
    from getpaid.orders.payments.paypal_checkout.settings import SECRET_VARIABLE
    from plone import api

    for name, value in {
        "payment_providers": ["paypal_checkout", "paypal_standard"],
        "paypal_mode": "custom",
        "paypal_api_url": url,
        "paypal_client_id": rest.client_id,
        "paypal_webhook_id": rest.webhook_id,
        "paypal_receiver_email": PAYEE,
    }.items():
        api.portal.set_registry_record(f"getpaid.orders.{name}", value)
    os.environ[SECRET_VARIABLE] = rest.client_secret
    transaction.commit()


def approved(order, rest) -> str:
    """Start paying ``order`` with PayPal Checkout (the real create, over
    HTTP) and approve it at the simulator: its PayPal order id."""
    from getpaid.orders.payments.interfaces import PaymentUrls
    from getpaid.orders.payments.paypal_checkout import flow
    from plone import api
    from urllib.parse import parse_qs
    from urllib.parse import urlsplit

    page = order.absolute_url()
    urls = PaymentUrls(
        page=page,
        pay=f"{page}/@@pay/paypal_checkout",
        back=f"{page}/@@payment-return/paypal_checkout",
        cancel=page,
        site=api.portal.get().absolute_url(),
    )
    link = flow.start(order, urls, {"attempt": "1"})
    paypal_id = parse_qs(urlsplit(link).query)["token"][0]
    rest.approve(paypal_id)
    return paypal_id


def capture_at_paypal(order, paypal_id: str) -> None:
    """The capture the flow will ask for, made now (and taped)."""
    from getpaid.orders.payments.paypal_checkout import settings
    from getpaid.orders.payments.paypal_checkout.client import request_id

    settings.client().capture_order(
        paypal_id, request_id=request_id("capture", order.UID(), paypal_id)
    )


def capture_deliveries(rest, count: int, timeout: float = 60) -> list:
    """The simulator's PAYMENT.CAPTURE.COMPLETED deliveries, ``count`` of them."""
    deadline = time.monotonic() + timeout
    while True:
        found = [
            delivery
            for delivery in list(rest.deliveries)
            if b'"event_type":"PAYMENT.CAPTURE.COMPLETED"' in delivery.body
        ]
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) == count, (len(found), count)
            return found
        time.sleep(0.05)


def handle_delivery(headers: dict, raw: bytes):
    """What @@paypal-webhook does with a delivery, without the publisher."""
    from getpaid.orders.controlpanel.settings import get_setting
    from getpaid.orders.payments.paypal_checkout import settings
    from getpaid.orders.payments.paypal_checkout import webhooks

    client = settings.client()
    verified = client.verify_webhook_signature(
        headers, raw, get_setting("paypal_webhook_id", "")
    )
    assert verified
    return webhooks.handle(json.loads(raw), raw)


def print_table(times: dict, series: tuple) -> None:
    from statistics import median
    from statistics import quantiles

    print(f"{'':12}{'median ms':>10}{'p90 ms':>10}{'/ pay':>8}{'/ Plone':>9}")
    pay, plone = median(times["pay"]), median(times["Plone"])
    for name in series:
        values = times[name]
        middle = median(values)
        p90 = quantiles(values, n=10)[-1]
        print(
            f"{name:12}{middle * 1000:10.1f}{p90 * 1000:10.1f}"
            f"{middle / pay:8.2f}{middle / plone:9.2f}"
        )
    print("(ratios of medians)")


class Orders:
    """The unpaid orders of each series, made before the clock starts; the
    Checkout ones created, approved and captured at PayPal (taped), each
    webhook delivery's verification asked once (taped)."""

    def __init__(self, rest, products, total: int, webhooks: bool):
        from getpaid.orders import api as shop
        from getpaid.orders.payments.paypal_checkout import settings

        def place():
            return shop.place_order([(products[0], 2), (products[1], 1)], customer())

        self.returning = [place() for _ in range(total)]
        self.hooked = [place() for _ in range(total)] if webhooks else []
        self.by_ipn = [place() for _ in range(total)]
        self.by_hand = [place() for _ in range(total)]
        transaction.commit()
        checkout = self.returning + self.hooked
        self.tokens = [approved(order, rest) for order in checkout]
        transaction.commit()
        for order, paypal_id in zip(checkout, self.tokens, strict=True):
            capture_at_paypal(order, paypal_id)
        self.deliveries = []
        if webhooks:
            by_invoice = {
                json.loads(d.body)["resource"]["invoice_id"]: d
                for d in capture_deliveries(rest, len(checkout))
            }
            self.deliveries = [by_invoice[order.number] for order in self.hooked]
            for delivery in self.deliveries:
                assert settings.client().verify_webhook_signature(
                    delivery.headers, delivery.body, rest.webhook_id
                )


class Clock:
    """Times an operation + commit into its series, after the warm-up."""

    def __init__(self, series: tuple, warmup: int):
        self.times = {name: [] for name in series}
        self.warmup = warmup

    def __call__(self, name: str, n: int, operation, *args, **kw):
        started = time.perf_counter()
        result = operation(*args, **kw)
        transaction.commit()
        if n >= self.warmup:
            self.times[name].append(time.perf_counter() - started)
        return result


def one_round(n: int, orders: Orders, clock: Clock, folder) -> None:
    from getpaid.orders.payments.paypal_checkout import flow
    from getpaid.orders.payments.paypal_standard.ipn import parse
    from getpaid.orders.payments.paypal_standard.notifications import apply
    from plone import api

    returned = {"token": orders.tokens[n]}
    said = clock("return", n, flow.settle_return, orders.returning[n], returned)
    assert said == "paid", said
    if orders.hooked:
        delivery = orders.deliveries[n]
        outcome = clock("webhook", n, handle_delivery, delivery.headers, delivery.body)
        assert outcome.action == "paid", outcome
    notification = parse(ipn_body(orders.by_ipn[n], f"TXN{n:06d}", PAYEE))
    outcome = clock("ipn", n, apply, notification)
    assert outcome.action == "paid", outcome
    workflow = api.portal.get_tool("portal_workflow")
    clock("pay", n, workflow.doActionFor, orders.by_hand[n], "pay")
    clock(
        "Plone",
        n,
        api.content.create,
        container=folder,
        type="Document",
        id=f"page-{n}",
        title="Page",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from getpaid.orders.payments.paypal_checkout.client import Client

    try:
        from getpaid.orders.payments.paypal_checkout import webhooks  # noqa: F401
    except ImportError:  # before the webhooks landed
        series = tuple(name for name in SERIES if name != "webhook")
    else:
        series = SERIES

    simulator, server, url = paypal_simulator.serve(0)
    rest = simulator.rest
    listener = Listener()
    rest.webhook_url = listener.url
    tape = Tape(Client)
    with tempfile.TemporaryDirectory(prefix="getpaid-bench-") as tmp:
        app, _wsgi = start_zope(Path(tmp))
        _site, products, folder = make_site(app)
        set_up_checkout(rest, url)
        total = args.warmup + args.rounds
        orders = Orders(rest, products, total, "webhook" in series)
        rest.webhook_url = ""
        tape.replaying = True  # from here on, no call leaves the process
        clock = Clock(series, args.warmup)
        for n in range(total):
            one_round(n, orders, clock, folder)

        print(
            f"getpaid.orders PayPal Checkout server time, Python "
            f"{sys.version.split()[0]}, FileStorage, {args.rounds} rounds each, "
            f"interleaved, after {args.warmup} warm-up; PayPal's round trips "
            "played back from memory\n"
        )
        print_table(clock.times, series)
        if "webhook" not in series:
            print("\n(webhook: no payments/paypal_checkout/webhooks.py here)")
        tape.close()
        app._p_jar.db().close()
    listener.shutdown()
    server.shutdown()


if __name__ == "__main__":
    main()
