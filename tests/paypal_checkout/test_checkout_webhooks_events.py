"""@@paypal-webhook over real HTTP: each event type, signed and sent by the
simulator, does what it means to the order, once."""

from decimal import Decimal
from getpaid.orders.api.attention import flags_of
from getpaid.orders.api.attention import REVERSAL
from getpaid.orders.api.history import add_history
from getpaid.orders.content.attempt import FAILED
from getpaid.orders.content.attempt import PAID
from getpaid.orders.content.attempt import PENDING
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.payments.paypal_checkout import flow
from getpaid.orders.payments.paypal_checkout import recording
from getpaid.orders.payments.paypal_checkout.errors import PayPalError
from getpaid.orders.payments.paypal_checkout.errors import PayPalUnavailable
from getpaid.orders.workflow import SOURCE_PROVIDER
from webhook_fixtures import attempt_status
from webhook_fixtures import captured
from webhook_fixtures import fresh
from webhook_fixtures import paypal_order
from webhook_fixtures import records
from webhook_fixtures import refund
from webhook_fixtures import send
from webhook_fixtures import state_of
from webhook_fixtures import transitions

import pytest
import transaction


# The shop's fixtures (the lead moves them to conftest.py when merging).
pytest_plugins = ["webhook_fixtures"]


def test_completed_pays_the_order(checkout_shop, checkout_order):
    capture = captured(checkout_shop, checkout_order)
    assert send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"]) == [200]
    assert state_of(checkout_order) == "paid"
    assert records(checkout_order) == [
        (capture["id"], "COMPLETED", Decimal("50.00"), "payment")
    ]
    (payment,) = fresh(checkout_order).payments()
    delivery = checkout_shop.deliveries[-1]
    assert payment.raw == delivery.body  # the whole event, as delivered
    assert (
        payment.parent_txn_id
        == capture["supplementary_data"]["related_ids"]["order_id"]
    )
    assert attempt_status(checkout_order, payment.parent_txn_id) == PAID
    assert len(transitions(checkout_order, "pay")) == 1


def test_pending_then_completed(checkout_shop, checkout_order):
    capture = captured(checkout_shop, checkout_order, "PENDING")
    paypal_id = capture["supplementary_data"]["related_ids"]["order_id"]
    assert send(checkout_shop, "PAYMENT.CAPTURE.PENDING", capture["id"]) == [200]
    assert state_of(checkout_order) == "created"
    assert fresh(checkout_order).payment_pending == "PENDING_REVIEW"
    assert attempt_status(checkout_order, paypal_id) == PENDING
    checkout_shop.settle_pending(capture["id"], completed=True)
    assert send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"]) == [200]
    assert state_of(checkout_order) == "paid"
    assert fresh(checkout_order).payment_pending == ""
    assert attempt_status(checkout_order, paypal_id) == PAID
    assert [r[1] for r in records(checkout_order)] == ["COMPLETED", "PENDING"]


@pytest.mark.parametrize("event", ["DENIED", "DECLINED"])
def test_pending_then_denied_fails_the_payment(checkout_shop, checkout_order, event):
    capture = captured(checkout_shop, checkout_order, "PENDING")
    paypal_id = capture["supplementary_data"]["related_ids"]["order_id"]
    assert send(checkout_shop, "PAYMENT.CAPTURE.PENDING", capture["id"]) == [200]
    checkout_shop.settle_pending(capture["id"], completed=False)
    assert send(checkout_shop, f"PAYMENT.CAPTURE.{event}", capture["id"]) == [200]
    assert state_of(checkout_order) == "payment_failed"
    assert fresh(checkout_order).payment_pending == ""
    assert attempt_status(checkout_order, paypal_id) == FAILED
    assert [r[1] for r in records(checkout_order)] == ["DECLINED", "PENDING"]
    assert all(r[3] == "" for r in records(checkout_order))


def test_refunded_at_paypal(checkout_shop, checkout_order):
    capture = captured(checkout_shop, checkout_order)
    send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"])
    part = refund(checkout_shop, capture, "20.00")
    assert send(checkout_shop, "PAYMENT.CAPTURE.REFUNDED", part["id"]) == [200]
    assert state_of(checkout_order) == "paid"  # partly refunded
    rest = refund(checkout_shop, capture)
    assert send(checkout_shop, "PAYMENT.CAPTURE.REFUNDED", rest["id"]) == [200]
    assert state_of(checkout_order) == "refunded"
    assert records(checkout_order) == sorted(
        [
            (capture["id"], "COMPLETED", Decimal("50.00"), "payment"),
            (part["id"], "COMPLETED", Decimal("-20.00"), "refund"),
            (rest["id"], "COMPLETED", Decimal("-30.00"), "refund"),
        ]
    )
    refunds = [p for p in fresh(checkout_order).payments() if p.kind == "refund"]
    assert {p.parent_txn_id for p in refunds} == {capture["id"]}


def test_the_echo_of_our_own_refund_does_nothing(checkout_shop, checkout_order):
    capture = captured(checkout_shop, checkout_order)
    send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"])
    made = refund(checkout_shop, capture, "20.00")
    # The back office records the refund PayPal answered (refunds.py).
    transaction.begin()
    outcome = recording.record_refund(
        fresh(checkout_order), made, capture_id=capture["id"]
    )
    transaction.commit()
    assert outcome.action == "refund recorded"
    history = len(transitions(checkout_order))
    assert send(checkout_shop, "PAYMENT.CAPTURE.REFUNDED", made["id"]) == [200]
    assert len(transitions(checkout_order)) == history
    assert [r[0] for r in records(checkout_order)].count(made["id"]) == 1
    assert state_of(checkout_order) == "paid"


def test_reversed_is_kept_and_flagged(checkout_shop, checkout_order):
    capture = captured(checkout_shop, checkout_order)
    send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"])
    reversal = checkout_shop.reverse(capture["id"])
    assert send(checkout_shop, "PAYMENT.CAPTURE.REVERSED", reversal.id, copies=2) == [
        200,
        200,
    ]
    assert state_of(checkout_order) == "paid"  # a person decides
    (record,) = [p for p in fresh(checkout_order).payments() if p.txn_id == reversal.id]
    assert (record.status, record.amount, record.kind, record.parent_txn_id) == (
        "REVERSED",
        Decimal("-50.00"),
        "",
        capture["id"],
    )
    (flag,) = flags_of(fresh(checkout_order))
    assert (flag.kind, flag.ref) == (REVERSAL, capture["id"])
    assert "reversed" in fresh(checkout_order).attention


def test_approval_reversed_fails_the_attempt(checkout_shop, checkout_order):
    created = paypal_order(checkout_shop, checkout_order)
    checkout_shop.approve(created["id"])
    event = "CHECKOUT.PAYMENT-APPROVAL.REVERSED"
    assert send(checkout_shop, event, created["id"], copies=2) == [200, 200]
    assert attempt_status(checkout_order, created["id"]) == FAILED
    assert len(transitions(checkout_order, "payment approval reversed")) == 1
    assert state_of(checkout_order) == "created"  # it can be paid again
    assert records(checkout_order) == []


def test_approved_captures_for_a_payer_who_never_came_back(
    checkout_shop, checkout_order
):
    created = paypal_order(checkout_shop, checkout_order)
    checkout_shop.approve(created["id"])
    statuses = send(checkout_shop, "CHECKOUT.ORDER.APPROVED", created["id"], copies=3)
    assert statuses == [200, 200, 200]
    assert state_of(checkout_order) == "paid"
    (capture_id,) = checkout_shop.captures  # captured once at PayPal
    assert records(checkout_order) == [
        (capture_id, "COMPLETED", Decimal("50.00"), "payment")
    ]
    assert len(transitions(checkout_order, "pay")) == 1
    assert attempt_status(checkout_order, created["id"]) == PAID


def test_approved_for_an_order_paid_otherwise_is_not_captured(
    checkout_shop, checkout_order
):
    second = paypal_order(checkout_shop, checkout_order)  # another tab
    paid = captured(checkout_shop, checkout_order)
    send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", paid["id"])
    checkout_shop.approve(second["id"])
    assert send(checkout_shop, "CHECKOUT.ORDER.APPROVED", second["id"]) == [200]
    assert checkout_shop.orders[second["id"]].status == "APPROVED"  # not captured
    assert [r[0] for r in records(checkout_order)] == [paid["id"]]
    assert attempt_status(checkout_order, second["id"]) == FAILED


def test_approved_for_another_order_is_not_captured(checkout_shop, checkout_order):
    created = paypal_order(checkout_shop, checkout_order, custom_id="0" * 32)
    checkout_shop.approve(created["id"])
    assert send(checkout_shop, "CHECKOUT.ORDER.APPROVED", created["id"]) == [200]
    assert checkout_shop.orders[created["id"]].status == "APPROVED"
    assert state_of(checkout_order) == "created"


def test_approved_named_by_invoice_only_is_captured_for_an_attempt_only(
    checkout_shop, checkout_order
):
    stray = paypal_order(checkout_shop, checkout_order, custom_id="", attempt=False)
    ours = paypal_order(checkout_shop, checkout_order, custom_id="")
    checkout_shop.approve(stray["id"])
    assert send(checkout_shop, "CHECKOUT.ORDER.APPROVED", stray["id"]) == [200]
    assert checkout_shop.orders[stray["id"]].status == "APPROVED"
    checkout_shop.approve(ours["id"])
    assert send(checkout_shop, "CHECKOUT.ORDER.APPROVED", ours["id"]) == [200]
    assert checkout_shop.orders[ours["id"]].status == "COMPLETED"
    assert state_of(checkout_order) == "paid"


@pytest.mark.parametrize(
    "error, answers",
    [
        (PayPalUnavailable("PayPal answered 500; try again later."), [503, 503]),
        (ProviderUnavailable("PayPal could not be asked."), [503, 503]),
        (PayPalError(422, {"details": [{"issue": "INSTRUMENT_DECLINED"}]}), [200]),
    ],
    ids=["unavailable", "provider unavailable", "refused"],
)
def test_what_a_handler_wrote_before_paypal_failed_is_not_kept(
    checkout_shop, checkout_order, monkeypatch, error, answers
):
    def capture(order, paypal_order_id):
        add_history(order, source=SOURCE_PROVIDER, action="half done")
        raise error

    monkeypatch.setattr(flow, "capture", capture)
    created = paypal_order(checkout_shop, checkout_order)
    checkout_shop.approve(created["id"])
    checkout_shop.attempts = 2
    statuses = send(checkout_shop, "CHECKOUT.ORDER.APPROVED", created["id"])
    assert statuses == answers  # unavailable: PayPal sends it again later
    assert transitions(checkout_order, "half done") == []
