"""Money rules: Decimal in the currency's minor unit, never float, never NaN."""

from decimal import Decimal
from getpaid.orders.exceptions import InvalidAmount
from getpaid.orders.exceptions import InvalidCurrency
from getpaid.orders.money import currency_codes
from getpaid.orders.money import MAX_AMOUNT
from getpaid.orders.money import minor_units
from getpaid.orders.money import money
from getpaid.orders.money import money_text
from getpaid.orders.money import to_minor_units
from hypothesis import given
from hypothesis import strategies as st

import pytest


CURRENCIES = sorted(currency_codes())


@pytest.mark.parametrize(
    "currency,digits", [("JPY", 0), ("USD", 2), ("EUR", 2), ("BHD", 3), ("KWD", 3)]
)
def test_minor_units(currency, digits):
    assert minor_units(currency) == digits


@pytest.mark.parametrize("code", ["XXX1", "usd", "", None, "EURO"])
def test_unknown_currency_refused(code):
    with pytest.raises(InvalidCurrency):
        minor_units(code)


@pytest.mark.parametrize(
    "value", [1.5, float("nan"), "NaN", "sNaN", "Infinity", "-Infinity", "abc", True]
)
def test_not_an_exact_finite_amount(value):
    with pytest.raises(InvalidAmount):
        money(value, "EUR")


@pytest.mark.parametrize("value,currency", [("1.005", "USD"), ("10.5", "JPY")])
def test_more_decimals_than_the_currency_is_refused(value, currency):
    with pytest.raises(InvalidAmount):
        money(value, currency)


def test_negative_is_refused():
    with pytest.raises(InvalidAmount):
        money("-0.01", "EUR")


def test_quantized_to_the_minor_unit():
    assert str(money("12.5", "EUR")) == "12.50"
    assert str(money("1000", "JPY")) == "1000"
    assert str(money(7, "BHD")) == "7.000"


@given(
    st.sampled_from(CURRENCIES),
    st.integers(min_value=0, max_value=10**12),
)
def test_minor_units_round_trip(currency, cents):
    """Any whole number of minor units is an amount, and converts back exactly."""
    amount = Decimal(cents).scaleb(-minor_units(currency))
    assert money(amount, currency) == amount
    assert to_minor_units(amount, currency) == cents


@given(
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.sampled_from(["EUR", "JPY", "BHD"]),
)
def test_money_is_exact_or_refused(value, currency):
    """money() never rounds: it returns an equal value, or refuses."""
    try:
        result = money(value, currency)
    except InvalidAmount:
        assert (
            not value.is_finite()
            or value < 0
            or value >= MAX_AMOUNT
            or value != value.quantize(Decimal(1).scaleb(-minor_units(currency)))
        )
    else:
        assert result == value
        assert result.as_tuple().exponent == -minor_units(currency)


def test_huge_amount_refused_clearly():
    """Found by hypothesis: 10**26 EUR crashed quantize with InvalidOperation."""
    with pytest.raises(InvalidAmount, match="too large"):
        money(Decimal("100000000000000000000000000"), "EUR")


@pytest.mark.parametrize(
    "amount, currency, language, shown",
    [
        ("12.50", "EUR", "en", "€12.50"),
        ("12.50", "EUR", "de", "12,50\xa0€"),
        ("1234567.50", "GBP", "en", "£1,234,567.50"),
        ("1000", "JPY", "en", "¥1,000"),  # no decimals added
        ("1.234", "BHD", "de", "1,234\xa0BHD"),  # none rounded away
        ("12.50", "EUR", "pt-br", "€\xa012,50"),  # Plone's language codes
        ("12.50", "EUR", "xx", "€12.50"),  # a language Babel lacks: English
    ],
)
def test_money_reads_as_people_write_it(amount, currency, language, shown):
    assert money_text(Decimal(amount), currency, language) == shown


def test_money_reads_in_the_visitors_language(portal):
    portal.REQUEST["LANGUAGE"] = "it"
    assert money_text(Decimal("12.50"), "EUR") == "12,50\xa0€"
