"""A shop paying with PayPal Checkout on the simulator, whose webhooks go to
the shop's ``@@paypal-webhook``; orders paid there, and reading them anew.

A test module loads them with ``pytest_plugins = ["webhook_fixtures"]``.
"""

from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.api.attempts import begin_attempt
from getpaid.orders.api.attempts import find_attempt
from getpaid.orders.payments.paypal_checkout.amounts import money
from getpaid.orders.payments.paypal_checkout.client import Client
from getpaid.orders.payments.paypal_checkout.client import request_id
from getpaid.orders.payments.paypal_checkout.recording import PROVIDER
from paypal_rest_webhooks import Event
from plone import api
from shop_fixtures import paypal_simulator

import checkout_helpers
import itertools
import json
import pytest
import requests
import transaction


_numbers = itertools.count(1)


@pytest.fixture
def checkout_shop(shop_site, monkeypatch):
    """The simulator's REST API (``RestSimulator``), the shop paying with
    PayPal Checkout there and its webhooks going to the shop. Events are
    sent by the test (``send_event``), not as they happen: the simulator
    retries an event until the shop answers 2xx, quickly, a few times."""
    simulator, server, base = paypal_simulator.serve(0)
    rest = simulator.rest
    rest.retry_seconds = 0.05
    rest.attempts = 3
    rest.auto_events = False
    checkout_helpers.shop_pays_at(rest, base, monkeypatch)
    rest.webhook_url = shop_site.absolute_url() + "/@@paypal-webhook"
    rest.client = Client(rest.client_id, rest.client_secret, base, timeout=(2, 5))
    yield rest
    rest.webhook_url = ""
    server.shutdown()


@pytest.fixture
def checkout_order(checkout_shop, shop_site, customer):
    """An unpaid order of 50.00 EUR, committed."""
    placed = shop.checkout([(shop_site["mug"], 2), (shop_site["tee"], 1)], customer)
    transaction.commit()
    return placed.order


def paypal_order(
    rest,
    order,
    *,
    total=None,
    currency=None,
    invoice_id=None,
    custom_id=None,
    attempt: bool = True,
) -> dict:
    """A PayPal order for ``order`` (its total, currency, number and UID
    unless told otherwise; no custom_id for ""), kept as the order's
    attempt unless told otherwise."""
    total = Decimal(total) if total is not None else order.total
    currency = currency or order.currency
    body = checkout_helpers.order_body(
        currency,
        (("Order", str(total), 1),),
        invoice_id=order.number if invoice_id is None else invoice_id,
    )
    unit = body["purchase_units"][0]
    unit["custom_id"] = order.UID() if custom_id is None else custom_id
    if not unit["custom_id"]:
        del unit["custom_id"]
    created = rest.client.create_order(
        body, request_id=request_id("create", str(next(_numbers)))
    )
    if attempt:
        transaction.begin()
        begin_attempt(order, PROVIDER, created["id"])
        transaction.commit()
    return created


def captured(rest, order, outcome: str = "COMPLETED", **kwargs) -> dict:
    """A PayPal order for ``order``, approved (``outcome``: COMPLETED or
    PENDING) and captured: its capture. No event is sent."""
    created = paypal_order(rest, order, **kwargs)
    rest.approve(created["id"], outcome)
    answer = rest.client.capture_order(
        created["id"], request_id=request_id("capture", created["id"])
    )
    return answer["purchase_units"][0]["payments"]["captures"][0]


def refund(rest, capture: dict, amount: str | None = None) -> dict:
    return rest.client.refund_capture(
        capture["id"],
        request_id=request_id("refund", capture["id"], str(next(_numbers))),
        amount=Decimal(amount) if amount else None,
        currency=capture["amount"]["currency_code"],
    )


def delivered(rest, count: int) -> list:
    """The first ``count`` deliveries once the shop has answered them all."""
    deliveries = rest.wait_for_deliveries(count)
    assert len(deliveries) >= count, deliveries
    return deliveries


def send(rest, event_type: str, resource_id: str, copies: int = 1) -> list[int]:
    """Send an event and wait for it: the statuses the shop answered, one
    per delivery (a 2xx ends PayPal's retries)."""
    before = len(rest.deliveries)
    rest.send_event(event_type, resource_id, copies=copies)
    return wait_statuses(rest, before, copies)


def deliver(rest, body: bytes, event_type: str = "") -> list[int]:
    """Deliver ``body`` as an event the simulator signed (verifiable,
    whatever its bytes): the statuses the shop answered."""
    before = len(rest.deliveries)
    data = json.loads(body)
    rest.resend(Event(data["id"], event_type or data["event_type"], body))
    return wait_statuses(rest, before, 1)


def event_body(rest, event_type: str, resource_id: str) -> bytes:
    """The body the simulator would send for this event now, not sent."""
    rest.webhook_url, url = "", rest.webhook_url
    try:
        return rest.send_event(event_type, resource_id).body
    finally:
        rest.webhook_url = url


def wait_statuses(rest, before: int, copies: int) -> list[int]:
    """The statuses of deliveries made since ``before``, once ``copies``
    of them got a 2xx or ran out of attempts."""

    def done():
        made = rest.deliveries[before:]
        ended = sum(200 <= d.status < 300 for d in made)
        return ended >= copies or len(made) >= copies * rest.attempts

    assert checkout_helpers.wait_for(done), rest.deliveries[before:]
    return [d.status for d in rest.deliveries[before:]]


def post(site, body: bytes, headers: dict) -> requests.Response:
    """POST to the shop's webhook as anyone could."""
    url = site.absolute_url() + "/@@paypal-webhook"
    return requests.post(url, data=body, headers=headers, timeout=30)


def fresh(order):
    """The order as committed now (a new transaction)."""
    transaction.begin()
    return order


def state_of(order) -> str:
    return api.content.get_state(fresh(order))


def records(order) -> list[tuple]:
    """(txn_id, status, amount, kind) of the order's payment records."""
    return sorted(
        (p.txn_id, p.status, p.amount, p.kind) for p in fresh(order).payments()
    )


def transitions(order, action: str = "") -> list:
    """The history's entries (of ``action`` only, when given)."""
    return [e for e in fresh(order).history if not action or e.action == action]


def attempt_status(order, paypal_order_id: str) -> str:
    return find_attempt(fresh(order), PROVIDER, paypal_order_id).status


def capture_money(amount: str, currency: str = "EUR") -> dict:
    return money(Decimal(amount), currency)
