"""Amounts in PayPal's decimals, request ids, the JSON sent, base URLs."""

from babel.numbers import get_currency_precision
from decimal import Decimal
from getpaid.orders.exceptions import InvalidAmount
from getpaid.orders.exceptions import InvalidCurrency
from getpaid.orders.payments.paypal_checkout import amounts
from getpaid.orders.payments.paypal_checkout.client import base_url
from getpaid.orders.payments.paypal_checkout.client import encode
from getpaid.orders.payments.paypal_checkout.client import request_id

import pytest


@pytest.mark.parametrize(
    "amount, currency, value",
    [
        ("30", "EUR", "30.00"),
        ("12.5", "USD", "12.50"),
        ("1000", "JPY", "1000"),
        ("1E+3", "JPY", "1000"),
        ("1500.00", "HUF", "1500"),
        ("300", "TWD", "300"),
        ("0", "GBP", "0.00"),
    ],
)
def test_value(amount, currency, value):
    assert amounts.value(Decimal(amount), currency) == value
    assert amounts.money(Decimal(amount), currency) == {
        "currency_code": currency,
        "value": value,
    }


@pytest.mark.parametrize("currency", ["HUF", "TWD"])
def test_no_decimals_where_iso_4217_has_two(currency):
    assert get_currency_precision(currency) == 2  # why PayPal needs its own table
    assert amounts.decimals(currency) == 0
    with pytest.raises(InvalidAmount):
        amounts.value(Decimal("10.50"), currency)


@pytest.mark.parametrize(
    "amount, currency",
    [
        ("1.005", "EUR"),
        ("10.5", "JPY"),
        ("-1", "EUR"),
        ("NaN", "EUR"),
        ("1E+15", "USD"),
    ],
)
def test_refused_amounts(amount, currency):
    with pytest.raises(InvalidAmount):
        amounts.value(Decimal(amount), currency)


@pytest.mark.parametrize("amount", [30.0, "30.00", 30, None])
def test_only_decimals(amount):
    with pytest.raises(TypeError):
        amounts.value(amount, "EUR")


@pytest.mark.parametrize("currency", ["ISK", "KRW", "eur", ""])
def test_currencies_paypal_does_not_take(currency):
    with pytest.raises(InvalidCurrency):
        amounts.value(Decimal(1), currency)


def test_parse():
    assert amounts.parse({"currency_code": "EUR", "value": "30.00"}) == (
        Decimal("30.00"),
        "EUR",
    )


def test_request_ids_are_the_same_for_the_same_parts():
    key = request_id("capture", "attempt-uid", "5O190127TN364715T")
    assert key == request_id("capture", "attempt-uid", "5O190127TN364715T")
    assert key.startswith("getpaid-capture-") and len(key) <= 108
    assert key != request_id("capture", "attempt-uid", "5O190127TN364715U")
    assert key != request_id("create", "attempt-uid", "5O190127TN364715T")
    assert request_id("x", "a", "bc") != request_id("x", "ab", "c")
    with pytest.raises(ValueError):
        request_id("capture this order please " * 3)


@pytest.mark.parametrize("amount", [Decimal("30.00"), 30.0])
def test_the_json_sent_has_no_numbers_for_amounts(amount):
    with pytest.raises(TypeError):
        encode({"amount": {"currency_code": "EUR", "value": amount}})
    assert (
        encode({"name": "Zoë", "quantity": "3"})
        == '{"name": "Zoë", "quantity": "3"}'.encode()
    )


def test_base_urls():
    assert base_url("sandbox") == "https://api-m.sandbox.paypal.com"
    assert base_url("live") == "https://api-m.paypal.com"
    assert base_url("http://127.0.0.1:8081/") == "http://127.0.0.1:8081"
    with pytest.raises(ValueError):
        base_url("api-m.paypal.com")
