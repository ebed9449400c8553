"""@@stripe-webhook called in-process: the signature, the mode, and what
each event does to the order, once, whatever order events come in."""

from datetime import datetime
from datetime import UTC
from decimal import Decimal
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.api.attention import flags_of
from getpaid.orders.api.attention import REVERSAL
from getpaid.orders.api.refunds import refund
from getpaid.orders.exceptions import RefundNotPossible
from getpaid.orders.payments.interfaces import PaymentUrls
from getpaid.orders.payments.stripe import flow
from getpaid.orders.payments.stripe.client import StripeRefused
from getpaid.orders.payments.stripe.client import StripeUnavailable
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api
from stripe_shop import event
from stripe_shop import fake_stripe_fixture  # noqa: F401
from stripe_shop import signature
from stripe_shop import stripe_order_fixture  # noqa: F401

import io
import pytest
import time


URLS = PaymentUrls(
    page="https://shop.example/o/1",
    pay="https://shop.example/o/1/@@pay/stripe",
    back="https://shop.example/o/1/@@payment-return/stripe",
    cancel="https://shop.example/o/1",
    site="https://shop.example",
)


def post(portal, body: bytes, header=None, method="POST"):
    """(status, text) of @@stripe-webhook for ``body``, signed unless
    ``header`` says otherwise."""
    request = portal.REQUEST
    request.response.setStatus(200)
    request.method = method
    request.stdin = io.BytesIO(body)
    request.environ["HTTP_STRIPE_SIGNATURE"] = (
        signature(body) if header is None else header
    )
    view = api.content.get_view("stripe-webhook", portal, request)
    text = view()
    return request.response.getStatus(), text


def records(order):
    return [(p.txn_id, p.status, p.amount, p.kind) for p in order.payments()]


@pytest.fixture
def paying(stripe_order, fake_stripe):
    """(order, session) begun and paid at Stripe, nothing told yet."""
    flow.start(stripe_order, URLS, {"attempt": "1"})
    (session,) = fake_stripe.sessions.values()
    return stripe_order, session


def test_completed_pays_once(portal, paying, fake_stripe):
    order, session = paying
    fake_stripe.pay(session["id"])
    body = event("checkout.session.completed", session)
    assert post(portal, body) == (200, "OK")
    assert api.content.get_state(order) == "paid"
    (payment,) = order.payments()
    assert payment.raw == body and payment.kind == "payment"
    assert post(portal, body) == (200, "OK")  # a replay
    again = event("checkout.session.completed", session)  # resent, new event id
    assert post(portal, again) == (200, "OK")
    assert len(order.payments()) == 1
    assert attempts_of(order)[0].status == "paid"


def test_bad_signature_changes_nothing(portal, paying, fake_stripe):
    order, session = paying
    fake_stripe.pay(session["id"])
    body = event("checkout.session.completed", session)
    forged = signature(body, secret="whsec_other")
    assert post(portal, body, forged)[0] == 400
    assert post(portal, body, "")[0] == 400
    assert post(portal, body, "garbage")[0] == 400
    tampered = body.replace(b'"paid"', b'"paid" ')
    assert post(portal, tampered, signature(body))[0] == 400
    assert api.content.get_state(order) == "created" and order.payments() == []


def test_stale_timestamp(portal, paying, fake_stripe):
    order, session = paying
    fake_stripe.pay(session["id"])
    body = event("checkout.session.completed", session)
    old = signature(body, t=int(time.time()) - 301)
    assert post(portal, body, old)[0] == 400
    assert order.payments() == []


def test_livemode_must_match_the_key(portal, paying, fake_stripe):
    order, session = paying
    fake_stripe.pay(session["id"])
    body = event("checkout.session.completed", session, livemode=True)
    assert post(portal, body) == (400, "Wrong mode")
    assert order.payments() == []


def test_post_only_and_set_up(portal, monkeypatch, fake_stripe):
    assert post(portal, b"", method="GET")[0] == 405
    monkeypatch.delenv("GETPAID_STRIPE_WEBHOOK_SECRET")
    assert post(portal, event("checkout.session.completed", {}))[0] == 503


def test_unknown_order(portal, fake_stripe):
    session = {
        "id": "cs_x",
        "client_reference_id": "000000-NONE",
        "metadata": {"uid": "x", "number": "000000-NONE"},
        "status": "complete",
        "payment_status": "paid",
    }
    assert post(portal, event("checkout.session.completed", session)) == (200, "OK")


def test_amount_mismatch_flagged_never_paid(portal, paying, fake_stripe):
    order, session = paying
    fake_stripe.pay(session["id"])
    session = dict(session, amount_total=2400)
    assert post(portal, event("checkout.session.completed", session))[0] == 200
    assert api.content.get_state(order) == "created"
    (payment,) = order.payments()
    assert payment.kind == "" and payment.amount == Decimal("24.00")
    assert "amount 24.00, not 25.00" in order.attention


def test_async_succeeded_after_completed(portal, paying, fake_stripe):
    order, session = paying
    fake_stripe.pay(session["id"], "processing")
    completed = event("checkout.session.completed", dict(session))
    assert post(portal, completed)[0] == 200
    assert order.payment_pending == "processing"
    assert attempts_of(order)[0].status == "pending"
    succeeded = dict(session, payment_status="paid")
    body = event("checkout.session.async_payment_succeeded", succeeded)
    assert post(portal, body)[0] == 200
    assert api.content.get_state(order) == "paid" and order.payment_pending == ""
    assert [status for _id, status, *_ in records(order)] == [
        "processing",
        "succeeded",
    ]


def test_async_succeeded_before_completed(portal, paying, fake_stripe):
    order, session = paying
    fake_stripe.pay(session["id"], "processing")
    succeeded = dict(session, payment_status="paid")
    body = event("checkout.session.async_payment_succeeded", succeeded)
    assert post(portal, body)[0] == 200
    assert post(portal, event("checkout.session.completed", dict(session)))[0] == 200
    assert api.content.get_state(order) == "paid" and order.payment_pending == ""
    assert [status for _id, status, *_ in records(order)] == ["succeeded"]


def test_async_failed(portal, paying, fake_stripe):
    order, session = paying
    fake_stripe.pay(session["id"], "processing")
    body = event("checkout.session.async_payment_failed", dict(session))
    assert post(portal, body)[0] == 200
    assert api.content.get_state(order) == "payment_failed"
    assert attempts_of(order)[0].status == "failed"


def test_expired(portal, paying):
    order, session = paying
    body = event("checkout.session.expired", dict(session, status="expired"))
    assert post(portal, body)[0] == 200
    (attempt,) = attempts_of(order)
    assert (attempt.status, attempt.detail) == ("failed", "expired")
    assert api.content.get_state(order) == "created"


def paid(portal, paying, fake_stripe):
    order, session = paying
    fake_stripe.pay(session["id"])
    post(portal, event("checkout.session.completed", dict(session)))
    assert api.content.get_state(order) == "paid"
    return order, fake_stripe.sessions[session["id"]]["payment_intent"]


def test_refund_twice_from_the_back_office(portal, paying, fake_stripe):
    order, intent_id = paid(portal, paying, fake_stripe)
    refund(order, Decimal("10.00"), "sorry", source=SOURCE_MANAGER, seen=0)
    (call,) = [c for c in fake_stripe.calls if c[0] == "create_refund"]
    assert call[1]["amount"] == 1000 and call[1]["payment_intent"] == intent_id
    assert call[1]["metadata"]["uid"] == order.UID()
    assert api.content.get_state(order) == "paid"
    # The same form posted again: stale, nothing more refunded
    with pytest.raises(RefundNotPossible):
        refund(order, Decimal("10.00"), "sorry", source=SOURCE_MANAGER, seen=0)
    refund(order, Decimal("15.00"), "", source=SOURCE_MANAGER, seen=1)
    assert api.content.get_state(order) == "refunded"
    keys = [c[2] for c in fake_stripe.calls if c[0] == "create_refund"]
    assert len(set(keys)) == 2
    # Stripe's echoes of our refunds are duplicates
    for one in fake_stripe.refunds.values():
        assert post(portal, event("refund.created", one))[0] == 200
    charge = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": intent_id,
        "amount_refunded": 2500,
        "currency": "eur",
        "refunds": {"data": list(fake_stripe.refunds.values()), "has_more": False},
    }
    assert post(portal, event("charge.refunded", charge))[0] == 200
    refunds = [r for r in records(order) if r[3] == "refund"]
    assert sorted(r[2] for r in refunds) == [Decimal("-15.00"), Decimal("-10.00")]


def test_charge_refunded_at_stripe_records_each_refund_once(
    portal, paying, fake_stripe
):
    order, intent_id = paid(portal, paying, fake_stripe)
    first = fake_stripe.refund(intent_id, 500)
    assert post(portal, event("refund.created", first))[0] == 200
    fake_stripe.refund(intent_id, 700)  # its own event hasn't come
    charge = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": intent_id,
        "amount_refunded": 1200,  # cumulative, no refund id
        "currency": "eur",
    }
    assert post(portal, event("charge.refunded", charge))[0] == 200
    refunds = sorted(r[2] for r in records(order) if r[3] == "refund")
    assert refunds == [Decimal("-7.00"), Decimal("-5.00")]
    assert post(portal, event("charge.refunded", charge))[0] == 200  # replay
    assert len([r for r in records(order) if r[3] == "refund"]) == 2


def test_refund_before_the_payment_s_news(portal, paying, fake_stripe):
    order, session = paying
    fake_stripe.pay(session["id"])
    intent_id = fake_stripe.sessions[session["id"]]["payment_intent"]
    whole = fake_stripe.refund(intent_id, 2500)
    assert post(portal, event("refund.created", whole))[0] == 200
    assert api.content.get_state(order) == "refunded"
    assert [r[3] for r in records(order)] == ["payment", "refund"]


def test_refund_failed_after_it_succeeded(portal, paying, fake_stripe):
    order, intent_id = paid(portal, paying, fake_stripe)
    made = fake_stripe.refund(intent_id, 500)
    post(portal, event("refund.created", made))
    assert post(portal, event("refund.failed", dict(made, status="failed")))[0] == 200
    assert "failed after it succeeded" in order.attention


def test_dispute_flags_then_won_clears(portal, paying, fake_stripe):
    order, intent_id = paid(portal, paying, fake_stripe)
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "amount": 2500,
        "currency": "eur",
        "charge": "ch_1",
        "payment_intent": intent_id,
        "reason": "fraudulent",
        "status": "needs_response",
    }
    assert post(portal, event("charge.dispute.created", dispute))[0] == 200
    assert [(f.kind, f.ref) for f in flags_of(order)] == [(REVERSAL, intent_id)]
    assert post(portal, event("charge.dispute.created", dispute))[0] == 200  # replay
    assert len(flags_of(order)) == 1
    won = dict(dispute, status="won")
    assert post(portal, event("charge.dispute.closed", won))[0] == 200
    assert flags_of(order) == ()
    assert api.content.get_state(order) == "paid"


def test_transient_failure_is_tried_again(portal, paying, fake_stripe):
    order, session = paying
    fake_stripe.pay(session["id"])
    intent_id = fake_stripe.sessions[session["id"]]["payment_intent"]
    whole = fake_stripe.refund(intent_id, 2500)
    fake_stripe.fail = StripeUnavailable("down")
    assert post(portal, event("refund.created", whole)) == (503, "Try again")
    fake_stripe.fail = StripeRefused("no", "resource_missing", 404)
    assert post(portal, event("refund.created", whole))[0] == 200


def test_reconcile_ignores_young_attempts(paying):
    order, _session = paying
    assert flow.reconcile(order, datetime.now(UTC)) == ""
