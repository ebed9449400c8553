"""The PayPal order (Orders v2 request body) for one of our orders.

What the payer sees on PayPal's page and what PayPal checks before it
takes the money: our invoice number and the order's UID (the capture
carries them back, and ``recording`` checks them), the lines as items, and
a total that is exactly the sum of the items. Every amount is computed from
the same ``Decimal`` unit prices and quantities the order's own total comes
from, and written with PayPal's decimals (``amounts.value`` refuses rather
than rounds), so PayPal never answers ITEM_TOTAL_MISMATCH or
DECIMAL_PRECISION for an order the provider said it accepts.

The payer's experience goes in ``payment_source.paypal.experience_context``
and their name and e-mail in ``payment_source.paypal``: not in the
deprecated ``application_context`` and ``payer``.
"""

from decimal import Decimal
from getpaid.orders.payments.interfaces import PaymentUrls
from getpaid.orders.payments.paypal_checkout.amounts import money


# PayPal's lengths (Orders v2): item name and SKU, a payer's names, the
# name on a shipping address.
NAME_LENGTH = 127
SKU_LENGTH = 127
PAYER_NAME_LENGTH = 140
FULL_NAME_LENGTH = 300
EMAIL_LENGTH = 254

# The locales PayPal's checkout speaks (its "locale codes" reference), and
# the one to use for a bare language. A language PayPal doesn't speak sends
# no locale: PayPal then picks one from the payer's browser.
LOCALES = frozenset(
    {
        *("ar-EG", "cs-CZ", "da-DK", "de-AT", "de-CH", "de-DE", "el-GR"),
        *("en-AU", "en-GB", "en-IN", "en-US", "es-ES", "es-MX", "fi-FI"),
        *("fr-CA", "fr-FR", "he-IL", "hu-HU", "id-ID", "it-IT", "ja-JP"),
        *("ko-KR", "nl-NL", "no-NO", "pl-PL", "pt-BR", "pt-PT", "ru-RU"),
        *("sk-SK", "sv-SE", "th-TH", "zh-CN", "zh-HK", "zh-TW"),
    }
)
LANGUAGE_LOCALES = {
    **{locale.split("-")[0]: locale for locale in sorted(LOCALES, reverse=True)},
    # Where the first by name isn't the most spoken one
    "de": "de-DE",
    "en": "en-US",
    "es": "es-ES",
    "fr": "fr-FR",
    "pt": "pt-PT",
    "zh": "zh-CN",
    "nb": "no-NO",
    "nn": "no-NO",
}


def paypal_locale(language: str) -> str:
    """PayPal's locale for the language an order was placed in: "de" is
    de-DE, Plone's "pt-br" pt-BR, "de_AT" de-AT; "" for one PayPal doesn't
    speak."""
    parts = (language or "").replace("_", "-").split("-")
    base = parts[0].lower()
    if len(parts) > 1:
        regional = f"{base}-{parts[1].upper()}"
        if regional in LOCALES:
            return regional
    return LANGUAGE_LOCALES.get(base, "")


def items(order) -> tuple[list[dict], Decimal]:
    """The order's lines as PayPal's items, and their exact sum."""
    currency = order.currency
    found, total = [], Decimal(0)
    for line in order.lines:
        snapshot = line.snapshot
        name = snapshot.display_name or snapshot.title or snapshot.name
        item = {
            "name": name[:NAME_LENGTH],
            "unit_amount": money(snapshot.unit_price, currency),
            "quantity": str(line.quantity),
        }
        if snapshot.sku:
            item["sku"] = snapshot.sku[:SKU_LENGTH]
        found.append(item)
        total += snapshot.unit_price * line.quantity
    return found, total


def shipping(order) -> dict:
    """The order's shipping address as PayPal's ``shipping``; {} when it
    has none (its goods go to the billing address, or it ships nothing)."""
    if not (order.has_shipping_address and order.shipping_country):
        return {}
    address = {
        "address_line_1": order.shipping_street,
        "admin_area_2": order.shipping_city or "",
        "admin_area_1": order.shipping_region or "",
        "postal_code": order.shipping_postal_code or "",
        "country_code": order.shipping_country,
    }
    found = {"address": {key: value for key, value in address.items() if value}}
    if order.customer_name:
        found["name"] = {"full_name": order.customer_name[:FULL_NAME_LENGTH]}
    return found


def payer(order) -> dict:
    """The payer's name and e-mail, for PayPal to fill its forms with."""
    found = {}
    name = {
        "given_name": (order.first_name or "")[:PAYER_NAME_LENGTH],
        "surname": (order.last_name or "")[:PAYER_NAME_LENGTH],
    }
    name = {key: value for key, value in name.items() if value}
    if name:
        found["name"] = name
    if order.email and len(order.email) <= EMAIL_LENGTH:
        found["email_address"] = order.email
    return found


def purchase(order, urls: PaymentUrls) -> dict:
    """The body of ``POST /v2/checkout/orders`` for ``order``, paid from
    the page ``urls`` say. Raises InvalidCurrency or InvalidAmount (from
    ``amounts``) for an order PayPal can't take."""
    currency = order.currency
    lines, item_total = items(order)
    unit = {
        "invoice_id": order.number,
        "custom_id": order.UID(),
        "amount": {
            **money(item_total, currency),
            "breakdown": {"item_total": money(item_total, currency)},
        },
        "items": lines,
    }
    context = {
        "return_url": urls.back,
        "cancel_url": urls.cancel,
        "user_action": "PAY_NOW",
        "shipping_preference": "NO_SHIPPING",
    }
    ship_to = shipping(order)
    if ship_to:
        unit["shipping"] = ship_to
        context["shipping_preference"] = "SET_PROVIDED_ADDRESS"
    locale = paypal_locale(order.customer_language)
    if locale:
        context["locale"] = locale
    return {
        "intent": "CAPTURE",
        "purchase_units": [unit],
        "payment_source": {"paypal": {**payer(order), "experience_context": context}},
    }
