"""PayPal's REST API as the simulator speaks it, on loopback, and clients
of it: real HTTP, no Plone."""

from getpaid.orders.payments.paypal_checkout.client import Client
from getpaid.orders.payments.paypal_checkout.tokens import TokenCache
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from shop_fixtures import paypal_simulator

import pytest
import threading


class Clock:
    """The token cache's clock, moved by the test."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def paypal():
    """The simulator's REST API (``RestSimulator``), with quick retries."""
    simulator, server, _base = paypal_simulator.serve(0)
    simulator.rest.retry_seconds = 0.05
    yield simulator.rest
    server.shutdown()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def client(paypal, clock):
    """A client of the simulator with a token cache of its own."""
    return Client(
        paypal.client_id,
        paypal.client_secret,
        paypal.base,
        tokens=TokenCache(clock),
        timeout=(2.0, 5.0),
    )


class Listener:
    """A webhook listener: keeps each delivery's headers and raw body, and
    answers the statuses in ``answers`` first, then 200."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.answers: list[int] = []
        self.url = ""


@pytest.fixture
def listener(paypal):
    listener = Listener()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            listener.received.append((dict(self.headers.items()), body))
            status = listener.answers.pop(0) if listener.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    listener.url = f"http://127.0.0.1:{server.server_address[1]}/@@paypal-webhook"
    paypal.webhook_url = listener.url
    yield listener
    server.shutdown()
