"""Refunds from the shop's side (api/refunds.py, paypal_checkout/refunds.py)
against the simulator over real HTTP: what may be refunded, full, partial,
twice, too much, PayPal failing, the webhook echo, Payments Standard."""

from checkout_helpers import wait_for
from decimal import Decimal
from getpaid.orders.api import refunds
from getpaid.orders.api.settlement import balance
from getpaid.orders.exceptions import InvalidAmount
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.exceptions import RefundNotPossible
from getpaid.orders.payments.paypal_checkout import recording
from getpaid.orders.payments.paypal_checkout import settings
from getpaid.orders.payments.paypal_checkout.client import Client
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api

import pytest
import transaction


# The shop on the simulator, and paid orders (a plain module, not a conftest).
pytest_plugins = ["refund_fixtures"]


def state(order) -> str:
    return api.content.get_state(order)


def refund(order, amount, note="", **kw):
    outcome = refunds.refund(order, Decimal(amount), note, source=SOURCE_MANAGER, **kw)
    transaction.commit()
    return outcome


def refund_records(order) -> list:
    return [record for record in order.payments() if record.amount < 0]


def test_what_may_be_refunded(paid_order):
    order, capture = paid_order
    found = refunds.refundable(order)
    assert found.possible and not found.why_not
    assert (found.paid, found.refunded, found.remaining, found.most) == (
        Decimal("25.00"),
        Decimal(0),
        Decimal("25.00"),
        Decimal("25.00"),
    )
    assert found.payment.txn_id == capture["id"]
    assert found.provider.id == "paypal_checkout"
    assert found.refunds == 0


def test_a_full_refund_refunds_the_order(paid_order, checkout_shop):
    order, capture = paid_order
    outcome = refund(order, "25.00", "Sorry, sold out.")
    assert outcome.action == "refunded"
    assert state(order) == "refunded"
    (sent,) = checkout_shop.refunds.values()
    assert (sent.capture_id, sent.amount) == (capture["id"], Decimal("25.00"))
    assert sent.fields["note_to_payer"] == "Sorry, sold out."
    (record,) = refund_records(order)
    assert (record.txn_id, record.amount, record.parent_txn_id) == (
        sent.id,
        Decimal("-25.00"),
        capture["id"],
    )
    assert not refunds.refundable(order).possible
    assert refunds.refundable(order).why_not


def test_partial_refunds_keep_the_order_paid(paid_order, checkout_shop):
    order, _capture = paid_order
    assert refund(order, "10.00").action == "refund recorded"
    assert state(order) == "paid"
    assert balance(order).remaining == Decimal("15.00")
    # The same amount again is a second, genuine refund.
    refund(order, "10.00")
    assert len(checkout_shop.refunds) == 2
    assert balance(order).refunded == Decimal("20.00")
    assert state(order) == "paid"
    assert refunds.refundable(order).most == Decimal("5.00")
    assert refund(order, "5.00").action == "refunded"
    assert state(order) == "refunded"
    assert len(refund_records(order)) == 3


@pytest.mark.parametrize("amount", ["25.01", "100"])
def test_more_than_remains_is_refused_before_paypal(paid_order, checkout_shop, amount):
    order, _capture = paid_order
    with pytest.raises(RefundNotPossible) as refused:
        refunds.refund(order, Decimal(amount), "", source=SOURCE_MANAGER)
    assert str(refused.value) == "At most €25.00 remains to be refunded."
    assert checkout_shop.refunds == {}


@pytest.mark.parametrize(
    "amount", ["0", "-1", "1.005", "abc", "NaN", "Infinity", "", "1e999999"]
)
def test_amounts_that_wont_do(paid_order, checkout_shop, amount):
    order, _capture = paid_order
    with pytest.raises(InvalidAmount):
        refunds.refund(order, amount, "", source=SOURCE_MANAGER)
    with pytest.raises(InvalidAmount):
        refunds.refund(order, 1.5, "", source=SOURCE_MANAGER)
    assert checkout_shop.refunds == {}


@pytest.mark.parametrize("note", ["x" * 256, "bidi \u202e", "line\nbreak"])
def test_notes_that_wont_do(paid_order, checkout_shop, note):
    order, _capture = paid_order
    with pytest.raises(InvalidValue):
        refunds.refund(order, Decimal("1.00"), note, source=SOURCE_MANAGER)
    assert checkout_shop.refunds == {}


def test_a_note_of_255_characters_goes_to_paypal(paid_order, checkout_shop):
    order, _capture = paid_order
    refund(order, "1.00", "é" * 255)
    (sent,) = checkout_shop.refunds.values()
    assert sent.fields["note_to_payer"] == "é" * 255


def test_a_stale_form_refunds_nothing(paid_order, checkout_shop):
    order, _capture = paid_order
    seen = refunds.refundable(order).refunds
    refund(order, "5.00", seen=seen)
    with pytest.raises(RefundNotPossible) as refused:
        refunds.refund(order, Decimal("5.00"), "", source=SOURCE_MANAGER, seen=seen)
    assert "nothing more was refunded" in str(refused.value)
    assert len(checkout_shop.refunds) == 1
    assert len(refund_records(order)) == 1


def test_the_webhook_echo_is_a_duplicate(paid_order, checkout_shop, paypal_client):
    order, capture = paid_order
    refund(order, "10.00")
    (sent,) = checkout_shop.refunds.values()
    history, attention = len(order.history), order.attention
    echo = paypal_client.get_refund(sent.id)  # as PAYMENT.CAPTURE.REFUNDED carries it
    outcome = recording.record_refund(order, echo, capture_id=capture["id"])
    transaction.commit()
    assert outcome.action == "duplicate"
    assert len(refund_records(order)) == 1
    assert (len(order.history), order.attention) == (history, attention)
    assert balance(order).refunded == Decimal("10.00")


def test_paypal_failing_records_nothing_and_a_retry_refunds_once(
    paid_order, checkout_shop
):
    order, _capture = paid_order
    checkout_shop.fail_next("refund_capture", "500")
    with pytest.raises(ProviderUnavailable) as failed:
        refunds.refund(order, Decimal("10.00"), "", source=SOURCE_MANAGER, seen=0)
    assert "nothing is refunded twice" in str(failed.value)
    transaction.abort()
    assert refund_records(order) == [] and checkout_shop.refunds == {}
    refund(order, "10.00", seen=0)
    assert len(checkout_shop.refunds) == 1
    assert len(refund_records(order)) == 1


def test_an_answer_lost_is_found_again_with_the_same_request_id(
    paid_order, checkout_shop, monkeypatch
):
    """PayPal refunded but its answer never came: the retry (same form, same
    request id) gets PayPal's first answer, and records it once."""
    order, _capture = paid_order
    rest = checkout_shop
    rest.hang_seconds = 1.5
    rest.fail_next("refund_capture", "hang")
    quick = Client(rest.client_id, rest.client_secret, rest.base, timeout=(2, 0.5))
    monkeypatch.setattr(settings, "client", lambda: quick)
    with pytest.raises(ProviderUnavailable):
        refunds.refund(order, Decimal("10.00"), "", source=SOURCE_MANAGER, seen=0)
    transaction.abort()
    assert wait_for(lambda: len(rest.refunds) == 1)  # PayPal did refund
    assert refund_records(order) == []
    refund(order, "10.00", seen=0)
    assert len(rest.refunds) == 1
    (record,) = refund_records(order)
    assert record.txn_id == next(iter(rest.refunds))


def test_paypal_refusing_is_said_and_records_nothing(
    paid_order, checkout_shop, paypal_client
):
    order, capture = paid_order
    # Refunded in PayPal's dashboard, not recorded here yet.
    paypal_client.refund_capture(
        capture["id"], request_id="dashboard", amount=Decimal("20.00"), currency="EUR"
    )
    with pytest.raises(RefundNotPossible) as refused:
        refunds.refund(order, Decimal("10.00"), "", source=SOURCE_MANAGER)
    assert "more than remains of the payment at PayPal" in str(refused.value)
    transaction.abort()
    assert refund_records(order) == []
    assert len(checkout_shop.refunds) == 1


def test_an_order_paid_twice_refunds_one_capture_at_a_time(
    paid_order, checkout_shop, pay
):
    order, first = paid_order
    # Paid twice (flagged), the second time without our invoice id.
    second = pay(order, invoice=False)
    found = refunds.refundable(order)
    assert found.remaining == Decimal("50.00")
    assert found.payment.txn_id == second["id"]  # the newest first
    assert found.most == Decimal("25.00")
    with pytest.raises(RefundNotPossible) as refused:
        refunds.refund(order, Decimal("30.00"), "", source=SOURCE_MANAGER)
    assert "paid in several payments" in str(refused.value)
    refund(order, "25.00")
    assert state(order) == "paid"  # one payment remains
    assert refunds.refundable(order).payment.txn_id == first["id"]
    refund(order, "25.00")
    assert state(order) == "refunded"
    assert [r.capture_id for r in checkout_shop.refunds.values()] == [
        second["id"],
        first["id"],
    ]


def test_a_standard_payment_is_refunded_in_paypal(standard_paid_order, checkout_shop):
    order = standard_paid_order
    found = refunds.refundable(order)
    assert not found.possible
    assert str(found.why_not).startswith("Refund this payment in your PayPal account")
    with pytest.raises(RefundNotPossible) as refused:
        refunds.refund(order, Decimal("5.00"), "", source=SOURCE_MANAGER)
    assert str(refused.value) == str(found.why_not)
    assert checkout_shop.refunds == {}


def test_nothing_paid_nothing_to_refund(shop_site, checkout_shop, customer):
    from getpaid.orders import api as shop

    order = shop.checkout([(shop_site["tee"], 1)], customer).order
    found = refunds.refundable(order)
    assert (found.possible, found.why_not, found.paid) == (False, "", Decimal(0))
    with pytest.raises(RefundNotPossible):
        refunds.refund(order, Decimal("5.00"), "", source=SOURCE_MANAGER)
