"""What Stripe's API refuses, for the Stripe simulator. NOT Stripe.

Stripe's request encoding (form fields with brackets, as its libraries send
them), its error body, and the checks Stripe makes on amounts and on a
Checkout Session, from Stripe's API reference (docs.stripe.com/api) and its
currency page (docs.stripe.com/currencies: zero-decimal currencies, the
three-decimal ones, ISK's multiples of 100, minimum and maximum amounts).

This table is kept apart from any table in getpaid.orders on purpose: the
simulator is the oracle the shop's client is tested against, so a mistake
in the client's table must not be copied into it.
"""

from urllib.parse import parse_qsl

import re


# Amounts are integers in the currency's smallest unit, except these, which
# have no minor unit: the amount is the number of yen, won, ...
ZERO_DECIMAL = frozenset(
    {
        *("bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg"),
        *("rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"),
    }
)
# Three decimals; Stripe takes only amounts whose last digit is 0.
THREE_DECIMAL = frozenset({"bhd", "jod", "kwd", "omr", "tnd"})
# Written with two decimals, but the two decimals must be 00.
HUNDREDS = frozenset({"isk"})
TWO_DECIMAL = frozenset(
    {
        *("aed", "afn", "all", "amd", "ang", "aoa", "ars", "aud", "awg", "azn"),
        *("bam", "bbd", "bdt", "bgn", "bmd", "bnd", "bob", "brl", "bsd", "bwp"),
        *("byn", "bzd", "cad", "cdf", "chf", "cny", "cop", "crc", "cve", "czk"),
        *("dkk", "dop", "dzd", "egp", "etb", "eur", "fjd", "fkp", "gbp", "gel"),
        *("gip", "gmd", "gtq", "gyd", "hkd", "hnl", "htg", "huf", "idr", "ils"),
        *("inr", "jmd", "kes", "kgs", "khr", "kyd", "kzt", "lak", "lbp", "lkr"),
        *("lrd", "lsl", "mad", "mdl", "mkd", "mmk", "mnt", "mop", "mur", "mvr"),
        *("mwk", "mxn", "myr", "mzn", "nad", "ngn", "nio", "nok", "npr", "nzd"),
        *("pab", "pen", "pgk", "php", "pkr", "pln", "qar", "ron", "rsd", "rub"),
        *("sar", "sbd", "scr", "sek", "sgd", "shp", "sle", "sos", "srd", "std"),
        *("szl", "thb", "tjs", "top", "try", "ttd", "twd", "tzs", "uah", "usd"),
        *("uyu", "uzs", "wst", "xcd", "yer", "zar", "zmw"),
    }
)
CURRENCIES = ZERO_DECIMAL | THREE_DECIMAL | HUNDREDS | TWO_DECIMAL
# Stripe's minimum charge amounts (docs.stripe.com/currencies#minimum-and-
# maximum-charge-amounts), in the smallest unit; other currencies: 1.
MINIMUM = {
    **{"usd": 50, "eur": 50, "gbp": 30, "chf": 50, "cad": 50, "aud": 50},
    **{"nzd": 50, "sgd": 50, "brl": 50, "inr": 50, "jpy": 50, "hkd": 400},
    **{"dkk": 250, "nok": 300, "sek": 300, "pln": 200, "czk": 1500},
    **{"huf": 17500, "ron": 200, "bgn": 100, "mxn": 1000, "thb": 1000},
    **{"aed": 200, "myr": 200},
}
MAXIMUM = 99999999  # eight digits, for every currency
DOCS = "https://docs.stripe.com/error-codes"
KEY = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")


class StripeError(Exception):
    """An answer in Stripe's error shape: {"error": {type, code, message, param}}."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        param: str | None = None,
        type: str = "invalid_request_error",
        **extra,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param
        self.type = type
        self.extra = extra

    def body(self, request_id: str = "") -> dict:
        error = {"message": self.message, "type": self.type}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"{DOCS}#{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        if request_id:
            error["request_log_url"] = (
                f"https://dashboard.stripe.com/test/logs/{request_id}"
            )
        error.update(self.extra)
        return {"error": error}


def missing(param: str) -> StripeError:
    return StripeError(
        400, f"Missing required param: {param}.", "parameter_missing", param
    )


def unknown(param: str) -> StripeError:
    return StripeError(
        400, f"Received unknown parameter: {param}", "parameter_unknown", param
    )


def no_such(kind: str, object_id: str, param: str = "id") -> StripeError:
    return StripeError(404, f"No such {kind}: '{object_id}'", "resource_missing", param)


def known(params: dict, names, at: str = "") -> None:
    """Stripe refuses a parameter it doesn't know (a typo fails loudly)."""
    for name in params:
        if name not in names:
            raise unknown(f"{at}[{name}]" if at else name)


# Stripe's form encoding


def decode_form(text: str) -> dict:
    """Stripe's form fields as nested values: ``a[b][0][c]=v`` gives
    ``{"a": {"b": [{"c": "v"}]}}`` (indexed or empty brackets make lists)."""
    data: dict = {}
    for name, value in parse_qsl(text, keep_blank_values=True, strict_parsing=False):
        match = KEY.fullmatch(name)
        if match is None:
            raise StripeError(400, f"Invalid parameter name: {name}", param=name)
        path = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node = data
        for index, part in enumerate(path):
            last = index == len(path) - 1
            if part == "":  # a[]=x: the next element
                part = str(sum(1 for key in node if key.isdigit()))
            if last:
                node[part] = value
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise StripeError(
                        400, f"Invalid parameter: {name} mixes a value and a hash."
                    )
                node = child
    return _lists(data, "")


def _lists(node, at: str):
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        keys = sorted(node, key=int)
        if [int(key) for key in keys] != list(range(len(keys))):
            raise StripeError(
                400,
                f"Invalid array: {at} must be indexed from 0 with no gaps.",
                "parameter_invalid_array",
                at,
            )
        return [_lists(node[key], f"{at}[{key}]") for key in keys]
    return {
        key: _lists(value, f"{at}[{key}]" if at else key) for key, value in node.items()
    }


def integer(value, param: str, minimum: int | None = None) -> int:
    if not isinstance(value, str) or not re.fullmatch(r"-?[0-9]+", value):
        raise StripeError(
            400, f"Invalid integer: {value}", "parameter_invalid_integer", param
        )
    number = int(value)
    if minimum is not None and number < minimum:
        raise StripeError(
            400,
            f"This value must be greater than or equal to {minimum}.",
            "parameter_invalid_integer",
            param,
        )
    return number


def string(value, param: str, limit: int = 5000) -> str:
    if not isinstance(value, str):
        raise StripeError(
            400, f"Invalid string: {value!r}", "parameter_invalid_string", param
        )
    if len(value) > limit:
        raise StripeError(
            400,
            f"Invalid string: {value[:20]}...; must be at most {limit} characters",
            "parameter_invalid_string",
            param,
        )
    return value


def choice(value, param: str, choices) -> str:
    if value not in choices:
        raise StripeError(
            400,
            f"Invalid {param}: must be one of {', '.join(choices)}",
            "parameter_invalid_string" if isinstance(value, str) else None,
            param,
        )
    return value


def metadata(value, param: str = "metadata") -> dict:
    """Stripe's metadata: at most 50 keys of 40 characters, values of 500."""
    if value in ("", None):
        return {}
    if not isinstance(value, dict):
        raise StripeError(400, f"Invalid object: {param}", "parameter_invalid", param)
    if len(value) > 50:
        raise StripeError(
            400, "You can specify up to 50 keys.", "parameter_invalid", param
        )
    for key, item in value.items():
        if len(key) > 40:
            raise StripeError(
                400,
                f"Metadata keys can be at most 40 characters: {key}",
                "parameter_invalid",
                f"{param}[{key}]",
            )
        string(item, f"{param}[{key}]", 500)
    return {key: item for key, item in value.items() if item != ""}


def currency(value, param: str) -> str:
    """A currency code as Stripe takes it (any case), written lower-case."""
    code = string(value, param).lower()
    if code not in CURRENCIES:
        raise StripeError(
            400,
            f"Invalid currency: {value}. Stripe currently supports these "
            f"currencies: {', '.join(sorted(CURRENCIES))}",
            "parameter_invalid_string",
            param,
        )
    return code


def shown(amount: int, code: str) -> str:
    """An integer amount written in the currency's units, for messages."""
    decimals = 0 if code in ZERO_DECIMAL else 3 if code in THREE_DECIMAL else 2
    if not decimals:
        return f"{amount} {code}"
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 10**decimals)
    return f"{sign}{whole}.{part:0{decimals}d} {code}"


def unit_amount(amount: int, code: str, param: str) -> int:
    """A price's amount in the smallest unit, as Stripe takes it."""
    if code in THREE_DECIMAL and amount % 10:
        raise StripeError(
            400,
            f"Invalid amount: {amount}. Amounts in {code} must end in 0 "
            "(three-decimal currencies are charged in multiples of 10).",
            "invalid_charge_amount",
            param,
        )
    if code in HUNDREDS and amount % 100:
        raise StripeError(
            400,
            f"Invalid amount: {amount}. Amounts in {code} must be a multiple of "
            "100 (written with two decimals, both zero).",
            "invalid_charge_amount",
            param,
        )
    if amount > MAXIMUM:
        raise StripeError(
            400,
            f"Amount must be no more than {shown(MAXIMUM, code)}",
            "amount_too_large",
            param,
        )
    return amount


def total(amount: int, code: str) -> int:
    """A Checkout Session's total, between Stripe's minimum and maximum."""
    least = MINIMUM.get(code, 1)
    if amount < least:
        raise StripeError(
            400,
            "The Checkout Session's total amount due must add up to at least "
            f"{shown(least, code)}",
            "amount_too_small",
            "line_items",
        )
    if amount > MAXIMUM:
        raise StripeError(
            400,
            f"Amount must be no more than {shown(MAXIMUM, code)}",
            "amount_too_large",
            "line_items",
        )
    return amount


def url(value, param: str) -> str:
    text = string(value, param, 5000)
    if not re.match(r"https?://[^/\s]+", text):
        raise StripeError(400, "Not a valid URL", "url_invalid", param)
    return text


def email(value, param: str) -> str | None:
    if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise StripeError(
            400, f"Invalid email address: {value}", "email_invalid", param
        )
    return value


def expires_at(value, created: int) -> int:
    """A Checkout Session's end: 30 minutes to 24 hours after ``created``
    (by default 24 hours)."""
    if value is None:
        return created + 86400
    moment = integer(value, "expires_at")
    if moment < created + 1800:
        raise StripeError(
            400,
            "The `expires_at` timestamp must be at least 30 minutes from "
            "Checkout Session creation.",
            "parameter_invalid_integer",
            "expires_at",
        )
    if moment > created + 86400:
        raise StripeError(
            400,
            "The `expires_at` timestamp must be less than 24 hours from "
            "Checkout Session creation.",
            "parameter_invalid_integer",
            "expires_at",
        )
    return moment


def intent_data(value) -> dict:
    """``payment_intent_data``: what the PaymentIntent will carry."""
    at = "payment_intent_data"
    if not isinstance(value, dict):
        raise StripeError(400, "Invalid object", "parameter_invalid", at)
    known(value, ("metadata", "description", "receipt_email"), at)
    return {
        "metadata": metadata(value.get("metadata"), f"{at}[metadata]"),
        "description": value.get("description"),
        "receipt_email": email(value.get("receipt_email"), f"{at}[receipt_email]"),
    }


def line_item(index: int, item) -> tuple[str, int, int, str]:
    """One of ``line_items`` with ``price_data``: (currency, unit amount,
    quantity, name)."""
    at = f"line_items[{index}]"
    if not isinstance(item, dict):
        raise StripeError(400, "Invalid object", "parameter_invalid", at)
    known(item, ("price_data", "quantity"), at)
    if "quantity" not in item:
        raise missing(f"{at}[quantity]")
    quantity = integer(item["quantity"], f"{at}[quantity]", 1)
    data = item.get("price_data")
    if not isinstance(data, dict):
        raise missing(f"{at}[price_data]")
    at = f"{at}[price_data]"
    known(data, ("currency", "unit_amount", "product_data"), at)
    for name in ("currency", "product_data", "unit_amount"):
        if name not in data:
            raise missing(f"{at}[{name}]")
    code = currency(data["currency"], f"{at}[currency]")
    unit = unit_amount(
        integer(data["unit_amount"], f"{at}[unit_amount]", 0),
        code,
        f"{at}[unit_amount]",
    )
    product = data["product_data"]
    if not isinstance(product, dict) or not str(product.get("name", "")).strip():
        raise missing(f"{at}[product_data][name]")
    name = string(product["name"], f"{at}[product_data][name]", 250)
    return code, unit, quantity, name
