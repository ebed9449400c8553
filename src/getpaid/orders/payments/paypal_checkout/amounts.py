"""Amounts as PayPal's REST API takes them: strings, with PayPal's decimals.

PayPal's precision is not ISO 4217's. PayPal's currency page
(https://developer.paypal.com/docs/api/reference/currency-codes/) lists the
25 currencies its REST API takes and says of HUF, JPY and TWD: "This
currency does not support decimals. If you pass a decimal amount, an error
occurs." ISO 4217, and Babel with it (``money.minor_units``), gives HUF and
TWD two decimals; PayPal takes none. Every other listed currency takes at
most two ("If the currency supports decimals, only two decimal place
precision is supported", PayPal's DECIMAL_PRECISION error). WooCommerce's
PayPal plug-in hard-codes the same three.

Amounts are ``Decimal`` in and strings out, never float: a float is not the
amount the shop meant, and PayPal's official SDK writes a ``Decimal`` as
``null`` without a word. An amount with more decimals than PayPal takes is
refused, never rounded (as ``money.money`` does for ISO 4217).
"""

from decimal import Decimal
from getpaid.orders import _
from getpaid.orders.exceptions import InvalidAmount
from getpaid.orders.exceptions import InvalidCurrency
from getpaid.orders.money import MAX_AMOUNT


CURRENCIES = frozenset(
    {
        *("AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD", "HUF"),
        *("ILS", "JPY", "MYR", "MXN", "TWD", "NZD", "NOK", "PHP", "PLN"),
        *("GBP", "RUB", "SGD", "SEK", "CHF", "THB", "USD"),
    }
)
WITHOUT_DECIMALS = frozenset({"HUF", "JPY", "TWD"})


def decimals(currency: str) -> int:
    """How many decimals PayPal takes in ``currency`` (JPY 0, EUR 2)."""
    if currency not in CURRENCIES:
        raise InvalidCurrency(
            _(
                "PayPal does not take payments in ${currency}.",
                mapping={"currency": str(currency)},
            )
        )
    return 0 if currency in WITHOUT_DECIMALS else 2


def value(amount: Decimal, currency: str) -> str:
    """``amount`` as PayPal's ``value`` string: 30 EUR is "30.00", 1000 JPY
    "1000". Refuses floats and anything but a Decimal (TypeError), and
    negative amounts, amounts of 10**15 and more, and amounts with more
    decimals than PayPal takes in the currency (InvalidAmount)."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"Amounts are Decimal, never {type(amount).__name__}.")
    places = decimals(currency)
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise InvalidAmount(
            _(
                "${amount} ${currency} is no amount PayPal can take.",
                mapping={"amount": str(amount), "currency": currency},
            )
        )
    quantized = amount.quantize(Decimal(1).scaleb(-places))
    if quantized != amount:
        raise InvalidAmount(
            _(
                "PayPal takes ${currency} amounts with ${decimals} decimals at "
                "most: ${amount} has more.",
                mapping={
                    "amount": str(amount),
                    "currency": currency,
                    "decimals": places,
                },
            )
        )
    return f"{quantized:f}"


def money(amount: Decimal, currency: str) -> dict:
    """PayPal's Money object: ``{"currency_code": "EUR", "value": "30.00"}``."""
    return {"currency_code": currency, "value": value(amount, currency)}


def parse(money: dict) -> tuple[Decimal, str]:
    """(amount, currency) of a Money object PayPal sent."""
    return Decimal(money["value"]), money["currency_code"]


def accepts_amounts(currency: str, amounts) -> bool:
    """Whether PayPal takes ``currency`` and each of ``amounts`` in it (an
    order whose prices have cents in JPY can't be paid at PayPal)."""
    if currency not in CURRENCIES:
        return False
    try:
        for amount in amounts:
            value(amount, currency)
    except InvalidAmount:
        return False
    return True
