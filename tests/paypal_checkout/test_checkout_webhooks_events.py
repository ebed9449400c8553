"""@@paypal-webhook over real HTTP: each event type, signed and sent by the
simulator, does what it means to the order, once."""

from decimal import Decimal
from getpaid.orders.api.attention import flags_of
from getpaid.orders.api.attention import REVERSAL
from getpaid.orders.content.attempt import FAILED
from getpaid.orders.content.attempt import PAID
from getpaid.orders.content.attempt import PENDING
from getpaid.orders.payments.paypal_checkout import flow
from getpaid.orders.payments.paypal_checkout import recording
from webhook_fixtures import attempt_status
from webhook_fixtures import captured
from webhook_fixtures import checkout_shop  # noqa: F401
from webhook_fixtures import fresh
from webhook_fixtures import order  # noqa: F401
from webhook_fixtures import paypal_order
from webhook_fixtures import records
from webhook_fixtures import refund
from webhook_fixtures import send
from webhook_fixtures import state_of
from webhook_fixtures import transitions

import pytest
import transaction


def test_completed_pays_the_order(checkout_shop, order):
    capture = captured(checkout_shop, order)
    assert send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"]) == [200]
    assert state_of(order) == "paid"
    assert records(order) == [(capture["id"], "COMPLETED", Decimal("50.00"), "payment")]
    (payment,) = fresh(order).payments()
    delivery = checkout_shop.deliveries[-1]
    assert payment.raw == delivery.body  # the whole event, as delivered
    assert payment.parent_txn_id == capture["supplementary_data"]["related_ids"][
        "order_id"
    ]
    assert attempt_status(order, payment.parent_txn_id) == PAID
    assert len(transitions(order, "pay")) == 1


def test_pending_then_completed(checkout_shop, order):
    capture = captured(checkout_shop, order, "PENDING")
    paypal_id = capture["supplementary_data"]["related_ids"]["order_id"]
    assert send(checkout_shop, "PAYMENT.CAPTURE.PENDING", capture["id"]) == [200]
    assert state_of(order) == "created"
    assert fresh(order).payment_pending == "PENDING_REVIEW"
    assert attempt_status(order, paypal_id) == PENDING
    checkout_shop.settle_pending(capture["id"], completed=True)
    assert send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"]) == [200]
    assert state_of(order) == "paid"
    assert fresh(order).payment_pending == ""
    assert attempt_status(order, paypal_id) == PAID
    assert [r[1] for r in records(order)] == ["COMPLETED", "PENDING"]


@pytest.mark.parametrize("event", ["DENIED", "DECLINED"])
def test_pending_then_denied_fails_the_payment(checkout_shop, order, event):
    capture = captured(checkout_shop, order, "PENDING")
    paypal_id = capture["supplementary_data"]["related_ids"]["order_id"]
    assert send(checkout_shop, "PAYMENT.CAPTURE.PENDING", capture["id"]) == [200]
    checkout_shop.settle_pending(capture["id"], completed=False)
    assert send(checkout_shop, f"PAYMENT.CAPTURE.{event}", capture["id"]) == [200]
    assert state_of(order) == "payment_failed"
    assert fresh(order).payment_pending == ""
    assert attempt_status(order, paypal_id) == FAILED
    assert [r[1] for r in records(order)] == ["DECLINED", "PENDING"]
    assert all(r[3] == "" for r in records(order))


def test_refunded_at_paypal(checkout_shop, order):
    capture = captured(checkout_shop, order)
    send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"])
    part = refund(checkout_shop, capture, "20.00")
    assert send(checkout_shop, "PAYMENT.CAPTURE.REFUNDED", part["id"]) == [200]
    assert state_of(order) == "paid"  # partly refunded
    rest = refund(checkout_shop, capture)
    assert send(checkout_shop, "PAYMENT.CAPTURE.REFUNDED", rest["id"]) == [200]
    assert state_of(order) == "refunded"
    assert records(order) == sorted(
        [
            (capture["id"], "COMPLETED", Decimal("50.00"), "payment"),
            (part["id"], "COMPLETED", Decimal("-20.00"), "refund"),
            (rest["id"], "COMPLETED", Decimal("-30.00"), "refund"),
        ]
    )
    refunds = [p for p in fresh(order).payments() if p.kind == "refund"]
    assert {p.parent_txn_id for p in refunds} == {capture["id"]}


def test_the_echo_of_our_own_refund_does_nothing(checkout_shop, order):
    capture = captured(checkout_shop, order)
    send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"])
    made = refund(checkout_shop, capture, "20.00")
    # The back office records the refund PayPal answered (refunds.py).
    transaction.begin()
    outcome = recording.record_refund(fresh(order), made, capture_id=capture["id"])
    transaction.commit()
    assert outcome.action == "refund recorded"
    history = len(transitions(order))
    assert send(checkout_shop, "PAYMENT.CAPTURE.REFUNDED", made["id"]) == [200]
    assert len(transitions(order)) == history
    assert [r[0] for r in records(order)].count(made["id"]) == 1
    assert state_of(order) == "paid"


def test_reversed_is_kept_and_flagged(checkout_shop, order):
    capture = captured(checkout_shop, order)
    send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"])
    reversal = checkout_shop.reverse(capture["id"])
    assert send(checkout_shop, "PAYMENT.CAPTURE.REVERSED", reversal.id, copies=2) == [
        200,
        200,
    ]
    assert state_of(order) == "paid"  # a person decides
    (record,) = [p for p in fresh(order).payments() if p.txn_id == reversal.id]
    assert (record.status, record.amount, record.kind, record.parent_txn_id) == (
        "REVERSED",
        Decimal("-50.00"),
        "",
        capture["id"],
    )
    (flag,) = flags_of(fresh(order))
    assert (flag.kind, flag.ref) == (REVERSAL, capture["id"])
    assert "reversed" in fresh(order).attention


def test_approval_reversed_fails_the_attempt(checkout_shop, order):
    created = paypal_order(checkout_shop, order)
    checkout_shop.approve(created["id"])
    event = "CHECKOUT.PAYMENT-APPROVAL.REVERSED"
    assert send(checkout_shop, event, created["id"], copies=2) == [200, 200]
    assert attempt_status(order, created["id"]) == FAILED
    assert len(transitions(order, "payment approval reversed")) == 1
    assert state_of(order) == "created"  # it can be paid again
    assert records(order) == []


@pytest.fixture
def captures(monkeypatch):
    """flow.capture as a stand-in: what it was asked to capture."""
    asked = []

    def capture(order, paypal_order_id):
        asked.append((order.number, paypal_order_id))
        return recording.Outcome("paid")

    monkeypatch.setattr(flow, "capture", capture)
    return asked


def test_approved_captures_for_a_payer_who_never_came_back(
    checkout_shop, order, captures
):
    created = paypal_order(checkout_shop, order)
    checkout_shop.approve(created["id"])
    assert send(checkout_shop, "CHECKOUT.ORDER.APPROVED", created["id"]) == [200]
    assert captures == [(order.number, created["id"])]


def test_approved_for_an_order_paid_otherwise_is_not_captured(
    checkout_shop, order, captures
):
    second = paypal_order(checkout_shop, order)  # another tab, approved late
    paid = captured(checkout_shop, order)
    send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", paid["id"])
    checkout_shop.approve(second["id"])
    assert send(checkout_shop, "CHECKOUT.ORDER.APPROVED", second["id"]) == [200]
    assert captures == []


def test_approved_for_another_order_is_not_captured(checkout_shop, order, captures):
    created = paypal_order(checkout_shop, order, custom_id="0" * 32)
    checkout_shop.approve(created["id"])
    assert send(checkout_shop, "CHECKOUT.ORDER.APPROVED", created["id"]) == [200]
    assert captures == []
