"""The Checkout Session built from an order, starting a payment, the
payer's return and reconciliation, against a stand-in for Stripe."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.api.unpaid import times_out_at
from getpaid.orders.exceptions import PaymentNotStarted
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.payments.interfaces import PaymentUrls
from getpaid.orders.payments.registry import providers_for
from getpaid.orders.payments.stripe import flow
from getpaid.orders.payments.stripe.client import StripeUnavailable
from getpaid.orders.payments.stripe.provider import stripe_checkout
from getpaid.orders.payments.stripe.session import session_body
from plone import api
from stripe_shop import fake_stripe_fixture  # noqa: F401
from stripe_shop import stripe_order_fixture  # noqa: F401
from zope.i18n import translate

import pytest


URLS = PaymentUrls(
    page="https://shop.example/o/1",
    pay="https://shop.example/o/1/@@pay/stripe",
    back="https://shop.example/o/1/@@payment-return/stripe",
    cancel="https://shop.example/o/1",
    site="https://shop.example",
)


def now_of(order):
    return order.created().asdatetime().astimezone(UTC) + timedelta(minutes=1)


def test_session_body(stripe_order):
    order = stripe_order
    body = session_body(order, URLS, now_of(order))
    (item,) = body["line_items"]
    assert item == {
        "price_data": {
            "currency": "eur",
            "unit_amount": 1250,
            "product_data": {"name": "Mug"},
        },
        "quantity": 2,
    }
    assert item["price_data"]["unit_amount"] * item["quantity"] == 2500
    assert body["mode"] == "payment"
    assert body["client_reference_id"] == order.number
    reference = {"uid": order.UID(), "number": order.number}
    assert body["metadata"] == reference
    assert body["payment_intent_data"] == {"metadata": reference}
    assert body["customer_email"] == "ada@example.org"
    assert body["success_url"] == URLS.back + "?session_id={CHECKOUT_SESSION_ID}"
    assert body["cancel_url"] == URLS.cancel


def test_expires_within_stripe_s_window_and_stays_put(stripe_order):
    now = now_of(stripe_order)
    expires = session_body(stripe_order, URLS, now)["expires_at"]
    assert timedelta(minutes=30) < datetime.fromtimestamp(expires, UTC) - now
    assert datetime.fromtimestamp(expires, UTC) - now <= timedelta(hours=24)
    # A retry moments later sends the very same body (one idempotency key)
    later = session_body(stripe_order, URLS, now + timedelta(seconds=3))
    assert later == session_body(stripe_order, URLS, now)


def test_expires_when_the_order_times_out(stripe_order):
    api.portal.set_registry_record("getpaid.orders.unpaid_timeout_minutes", 120)
    now = now_of(stripe_order)
    expires = session_body(stripe_order, URLS, now)["expires_at"]
    assert expires == int(times_out_at(stripe_order).timestamp())


def test_too_late_to_pay(stripe_order):
    api.portal.set_registry_record("getpaid.orders.unpaid_timeout_minutes", 40)
    now = now_of(stripe_order) + timedelta(minutes=15)  # 24 minutes left
    with pytest.raises(PaymentNotStarted) as raised:
        session_body(stripe_order, URLS, now)
    assert "less than 30 minutes" in str(raised.value)


def test_start_makes_one_session_per_attempt(stripe_order, fake_stripe):
    url = flow.start(stripe_order, URLS, {"attempt": "1"})
    again = flow.start(stripe_order, URLS, {"attempt": "1"})  # a double click
    assert url == again and len(fake_stripe.sessions) == 1
    (attempt,) = attempts_of(stripe_order)
    (session,) = fake_stripe.sessions.values()
    assert (attempt.provider, attempt.ref, attempt.payer_url, attempt.nonce) == (
        "stripe",
        session["id"],
        url,
        "1",
    )
    keys = [call[2] for call in fake_stripe.calls]
    assert keys[0] == keys[1] and stripe_order.UID() not in keys[0]
    flow.start(stripe_order, URLS, {"attempt": "2"})
    assert len(fake_stripe.sessions) == 2 and len(attempts_of(stripe_order)) == 2


def test_start_unavailable(stripe_order, fake_stripe):
    fake_stripe.fail = StripeUnavailable("timeout")
    with pytest.raises(ProviderUnavailable):
        flow.start(stripe_order, URLS, {"attempt": "1"})
    assert attempts_of(stripe_order) == []


def test_offered_with_keys_and_exact_amounts(stripe_order, fake_stripe):
    api.portal.set_registry_record(
        "getpaid.orders.payment_providers", ["paypal_checkout", "stripe"]
    )
    assert stripe_checkout in providers_for(stripe_order)
    form = stripe_checkout.payment_form(stripe_order, URLS)
    assert form.action == URLS.pay and form.fields == (("attempt", "1"),)


def test_not_offered_without_a_key(stripe_order, monkeypatch):
    monkeypatch.delenv("GETPAID_STRIPE_SECRET_KEY", raising=False)
    api.portal.set_registry_record("getpaid.orders.payment_providers", ["stripe"])
    assert providers_for(stripe_order) == []
    assert "GETPAID_STRIPE_SECRET_KEY" in translate(stripe_checkout.unusable())


def test_return_paid(stripe_order, fake_stripe):
    flow.start(stripe_order, URLS, {"attempt": "1"})
    (session,) = fake_stripe.sessions.values()
    fake_stripe.pay(session["id"])
    assert flow.settle_return(stripe_order, {"session_id": session["id"]}) == "paid"
    assert api.content.get_state(stripe_order) == "paid"
    (payment,) = stripe_order.payments()
    assert (payment.provider, payment.txn_id, payment.status, payment.kind) == (
        "stripe",
        session["payment_intent"],
        "succeeded",
        "payment",
    )
    assert payment.parent_txn_id == session["id"]
    (attempt,) = attempts_of(stripe_order)
    assert (attempt.status, attempt.payment_ref) == ("paid", session["payment_intent"])
    # A reload
    assert flow.settle_return(stripe_order, {"session_id": session["id"]}) == "paid"
    assert len(stripe_order.payments()) == 1


def test_return_of_another_session_settles_nothing(stripe_order, fake_stripe):
    flow.start(stripe_order, URLS, {"attempt": "1"})
    (session,) = fake_stripe.sessions.values()
    fake_stripe.pay(session["id"])
    assert flow.settle_return(stripe_order, {"session_id": "cs_other"}) == ""
    assert flow.settle_return(stripe_order, {}) == ""
    assert stripe_order.payments() == []


def test_return_pending_then_reconciled(stripe_order, fake_stripe):
    flow.start(stripe_order, URLS, {"attempt": "1"})
    (session,) = fake_stripe.sessions.values()
    fake_stripe.pay(session["id"], "processing")
    assert flow.settle_return(stripe_order, {"session_id": session["id"]}) == "pending"
    assert stripe_order.payment_pending == "processing"
    assert api.content.get_state(stripe_order) == "created"
    # The debit goes through; nobody tells us but the sweeper's look-up
    fake_stripe.intents[session["payment_intent"]].update(
        status="succeeded", amount_received=2500
    )
    fake_stripe.sessions[session["id"]]["payment_status"] = "paid"
    later = datetime.now(UTC) + flow.RECONCILE_AFTER
    assert flow.reconcile(stripe_order, later) == f"{session['id']} paid: paid"
    assert api.content.get_state(stripe_order) == "paid"
    assert stripe_order.payment_pending == ""
    assert flow.reconcile(stripe_order, later) == ""


def test_reconcile_expired(stripe_order, fake_stripe):
    flow.start(stripe_order, URLS, {"attempt": "1"})
    (session,) = fake_stripe.sessions.values()
    now = datetime.now(UTC)
    assert flow.reconcile(stripe_order, now) == ""  # too young to look up
    session["status"] = "expired"
    assert flow.reconcile(stripe_order, now + flow.RECONCILE_AFTER).endswith("expired")
    (attempt,) = attempts_of(stripe_order)
    assert (attempt.status, attempt.detail) == ("failed", "expired")
    assert not stripe_checkout.awaiting(stripe_order)


def test_reconcile_unavailable(stripe_order, fake_stripe):
    flow.start(stripe_order, URLS, {"attempt": "1"})
    fake_stripe.fail = StripeUnavailable("down")
    with pytest.raises(ProviderUnavailable):
        flow.reconcile(stripe_order, datetime.now(UTC) + flow.RECONCILE_AFTER)
