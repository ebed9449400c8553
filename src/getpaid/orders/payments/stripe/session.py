"""The Checkout Session (the body of ``POST /v1/checkout/sessions``) for
one of our orders.

Its lines are the order's snapshots with ``price_data`` in the order's
currency, written exactly (``amounts.minor`` refuses rather than rounds),
so Stripe's total is ours. Our number is the ``client_reference_id``, the
order's UID and number its metadata and its PaymentIntent's (charge,
refund and dispute events carry only the PaymentIntent). The session
expires between Stripe's 30 minutes and 24 hours, and no later than the
order's unpaid timeout.

Nothing in the body depends on the exact second: a request Zope runs
again, or a second click, sends the very same body with the same
idempotency key, and Stripe answers with the session it made first.
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from getpaid.orders import _
from getpaid.orders.api.unpaid import times_out_at
from getpaid.orders.exceptions import PaymentNotStarted
from getpaid.orders.payments.interfaces import PaymentUrls
from getpaid.orders.payments.stripe.amounts import code
from getpaid.orders.payments.stripe.amounts import minor

import json


NAME_LENGTH = 250
EMAIL_LENGTH = 254
# Stripe's window for expires_at, with a margin for the clocks' difference
# and the time the request takes.
LONGEST = timedelta(hours=24) - timedelta(minutes=10)
SHORTEST = timedelta(minutes=31)
GRID = 600  # seconds: expires_at moves in steps of ten minutes
# The languages Stripe's page speaks (its ``locale``), by Plone's codes.
LOCALES = frozenset(
    {
        *("bg", "cs", "da", "de", "el", "en", "en-GB", "es", "es-419", "et"),
        *("fi", "fil", "fr", "fr-CA", "hr", "hu", "id", "it", "ja", "ko"),
        *("lt", "lv", "ms", "mt", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru"),
        *("sk", "sl", "sv", "th", "tr", "vi", "zh", "zh-HK", "zh-TW"),
    }
)
TOO_LATE = _(
    "This order times out in less than 30 minutes: too soon to pay it by "
    "card or bank. Please contact the shop."
)


def stripe_locale(language: str) -> str:
    """Stripe's locale for an order's language ("auto" when it has none)."""
    parts = (language or "").replace("_", "-").split("-")
    if len(parts) > 1 and f"{parts[0].lower()}-{parts[1].upper()}" in LOCALES:
        return f"{parts[0].lower()}-{parts[1].upper()}"
    return parts[0].lower() if parts[0].lower() in LOCALES else "auto"


def line_items(order) -> list[dict]:
    """The order's lines as Stripe's line items."""
    currency = code(order.currency)
    found = []
    for line in order.lines:
        snapshot = line.snapshot
        name = snapshot.display_name or snapshot.title or snapshot.name
        found.append(
            {
                "price_data": {
                    "currency": currency,
                    "unit_amount": minor(snapshot.unit_price, order.currency),
                    "product_data": {"name": name[:NAME_LENGTH]},
                },
                "quantity": line.quantity,
            }
        )
    return found


def expires_at(order, now: datetime) -> int:
    """When the session expires (a Unix time): as late as Stripe allows,
    not after the order times out. PaymentNotStarted when less than
    Stripe's 30 minutes remain."""
    latest = now + LONGEST
    latest = datetime.fromtimestamp(int(latest.timestamp()) // GRID * GRID, UTC)
    ends = min(latest, times_out_at(order))
    if ends - now < SHORTEST:
        raise PaymentNotStarted(TOO_LATE)
    return int(ends.timestamp())


def session_body(order, urls: PaymentUrls, now: datetime) -> dict:
    """The Checkout Session for paying ``order`` from the page ``urls``
    say. Raises InvalidCurrency or InvalidAmount for an order Stripe can't
    charge exactly, PaymentNotStarted when it times out too soon."""
    reference = {"uid": order.UID(), "number": order.number}
    joiner = "&" if "?" in urls.back else "?"
    body = {
        "mode": "payment",
        "line_items": line_items(order),
        "client_reference_id": order.number,
        "metadata": reference,
        "payment_intent_data": {"metadata": reference},
        "expires_at": expires_at(order, now),
        "success_url": f"{urls.back}{joiner}session_id={{CHECKOUT_SESSION_ID}}",
        "cancel_url": urls.cancel,
        "locale": stripe_locale(order.customer_language),
    }
    if order.email and len(order.email) <= EMAIL_LENGTH:
        body["customer_email"] = order.email
    return body


def encode(body: dict) -> bytes:
    """The body as the digest of its idempotency key sees it."""
    return json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
