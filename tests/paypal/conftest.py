"""A PayPal verification endpoint on loopback, and a shop pointed at it."""

from getpaid.orders import api as shop
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from plone import api

import pytest
import requests
import threading
import time
import transaction


class Verifier:
    """Answers _notify-validate like PayPal: VERIFIED for the messages it
    was told PayPal sent (byte for byte), INVALID for anything else."""

    def __init__(self):
        self.issued: set[bytes] = set()
        self.asked: list[bytes] = []
        self.mode = "paypal"  # or "500", "redirect", "slow", "garbage"

    def answer(self, body: bytes):
        self.asked.append(body)
        if self.mode == "500":
            return 500, b"Internal Server Error"
        if self.mode == "redirect":
            return 302, b""
        if self.mode == "garbage":
            return 200, b"<html>maintenance</html>"
        if self.mode == "slow":
            time.sleep(2)
        prefix = b"cmd=_notify-validate&"
        genuine = body.startswith(prefix) and body[len(prefix) :] in self.issued
        return 200, b"VERIFIED" if genuine else b"INVALID"


@pytest.fixture
def verifier():
    verifier = Verifier()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status, answer = verifier.answer(body)
            self.send_response(status)
            if status == 302:
                self.send_header("Location", "https://example.org/")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    verifier.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webscr"
    yield verifier
    server.shutdown()


@pytest.fixture
def paypal_shop(shop_site, verifier):
    api.portal.set_registry_record("getpaid.orders.paypal_mode", "custom")
    api.portal.set_registry_record("getpaid.orders.paypal_payment_url", verifier.url)
    api.portal.set_registry_record("getpaid.orders.paypal_verify_url", verifier.url)
    api.portal.set_registry_record(
        "getpaid.orders.paypal_receiver_email", "Shop@Example.org"
    )
    transaction.commit()
    return shop_site


@pytest.fixture
def order(paypal_shop, customer):
    """An unpaid order of 50.00 EUR, committed."""
    placed = shop.checkout([(paypal_shop["mug"], 2), (paypal_shop["tee"], 1)], customer)
    transaction.commit()
    return placed.order


@pytest.fixture
def send_ipn(paypal_shop, verifier):
    """send_ipn(body) -> HTTP response; the body counts as PayPal's own."""

    def send(body: bytes, *, genuine: bool = True):
        if genuine:
            verifier.issued.add(body)
        return requests.post(
            paypal_shop.absolute_url() + "/@@paypal-ipn",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=30,
        )

    return send
