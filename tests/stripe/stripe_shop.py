"""A shop that takes Stripe, and what its tests need: a stand-in for
Stripe's API in-process (``FakeStripe``, for unit tests), and events signed
exactly as Stripe signs them (``signature``).

Test modules import the fixtures by their module names
(``stripe_order_fixture``); tests ask for them by their fixture names.
"""

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.payments.stripe import client as stripe_client
from getpaid.orders.payments.stripe.client import StripeRefused

import hashlib
import hmac
import itertools
import json
import pytest
import time


SECRET_KEY = "sk_test_getpaid"
WEBHOOK_SECRET = "whsec_getpaid"
IDS = itertools.count(1)


def signature(payload: bytes, secret: str = WEBHOOK_SECRET, t=None) -> str:
    """The ``Stripe-Signature`` header of ``payload``, as Stripe writes it:
    ``t=<ts>,v1=hex(HMAC_SHA256(secret, "<ts>.<payload>"))``."""
    t = int(time.time()) if t is None else t
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256)
    return f"t={t},v1={mac.hexdigest()}"


def event(type: str, obj: dict, livemode: bool = False) -> bytes:
    return json.dumps(
        {
            "id": f"evt_{next(IDS)}",
            "object": "event",
            "type": type,
            "livemode": livemode,
            "data": {"object": obj},
        }
    ).encode()


@dataclass
class FakeStripe:
    """Stripe's API as ``stripe.client.Client`` answers it, kept in dicts."""

    sessions: dict = field(default_factory=dict)
    intents: dict = field(default_factory=dict)
    refunds: dict = field(default_factory=dict)
    calls: list = field(default_factory=list)
    keys: dict = field(default_factory=dict)
    fail: Exception | None = None

    def _check(self, *call):
        self.calls.append(call)
        if self.fail is not None:
            raise self.fail

    def create_session(self, params, idempotency_key):
        self._check("create_session", params, idempotency_key)
        if idempotency_key in self.keys:
            return self.keys[idempotency_key]
        amount = sum(
            item["price_data"]["unit_amount"] * item["quantity"]
            for item in params["line_items"]
        )
        session_id = f"cs_test_{next(IDS)}"
        session = {
            "id": session_id,
            "object": "checkout.session",
            "url": f"https://checkout.stripe.test/c/pay/{session_id}",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": amount,
            "currency": params["line_items"][0]["price_data"]["currency"],
            "client_reference_id": params["client_reference_id"],
            "metadata": dict(params["metadata"]),
            "payment_intent": None,
            "livemode": False,
        }
        self.sessions[session_id] = session
        self.keys[idempotency_key] = session
        return dict(session)

    def pay(self, session_id, status="succeeded"):
        """The payer pays (``processing``: an async method)."""
        session = self.sessions[session_id]
        intent_id = f"pi_{next(IDS)}"
        self.intents[intent_id] = {
            "id": intent_id,
            "object": "payment_intent",
            "status": status,
            "amount": session["amount_total"],
            "amount_received": session["amount_total"] if status == "succeeded" else 0,
            "currency": session["currency"],
            "metadata": dict(session["metadata"]),
        }
        session.update(
            status="complete",
            payment_intent=intent_id,
            payment_status="paid" if status == "succeeded" else "unpaid",
        )
        return session

    def get_session(self, session_id):
        self._check("get_session", session_id)
        if session_id not in self.sessions:
            raise StripeRefused("No such session", "resource_missing", 404)
        return dict(self.sessions[session_id])

    def get_payment_intent(self, intent_id):
        self._check("get_payment_intent", intent_id)
        if intent_id not in self.intents:
            raise StripeRefused("No such intent", "resource_missing", 404)
        return dict(self.intents[intent_id])

    def create_refund(self, params, idempotency_key):
        self._check("create_refund", params, idempotency_key)
        if idempotency_key in self.keys:
            return self.keys[idempotency_key]
        refund = self.refund(params["payment_intent"], params["amount"])
        refund["metadata"] = dict(params.get("metadata") or {})
        self.keys[idempotency_key] = refund
        return dict(refund)

    def refund(self, intent_id, amount, status="succeeded"):
        refund_id = f"re_{next(IDS)}"
        refund = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "currency": self.intents[intent_id]["currency"],
            "payment_intent": intent_id,
            "status": status,
            "metadata": {},
        }
        self.refunds[refund_id] = refund
        return refund

    def list_refunds(self, intent_id):
        self._check("list_refunds", intent_id)
        return [
            dict(r) for r in self.refunds.values() if r["payment_intent"] == intent_id
        ]


@pytest.fixture(name="fake_stripe")
def fake_stripe_fixture(monkeypatch):
    """Stripe's keys set, its API the ``FakeStripe``."""
    fake = FakeStripe()
    monkeypatch.setenv("GETPAID_STRIPE_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("GETPAID_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setattr(stripe_client, "client", lambda: fake)
    return fake


@pytest.fixture(name="stripe_order")
def stripe_order_fixture(make_product, customer):
    """An unpaid order of 2 × 12.50 EUR."""
    return shop.place_order([(make_product("mug", "12.50"), 2)], customer)


TOTAL = Decimal("25.00")


# Over real HTTP: the functional site paying at the Stripe simulator


@dataclass
class StripeShop:
    site: object
    stripe: object  # the simulator (tools/stripe_simulator.py)
    paypal: object  # PayPal's REST simulator: both providers are enabled


@pytest.fixture(name="stripe_shop")
def stripe_shop_fixture(shop_site, monkeypatch):
    """``shop_site`` offering PayPal Checkout and Stripe, each at its
    simulator; Stripe's webhooks go to the site's @@stripe-webhook."""
    from pathlib import Path

    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "paypal_checkout"))
    sys.path.insert(0, str(Path(__file__).parents[2] / "tools"))
    from checkout_helpers import shop_pays_at
    from plone import api
    from shop_fixtures import paypal_simulator

    import stripe_simulator
    import transaction

    paypal, paypal_server, paypal_url = paypal_simulator.serve(0)
    shop_pays_at(paypal.rest, paypal_url, monkeypatch, ("paypal_checkout", "stripe"))
    simulator, server, base = stripe_simulator.serve(0)
    simulator.retry_seconds = 0.05
    simulator.webhook_url = f"{shop_site.absolute_url()}/@@stripe-webhook"
    monkeypatch.setenv("GETPAID_STRIPE_SECRET_KEY", simulator.secret_key)
    monkeypatch.setenv("GETPAID_STRIPE_WEBHOOK_SECRET", simulator.webhook_secret)
    api.portal.set_registry_record("getpaid.orders.stripe_api_url", base)
    transaction.commit()
    yield StripeShop(shop_site, simulator, paypal.rest)
    server.shutdown()
    paypal_server.shutdown()
