"""@@paypal-webhook over real HTTP: deliveries replayed, out of order, or
not fitting the order; PayPal gone while a handler needs it."""

from decimal import Decimal
from getpaid.orders.api.attention import flags_of
from getpaid.orders.api.attention import PROBLEM
from getpaid.orders.content.attempt import FAILED
from getpaid.orders.content.attempt import PAID
from webhook_fixtures import attempt_status
from webhook_fixtures import captured
from webhook_fixtures import deliver
from webhook_fixtures import event_body
from webhook_fixtures import fresh
from webhook_fixtures import records
from webhook_fixtures import refund
from webhook_fixtures import send
from webhook_fixtures import state_of
from webhook_fixtures import transitions

import json
import pytest


# The shop's fixtures (the lead moves them to conftest.py when merging).
pytest_plugins = ["webhook_fixtures"]


def order_id_of(capture: dict) -> str:
    return capture["supplementary_data"]["related_ids"]["order_id"]


def test_replayed_pays_once(checkout_shop, checkout_order, inbox):
    capture = captured(checkout_shop, checkout_order)
    statuses = send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"], copies=3)
    assert statuses == [200, 200, 200]
    assert state_of(checkout_order) == "paid"
    assert len(records(checkout_order)) == 1
    assert len(transitions(checkout_order, "pay")) == 1


def test_refunded_before_completed(checkout_shop, checkout_order):
    capture = captured(checkout_shop, checkout_order)
    whole = refund(checkout_shop, capture)
    assert send(checkout_shop, "PAYMENT.CAPTURE.REFUNDED", whole["id"]) == [200]
    # The capture was looked up and recorded first: the refund fits it.
    assert state_of(checkout_order) == "refunded"
    assert send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"]) == [200]
    assert state_of(checkout_order) == "refunded"
    assert records(checkout_order) == sorted(
        [
            (capture["id"], "COMPLETED", Decimal("50.00"), "payment"),
            (whole["id"], "COMPLETED", Decimal("-50.00"), "refund"),
        ]
    )
    assert flags_of(fresh(checkout_order)) == ()
    assert len(transitions(checkout_order, "pay")) == 1


def test_pending_after_completed(checkout_shop, checkout_order):
    capture = captured(checkout_shop, checkout_order, "PENDING")
    pending = event_body(checkout_shop, "PAYMENT.CAPTURE.PENDING", capture["id"])
    checkout_shop.settle_pending(capture["id"], completed=True)
    assert send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"]) == [200]
    assert deliver(checkout_shop, pending) == [200]  # late
    assert state_of(checkout_order) == "paid"
    assert fresh(checkout_order).payment_pending == ""
    assert attempt_status(checkout_order, order_id_of(capture)) == PAID
    assert [r[1] for r in records(checkout_order)] == ["COMPLETED", "PENDING"]


def test_paypal_unavailable_while_handling(checkout_shop, checkout_order):
    capture = captured(checkout_shop, checkout_order)
    whole = refund(checkout_shop, capture)
    checkout_shop.fail_next("get_capture", "500")
    statuses = send(checkout_shop, "PAYMENT.CAPTURE.REFUNDED", whole["id"])
    assert statuses == [503, 200]  # PayPal sent it again
    assert state_of(checkout_order) == "refunded"
    assert len(records(checkout_order)) == 2


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"total": "40.00"}, "amount 40.00, not 50.00"),
        ({"currency": "USD"}, "currency 'USD', not EUR"),
    ],
    ids=["amount", "currency"],
)
def test_a_capture_that_does_not_fit_is_never_paid(
    checkout_shop, checkout_order, change, problem
):
    capture = captured(checkout_shop, checkout_order, **change)
    statuses = send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"], copies=2)
    assert statuses == [200, 200]
    assert_flagged_not_paid(checkout_order, capture, problem)


def test_paid_to_another_account_is_never_paid(checkout_shop, checkout_order):
    capture = captured(checkout_shop, checkout_order)
    body = event_body(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"])
    data = json.loads(body)
    data["resource"]["payee"] = {
        "email_address": "someone@else.example",
        "merchant_id": "ELSEWHERE",
    }
    assert deliver(checkout_shop, json.dumps(data).encode()) == [200]
    problem = "paid to someone@else.example, not us"
    assert_flagged_not_paid(checkout_order, capture, problem)


def assert_flagged_not_paid(checkout_order, capture: dict, problem: str) -> None:
    assert state_of(checkout_order) == "created"
    ((txn_id, status, _amount, kind),) = records(checkout_order)
    assert (txn_id, status, kind) == (capture["id"], "COMPLETED", "")
    (flag,) = flags_of(fresh(checkout_order))
    assert flag.kind == PROBLEM
    assert problem in flag.reason
    assert attempt_status(checkout_order, order_id_of(capture)) == FAILED
    assert transitions(checkout_order, "pay") == []
