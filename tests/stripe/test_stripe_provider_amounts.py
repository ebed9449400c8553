"""Stripe's integer amounts from our Decimals, exactly or not at all."""

from decimal import Decimal
from getpaid.orders.exceptions import InvalidAmount
from getpaid.orders.exceptions import InvalidCurrency
from getpaid.orders.payments.stripe.amounts import accepts_amounts
from getpaid.orders.payments.stripe.amounts import code
from getpaid.orders.payments.stripe.amounts import major
from getpaid.orders.payments.stripe.amounts import minor

import pytest


@pytest.mark.parametrize(
    "amount,currency,written",
    [
        ("12.50", "EUR", 1250),
        ("0.01", "USD", 1),
        ("1000", "JPY", 1000),  # zero-decimal: not multiplied
        ("15000", "KRW", 15000),
        ("2500", "XOF", 2500),
        ("500", "ISK", 50000),  # two decimals at Stripe, whole krónur
        ("5.12", "KWD", 5120),  # three decimals, ending in 0
        ("1.5", "BHD", 1500),
        ("999999.99", "USD", 99999999),
    ],
)
def test_minor(amount, currency, written):
    assert minor(Decimal(amount), currency) == written
    assert major(written, currency) == Decimal(amount)


@pytest.mark.parametrize(
    "amount,currency",
    [
        ("12.505", "EUR"),  # more decimals than it has
        ("10.5", "JPY"),
        ("500.5", "ISK"),  # not whole krónur
        ("5.125", "KWD"),  # would not end in 0
        ("0.001", "BHD"),
        ("-1", "EUR"),
        ("1000000.00", "USD"),  # nine digits
        ("NaN", "EUR"),
        ("Infinity", "EUR"),
    ],
)
def test_minor_refuses_what_it_cant_write(amount, currency):
    with pytest.raises(InvalidAmount):
        minor(Decimal(amount), currency)
    assert not accepts_amounts(currency, [Decimal("1"), Decimal(amount)])


def test_never_a_float():
    with pytest.raises(TypeError):
        minor(12.5, "EUR")


def test_codes_are_lower_case():
    assert code("EUR") == "eur" and code("JPY") == "jpy"
    with pytest.raises(InvalidCurrency):
        code("XYZ")


def test_major_in_the_currency_s_decimals():
    assert str(major(3000, "EUR")) == "30.00"
    assert str(major(50000, "ISK")) == "500"
    assert str(major(5120, "KWD")) == "5.120"
    assert major("3000", "EUR") is None and major(True, "EUR") is None


def test_accepts():
    assert accepts_amounts("EUR", [Decimal("12.50"), Decimal("25.00")])
    assert accepts_amounts("ISK", [Decimal("500")])
    assert not accepts_amounts("XYZ", [Decimal("1")])
