"""Amounts as Stripe takes them: integers in the currency's smallest unit,
lower-case currency codes.

Stripe's rules (https://docs.stripe.com/currencies) are not ISO 4217's:
its zero-decimal currencies are written as they are (1000 JPY is 1000);
ISK is zero-decimal in ISO 4217 but written with two decimals by Stripe,
and must be whole krónur (500 ISK is 50000); its three-decimal currencies
are written ×1000 and must end in 0 (5.124 KWD can't be charged, 5.120 is
5120); every other currency ×100. An amount that can't be written exactly
is refused, never rounded: the total Stripe charges must be ours.
"""

from decimal import Decimal
from getpaid.orders import _
from getpaid.orders.exceptions import InvalidAmount
from getpaid.orders.exceptions import InvalidCurrency
from getpaid.orders.money import currency_codes
from getpaid.orders.money import exponent


ZERO_DECIMAL = frozenset(
    {
        *("BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA"),
        *("PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"),
    }
)
THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
# Stripe takes amounts of up to eight digits (99999999: 999,999.99 USD).
MAX_MINOR = 99_999_999


def factor(currency: str) -> int:
    """What an amount of ``currency`` is multiplied by for Stripe."""
    if currency not in currency_codes():
        raise InvalidCurrency(
            _(
                "Stripe does not take payments in ${currency}.",
                mapping={"currency": str(currency)},
            )
        )
    if currency in ZERO_DECIMAL:
        return 1
    if currency in THREE_DECIMAL:
        return 1000
    return 100


def step(currency: str) -> int:
    """The integers Stripe's amounts of ``currency`` are multiples of."""
    if currency == "ISK":
        return 100  # whole krónur
    if currency in THREE_DECIMAL:
        return 10  # ends in 0
    return 1


def code(currency: str) -> str:
    """Stripe's currency code: ``eur``."""
    factor(currency)
    return currency.lower()


def minor(amount: Decimal, currency: str) -> int:
    """``amount`` as Stripe's integer: 30 EUR is 3000, 1000 JPY 1000, 500
    ISK 50000, 5.12 KWD 5120. Refuses floats (TypeError), negative
    amounts, amounts beyond Stripe's eight digits, and amounts that can't
    be written exactly (InvalidAmount)."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"Amounts are Decimal, never {type(amount).__name__}.")
    scaled = amount * factor(currency) if amount.is_finite() else amount
    if not scaled.is_finite() or scaled < 0 or scaled > MAX_MINOR:
        raise InvalidAmount(
            _(
                "${amount} ${currency} is no amount Stripe can take.",
                mapping={"amount": str(amount), "currency": currency},
            )
        )
    whole = int(scaled)
    if whole != scaled or whole % step(currency):
        raise InvalidAmount(
            _(
                "Stripe can't charge ${amount} ${currency} exactly.",
                mapping={"amount": str(amount), "currency": currency},
            )
        )
    return whole


def major(value, currency: str) -> Decimal | None:
    """Stripe's integer ``value`` of ``currency`` (upper-case) as our
    Decimal (3000 EUR cents is 30.00); None for anything but an integer."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    places = {1: 0, 100: 2, 1000: 3}[factor(currency)]
    found = Decimal(value).scaleb(-places)
    # In the currency's ISO 4217 decimals when exact (50000 ISK is 500).
    written = found.quantize(exponent(currency))
    return written if written == found else found


def currency_of(stripe_code) -> str:
    """Our code for Stripe's (``eur`` is EUR); "" for none we know."""
    found = str(stripe_code or "").upper()
    return found if found in currency_codes() else ""


def accepts_amounts(currency: str, amounts) -> bool:
    """Whether Stripe can charge each of ``amounts`` in ``currency``
    exactly (an order whose total it can't write isn't offered Stripe)."""
    try:
        for amount in amounts:
            minor(amount, currency)
    except (InvalidAmount, InvalidCurrency):
        return False
    return True
