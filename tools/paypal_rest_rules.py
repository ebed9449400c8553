"""What PayPal's REST API refuses, for the simulator. NOT PayPal.

The checks PayPal makes on a new order and on a refund, with PayPal's own
error names (``issue``) and descriptions, from PayPal's OpenAPI
specifications (github.com/paypal/paypal-rest-api-specifications, Orders
2.13 and Payments 2.5) and its currency page
(developer.paypal.com/docs/api/reference/currency-codes/).

This table is kept apart from the one in getpaid.orders on purpose: the
simulator is the oracle the client is tested against, so a mistake in the
client's table must not be copied into it.
"""

from decimal import Decimal
from urllib.parse import urlsplit

import re


CURRENCIES = frozenset(
    {
        *("AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD", "HUF"),
        *("ILS", "JPY", "MYR", "MXN", "TWD", "NZD", "NOK", "PHP", "PLN"),
        *("GBP", "RUB", "SGD", "SEK", "CHF", "THB", "USD"),
    }
)
WITHOUT_DECIMALS = frozenset({"HUF", "JPY", "TWD"})
VALUE = re.compile(r"(-?[0-9]+)|(-?([0-9]+)?[.][0-9]+)")
QUANTITY = re.compile(r"[1-9][0-9]{0,9}")
LOCALE = re.compile(r"[a-z]{2}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?")
MAX_VALUE = Decimal("999999999999999.99")
ADDED = ("item_total", "tax_total", "shipping", "handling", "insurance")
SUBTRACTED = ("shipping_discount", "discount")
CHOICES = {
    "user_action": ("CONTINUE", "PAY_NOW"),
    "shipping_preference": ("GET_FROM_FILE", "NO_SHIPPING", "SET_PROVIDED_ADDRESS"),
    "landing_page": ("LOGIN", "GUEST_CHECKOUT", "NO_PREFERENCE", "BILLING"),
    "payment_method_preference": ("UNRESTRICTED", "IMMEDIATE_PAYMENT_REQUIRED"),
}
TEXTS = (
    ("reference_id", 256),
    ("invoice_id", 127),
    ("custom_id", 127),
    ("description", 127),
    ("soft_descriptor", 22),
)

ERRORS_PAGE = "https://developer.paypal.com/api/rest/reference/orders/v2/errors/#"
NAMES = {
    400: (
        "INVALID_REQUEST",
        "Request is not well-formed, syntactically incorrect, or violates schema.",
    ),
    404: ("RESOURCE_NOT_FOUND", "The specified resource does not exist."),
    422: (
        "UNPROCESSABLE_ENTITY",
        "The requested action could not be performed, semantically incorrect, "
        "or failed business validation.",
    ),
    500: ("INTERNAL_SERVER_ERROR", "An internal server error occurred."),
}
DESCRIPTIONS = {
    "AMOUNT_MISMATCH": "Should equal item_total + tax_total + shipping + handling "
    "+ insurance - shipping_discount - discount.",
    "CANNOT_BE_NEGATIVE": "Must be greater than or equal to 0.",
    "CANNOT_BE_ZERO_OR_NEGATIVE": "Must be greater than zero.",
    "CAPTURE_FULLY_REFUNDED": "The capture has already been fully refunded",
    "CURRENCY_NOT_SUPPORTED": "Currency code is not currently supported. Please "
    "refer https://developer.paypal.com/api/rest/reference/currency-codes/ for "
    "list of supported currency codes.",
    "DECIMAL_PRECISION": "If the currency supports decimals, only two decimal "
    "place precision is supported.",
    "DECIMALS_NOT_SUPPORTED": "Currency does not support decimals.",
    "DUPLICATE_INVOICE_ID": "Duplicate Invoice ID detected. To avoid a potential "
    "duplicate transaction your account setting requires that Invoice Id be "
    "unique for each transaction.",
    "INSTRUMENT_DECLINED": "The instrument presented  was either declined by the "
    "processor or bank, or it can't be used for this payment.",
    "INVALID_CURRENCY_CODE": "Currency code is invalid or is not currently supported.",
    "INVALID_PARAMETER_SYNTAX": "The value of a field does not conform to the "
    "expected format.",
    "INVALID_PARAMETER_VALUE": "A parameter value is not valid.",
    "INVALID_RESOURCE_ID": "Specified resource ID does not exist. Please check "
    "the resource ID and try again.",
    "INVALID_STRING_LENGTH": "The value of a field is either too short or too long",
    "ITEM_TOTAL_MISMATCH": "Should equal sum of (unit_amount * quantity) across "
    "all items for a given purchase_unit.",
    "ITEM_TOTAL_REQUIRED": "If item details are specified (items.unit_amount and "
    "items.quantity) corresponding amount.breakdown.item_total is required.",
    "MALFORMED_REQUEST_JSON": "The request JSON is not well formed.",
    "MAX_VALUE_EXCEEDED": "Should be less than or equal to 999999999999999.99.",
    "MISSING_REQUIRED_PARAMETER": "A required parameter is missing.",
    "MULTI_CURRENCY_ORDER": "Multiple differing values of currency_code are not "
    "supported. Entire Order request must have the same currency_code.",
    "ORDER_ALREADY_CAPTURED": "Order already captured.If 'intent=CAPTURE' only "
    "one capture per order is allowed.",
    "ORDER_NOT_APPROVED": "Payer has not yet approved the Order for payment. "
    "Please redirect the payer to the 'rel':'approve' url returned as part of "
    "the HATEOAS links within the Create Order call or provide a valid "
    "`payment_source` in the request.",
    "PENDING_CAPTURE": "Cannot initiate a refund as the capture is pending.",
    "REFUND_AMOUNT_EXCEEDED": "The refund amount must be less than or equal to "
    "the capture amount that has not yet been refunded.",
    "REFUND_CAPTURE_CURRENCY_MISMATCH": "Refund must be in the same currency as "
    "the capture",
    "REFUND_NOT_ALLOWED": "Capture cannot be refunded.",
    "TAX_TOTAL_MISMATCH": "Should equal sum of (tax * quantity) across all items "
    "for a given purchase_unit.",
    "TAX_TOTAL_REQUIRED": "If item details are specified (items.tax_total and "
    "items.quantity) corresponding amount.breakdown.tax_total is required.",
    "UNSUPPORTED_INTENT": "The simulator speaks intent=CAPTURE only.",
}


class Problem(Exception):
    """A refusal, answered with PayPal's error body."""

    def __init__(self, status, issue="", field="", value=None, links=(), text=""):
        super().__init__(issue or status)
        self.status = status
        self.issue = issue
        self.field = field
        self.value = value
        self.links = list(links)
        self.text = text

    def body(self, debug_id: str) -> dict:
        name, message = NAMES.get(self.status, NAMES[500])
        body = {"name": name, "message": message, "debug_id": debug_id}
        links = list(self.links)
        if self.issue:
            detail = {
                "issue": self.issue,
                "description": self.text or DESCRIPTIONS.get(self.issue, ""),
            }
            if self.field:
                detail.update(field=self.field, location="body")
            if self.value is not None:
                detail["value"] = str(self.value)
            body["details"] = [detail]
            href = ERRORS_PAGE + self.issue
            links.insert(0, {"href": href, "rel": "information_link", "method": "GET"})
        body["links"] = links
        return body


def money(
    money,
    field: str,
    currency: str = "",
    *,
    mismatch: str = "MULTI_CURRENCY_ORDER",
    decimals: str = "DECIMAL_PRECISION",
) -> Decimal:
    """A Money object's value, checked as PayPal does."""
    if not isinstance(money, dict):
        raise Problem(400, "INVALID_PARAMETER_SYNTAX", field)
    for key in ("currency_code", "value"):
        if key not in money:
            raise Problem(400, "MISSING_REQUIRED_PARAMETER", f"{field}/{key}")
    code = money["currency_code"]
    if not isinstance(code, str) or not re.fullmatch("[A-Z]{3}", code):
        raise Problem(422, "INVALID_CURRENCY_CODE", f"{field}/currency_code", code)
    if code not in CURRENCIES:
        raise Problem(422, "CURRENCY_NOT_SUPPORTED", f"{field}/currency_code", code)
    if currency and code != currency:
        raise Problem(422, mismatch, f"{field}/currency_code", code)
    return _value(money["value"], code, f"{field}/value", decimals)


def _value(value, currency: str, field: str, decimals: str) -> Decimal:
    if not isinstance(value, str) or len(value) > 32 or not VALUE.fullmatch(value):
        raise Problem(400, "INVALID_PARAMETER_SYNTAX", field, value)
    amount = Decimal(value)
    if amount < 0:
        raise Problem(422, "CANNOT_BE_NEGATIVE", field, value)
    if "." in value and currency in WITHOUT_DECIMALS:
        raise Problem(422, decimals, field, value)
    if len(value.partition(".")[2]) > 2:
        raise Problem(422, "DECIMAL_PRECISION", field, value)
    if amount > MAX_VALUE:
        raise Problem(422, "MAX_VALUE_EXCEEDED", field, value)
    return amount


def text(container: dict, key: str, limit: int, field: str) -> str:
    value = container.get(key, "")
    if not isinstance(value, str):
        raise Problem(400, "INVALID_PARAMETER_SYNTAX", f"{field}/{key}")
    if key in container and not 1 <= len(value) <= limit:
        raise Problem(400, "INVALID_STRING_LENGTH", f"{field}/{key}", value)
    return value


def purchase_unit(unit) -> tuple[str, Decimal]:
    """Check one purchase unit: (currency, amount)."""
    if not isinstance(unit, dict):
        raise Problem(400, "INVALID_PARAMETER_SYNTAX", "/purchase_units/0")
    at = f"/purchase_units/@reference_id=='{unit.get('reference_id', 'default')}'"
    for key, limit in TEXTS:
        text(unit, key, limit, at)
    if "amount" not in unit:
        raise Problem(400, "MISSING_REQUIRED_PARAMETER", f"{at}/amount")
    amount = unit["amount"]
    currency = amount.get("currency_code") if isinstance(amount, dict) else ""
    total = money(amount, f"{at}/amount", currency)
    if total <= 0:
        raise Problem(422, "CANNOT_BE_ZERO_OR_NEGATIVE", f"{at}/amount/value")
    breakdown = amount.get("breakdown", {})
    if not isinstance(breakdown, dict):
        raise Problem(400, "INVALID_PARAMETER_SYNTAX", f"{at}/amount/breakdown")
    parts = {
        key: money(breakdown[key], f"{at}/amount/breakdown/{key}", currency)
        for key in ADDED + SUBTRACTED
        if key in breakdown
    }
    _items(unit.get("items", []), parts, currency, at)
    if parts:
        expected = sum((parts.get(key, 0) for key in ADDED), Decimal(0)) - sum(
            (parts.get(key, 0) for key in SUBTRACTED), Decimal(0)
        )
        if total != expected:
            raise Problem(422, "AMOUNT_MISMATCH", f"{at}/amount/value", total)
    return currency, total


def _items(items, parts: dict, currency: str, at: str) -> None:
    if not isinstance(items, list):
        raise Problem(400, "INVALID_PARAMETER_SYNTAX", f"{at}/items")
    values, taxes = Decimal(0), None
    for n, item in enumerate(items):
        price, tax, quantity = _item(item, currency, f"{at}/items/{n}")
        values += price * quantity
        if tax is not None:
            taxes = (taxes or Decimal(0)) + tax * quantity
    checks = [("item_total", values if items else None), ("tax_total", taxes)]
    for key, expected in checks:
        if expected is None:
            continue
        name = key.upper()
        if key not in parts:
            raise Problem(422, f"{name}_REQUIRED", f"{at}/amount/breakdown/{key}")
        if parts[key] != expected:
            raise Problem(
                422, f"{name}_MISMATCH", f"{at}/amount/breakdown/{key}", parts[key]
            )


def _item(item, currency: str, at: str) -> tuple[Decimal, Decimal | None, int]:
    if not isinstance(item, dict):
        raise Problem(400, "INVALID_PARAMETER_SYNTAX", at)
    for key in ("name", "quantity", "unit_amount"):
        if key not in item:
            raise Problem(400, "MISSING_REQUIRED_PARAMETER", f"{at}/{key}")
    text(item, "name", 127, at)
    text(item, "sku", 127, at)
    quantity = item["quantity"]
    if not isinstance(quantity, str) or not QUANTITY.fullmatch(quantity):
        raise Problem(400, "INVALID_PARAMETER_SYNTAX", f"{at}/quantity", quantity)
    price = money(item["unit_amount"], f"{at}/unit_amount", currency)
    tax = money(item["tax"], f"{at}/tax", currency) if "tax" in item else None
    return price, tax, int(quantity)


def experience(context, at: str) -> dict:
    """Check ``experience_context`` (or the older ``application_context``)."""
    if not isinstance(context, dict):
        raise Problem(400, "INVALID_PARAMETER_SYNTAX", at)
    for key in ("return_url", "cancel_url"):
        if key in context:
            url = context[key]
            parts = urlsplit(url) if isinstance(url, str) else None
            if not parts or parts.scheme not in ("http", "https") or not parts.netloc:
                raise Problem(400, "INVALID_PARAMETER_SYNTAX", f"{at}/{key}", url)
    for key, choices in CHOICES.items():
        if key in context and context[key] not in choices:
            raise Problem(400, "INVALID_PARAMETER_VALUE", f"{at}/{key}", context[key])
    locale = context.get("locale", "en-US")
    if not isinstance(locale, str) or not LOCALE.fullmatch(locale):
        raise Problem(400, "INVALID_PARAMETER_SYNTAX", f"{at}/locale", locale)
    text(context, "brand_name", 127, at)
    return context


class Unauthorized(Problem):
    """A 401 with the body PayPal sends (OAuth's shape or PayPal's)."""

    def __init__(self, body: dict):
        super().__init__(401)
        self._body = body

    def body(self, debug_id: str) -> dict:
        return self._body
