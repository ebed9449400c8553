"""The simulator itself: PayPal's answers where the client never goes, and
the process ``make start`` runs."""

from io import BytesIO
from pathlib import Path
from shop_fixtures import free_port
from shop_fixtures import paypal_simulator
from wsgiref.util import setup_testing_defaults

import checkout_helpers as shop
import pytest
import requests
import socket
import subprocess
import sys
import time


TOOLS = Path(__file__).parents[2] / "tools"


def token(base: str, secret: str = "simulator-secret") -> requests.Response:
    return requests.post(
        f"{base}/v1/oauth2/token",
        auth=("simulator-client", secret),
        data={"grant_type": "client_credentials"},
        timeout=10,
    )


def test_no_bearer_token(paypal):
    answer = requests.get(f"{paypal.base}/v2/checkout/orders/X", timeout=10)
    assert answer.status_code == 401
    assert answer.json()["name"] == "AUTHENTICATION_FAILURE"


def test_minimal_answers_without_prefer(paypal):
    bearer = {"Authorization": "Bearer " + token(paypal.base).json()["access_token"]}
    answer = requests.post(
        f"{paypal.base}/v2/checkout/orders",
        json=shop.order_body(),
        headers=bearer,
        timeout=10,
    )
    assert answer.status_code == 201
    assert set(answer.json()) == {"id", "status", "links"}


@pytest.mark.parametrize(
    "body, issue",
    [
        (b"{", "MALFORMED_REQUEST_JSON"),
        (b'{"purchase_units": []}', "MISSING_REQUIRED_PARAMETER"),
        (b'{"intent": "AUTHORIZE", "purchase_units": []}', "UNSUPPORTED_INTENT"),
    ],
)
def test_bad_requests(paypal, body, issue):
    bearer = {"Authorization": "Bearer " + token(paypal.base).json()["access_token"]}
    answer = requests.post(
        f"{paypal.base}/v2/checkout/orders", data=body, headers=bearer, timeout=10
    )
    assert answer.json()["details"][0]["issue"] == issue
    assert paypal.orders == {}


def test_loopback_clients_only():
    simulator = paypal_simulator.Simulator()
    environ = {"PATH_INFO": "/v1/oauth2/token", "REQUEST_METHOD": "POST"}
    setup_testing_defaults(environ)
    environ.update(REMOTE_ADDR="192.0.2.7", **{"wsgi.input": BytesIO()})
    statuses = []
    simulator(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["403 Forbidden"]


def test_the_demo_process_speaks_rest():
    """``make start`` runs ``tools/paypal_simulator.py --port 8081``: the
    REST API is in that process."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(TOOLS / "paypal_simulator.py"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the simulator did not start"
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        answer = token(base)
        assert answer.status_code == 200
        assert answer.json()["token_type"] == "Bearer"
        assert token(base, "wrong").status_code == 401
        standard = requests.post(
            f"{base}/cgi-bin/webscr", data=b"cmd=_notify-validate&x=1", timeout=10
        )
        assert standard.text == "INVALID"  # Payments Standard still answers
    finally:
        process.terminate()
        process.wait(timeout=10)
