"""Refunds over real HTTP: full, partial, too much, replayed."""

from decimal import Decimal
from getpaid.orders.payments.paypal_checkout.client import request_id
from getpaid.orders.payments.paypal_checkout.errors import PayPalError

import checkout_helpers as shop
import pytest


@pytest.fixture
def capture(paypal, client):
    """A completed capture of 30.00 EUR."""
    return shop.capture(client, shop.approved(client))


def refund(client, capture, amount=None, key="refund-1", **fields):
    return client.refund_capture(
        capture["id"],
        request_id=request_id("refund", key),
        amount=None if amount is None else Decimal(amount),
        currency=capture["amount"]["currency_code"],
        **fields,
    )


def test_full_refund(paypal, client, capture):
    refunded = refund(client, capture, note_to_payer="Sorry, sold out.")
    assert refunded["status"] == "COMPLETED"
    assert refunded["amount"] == {"currency_code": "EUR", "value": "30.00"}
    assert refunded["note_to_payer"] == "Sorry, sold out."
    assert shop.link(refunded, "up") == shop.link(capture, "self")
    assert client.get_refund(refunded["id"])["amount"]["value"] == "30.00"
    assert client.get_capture(capture["id"])["status"] == "REFUNDED"


def test_partial_refunds(paypal, client, capture):
    first = refund(client, capture, "10.00", key="refund-1")
    assert client.get_capture(capture["id"])["status"] == "PARTIALLY_REFUNDED"
    second = refund(client, capture, "5", key="refund-2")
    assert second["amount"]["value"] == "5.00"
    total = second["seller_payable_breakdown"]["total_refunded_amount"]
    assert total["value"] == "15.00"
    assert first["id"] != second["id"]
    rest = refund(client, capture, key="refund-3")  # what remains
    assert rest["amount"]["value"] == "15.00"
    assert client.get_capture(capture["id"])["status"] == "REFUNDED"


def test_more_than_remains(paypal, client, capture):
    refund(client, capture, "20.00", key="refund-1")
    with pytest.raises(PayPalError) as refused:
        refund(client, capture, "10.01", key="refund-2")
    assert (refused.value.status, refused.value.issue) == (
        422,
        "REFUND_AMOUNT_EXCEEDED",
    )
    assert len(paypal.refunds) == 1
    refund(client, capture, "10.00", key="refund-3")
    with pytest.raises(PayPalError) as refused:
        refund(client, capture, key="refund-4")
    assert refused.value.issue == "CAPTURE_FULLY_REFUNDED"


def test_a_replayed_refund_refunds_once(paypal, client, capture):
    first = refund(client, capture, "5.00", key="refund-1")
    again = refund(client, capture, "5.00", key="refund-1")
    assert again["id"] == first["id"]
    assert len(paypal.refunds) == 1
    assert client.get_capture(capture["id"])["status"] == "PARTIALLY_REFUNDED"


def test_note_to_payer_is_255_characters_at_most(paypal, client, capture):
    refund(client, capture, "1.00", key="refund-1", note_to_payer="x" * 255)
    with pytest.raises(PayPalError) as refused:
        refund(client, capture, "1.00", key="refund-2", note_to_payer="x" * 256)
    assert (refused.value.status, refused.value.issue) == (400, "INVALID_STRING_LENGTH")


def test_a_pending_capture_cant_be_refunded(paypal, client):
    pending = shop.capture(client, shop.approved(client, "pending"))
    with pytest.raises(PayPalError) as refused:
        refund(client, pending)
    assert refused.value.issue == "PENDING_CAPTURE"
    paypal.settle_pending(pending["id"])
    assert refund(client, pending, key="after")["amount"]["value"] == "30.00"


def test_refund_in_yen(paypal, client):
    body = shop.order_body("JPY", lines=(("Tea", "1500", 2),))
    capture = shop.capture(client, shop.approved(client, body=body))
    assert refund(client, capture, "250")["amount"] == {
        "currency_code": "JPY",
        "value": "250",
    }
