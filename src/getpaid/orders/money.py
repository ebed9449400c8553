"""Money rules: ``Decimal`` amounts in a currency's ISO 4217 minor unit.

Amounts are never floats. An amount with more decimals than its currency has
(1.005 USD, 10.5 JPY) is refused rather than rounded: a price is what the
shop typed, and silently rounding it would make the order disagree with it.
"""

from babel import Locale
from babel import UnknownLocaleError
from babel.numbers import format_currency
from babel.numbers import get_currency_precision
from decimal import Decimal
from decimal import InvalidOperation
from functools import lru_cache
from getpaid.orders.exceptions import InvalidAmount
from getpaid.orders.exceptions import InvalidCurrency
from getpaid.orders.language import current_language

import pycountry


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """The ISO 4217 currency codes in current use."""
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def check_currency(code: str) -> str:
    """Return ``code`` if it is an ISO 4217 code, else raise InvalidCurrency."""
    if not isinstance(code, str) or code not in currency_codes():
        raise InvalidCurrency(f"{code!r} is not an ISO 4217 currency code.")
    return code


def minor_units(currency: str) -> int:
    """How many decimals the currency has (JPY 0, EUR 2, BHD 3)."""
    return get_currency_precision(check_currency(currency))


def exponent(currency: str) -> Decimal:
    """The smallest amount of the currency, as a Decimal exponent (``0.01``)."""
    return Decimal(1).scaleb(-minor_units(currency))


def to_decimal(value) -> Decimal:
    """Read ``value`` (Decimal, int or str; never float) as a finite Decimal."""
    if isinstance(value, bool | float):
        raise InvalidAmount(f"Amounts must be exact decimals, not {value!r}.")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        raise InvalidAmount(f"{value!r} is not a number.") from None
    if not amount.is_finite():
        raise InvalidAmount(f"{value!r} is not a finite amount.")
    return amount


# Far beyond any order, well within Decimal's 28 digits of precision (a
# quantize beyond them fails with InvalidOperation instead of a clear error).
MAX_AMOUNT = Decimal(10) ** 15


def money(value, currency: str) -> Decimal:
    """Return ``value`` as a Decimal quantized to the currency's minor unit.

    Refuses floats, NaN, infinities, negative amounts, amounts from
    ``MAX_AMOUNT`` up, and amounts with more decimals than the currency allows.
    """
    amount = to_decimal(value)
    if amount < 0:
        raise InvalidAmount(f"{value} {currency} is negative.")
    if amount >= MAX_AMOUNT:
        raise InvalidAmount(f"{value} {currency} is too large an amount.")
    step = exponent(currency)
    quantized = amount.quantize(step)
    if quantized != amount:
        raise InvalidAmount(
            f"{value} has more decimals than {currency} allows "
            f"({minor_units(currency)})."
        )
    return quantized


def is_money(value: Decimal, currency: str) -> bool:
    """Whether ``value``, of either sign, is an amount of ``currency`` as
    ``money()`` takes it: for amounts a provider sent, which are kept as
    sent (-1.005 EUR, -1E-30) and must be checked before any arithmetic."""
    try:
        money(to_decimal(value).copy_abs(), currency)
    except (InvalidAmount, InvalidCurrency):
        return False
    return True


def to_minor_units(amount: Decimal, currency: str) -> int:
    """The amount as a whole number of the currency's minor unit (cents)."""
    return int(money(amount, currency).scaleb(minor_units(currency)))


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def money_text(amount: Decimal, currency: str, language: str = "") -> str:
    """An amount as people reading ``language`` write it: "€12.50" in English,
    "12,50 €" in German (CLDR, through Babel).

    ``language`` defaults to the visitor's (Plone's negotiated language, or
    the site's). Every decimal of the amount shows: none is rounded away, and
    none added beyond the currency's (1,000 JPY has none). Pages and mails
    use this; the CSV and plone.restapi keep plain decimals and ISO codes.
    """
    return format_currency(
        amount,
        currency,
        locale=_locale(language or current_language()),
        decimal_quantization=False,
    )
