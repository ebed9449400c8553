"""The Stripe simulator (tools/stripe_simulator.py) in-process on port 0,
a client of it through the official ``stripe`` library, and a webhook
listener: real HTTP, no Plone. Import the fixtures you use from here."""

from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import stripe
import sys
import threading
import time


sys.path.insert(0, str(Path(__file__).parents[2] / "tools"))

import stripe_simulator  # noqa: E402


@pytest.fixture(name="stripe_sim")
def stripe_sim_fixture():
    """The simulator (``StripeSimulator``), with quick webhook retries."""
    simulator, server, _base = stripe_simulator.serve(0)
    simulator.retry_seconds = 0.05
    yield simulator
    server.shutdown()


@pytest.fixture(name="stripe_client")
def stripe_client_fixture(stripe_sim):
    """The official library, pointed at the simulator."""
    return stripe.StripeClient(
        stripe_sim.secret_key,
        base_addresses={"api": stripe_sim.base},
        max_network_retries=2,
    )


class Listener:
    """A webhook listener: keeps each delivery's headers and raw body, and
    answers the statuses in ``answers`` first, then 200."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.answers: list[int] = []
        self.url = ""

    def wait(self, count: int, timeout: float = 10.0) -> list[tuple[dict, bytes]]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)


@pytest.fixture(name="listener")
def listener_fixture(stripe_sim):
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
    listener.url = f"http://127.0.0.1:{server.server_address[1]}/@@stripe-webhook"
    stripe_sim.webhook_url = listener.url
    yield listener
    server.shutdown()


def session_params(**changes) -> dict:
    """A Checkout Session as the shop asks for one: 2 × 12.50 EUR."""
    params = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 1250,
                    "product_data": {"name": "Darjeeling"},
                },
                "quantity": 2,
            }
        ],
        "client_reference_id": "2024-0001",
        "metadata": {"uid": "0123abcd"},
        "payment_intent_data": {"metadata": {"uid": "0123abcd"}},
        "customer_email": "zoe@example.com",
        "success_url": "http://localhost:8080/Plone/o/pay-back?s={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://localhost:8080/Plone/o",
        "expires_at": int(time.time()) + 3600,
    }
    params.update(changes)
    return params


def choose(session, action: str) -> requests.Response:
    """The payer presses a button on the simulator's page."""
    return requests.post(f"{session.url}/{action}", allow_redirects=False, timeout=10)
