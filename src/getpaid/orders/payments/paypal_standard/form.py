"""PayPal Payments Standard: the fields of the "Pay with PayPal" form.

The customer's browser POSTs them to PayPal's payment page; PayPal later
tells ``notify_url`` (the IPN listener) what happened, quoting ``invoice``
(our order number) and ``custom`` (the order's UID). A cart upload lists
every line, so the customer sees on PayPal what they see on our page.
Amounts are written with PayPal's decimals (none for HUF, JPY and TWD).
"""

from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.controlpanel.settings import paypal_urls
from getpaid.orders.payments.paypal_checkout.amounts import value


def payment_page_url() -> str:
    return paypal_urls()[0]


def payment_fields(
    order, *, notify_url: str, return_url: str, cancel_url: str
) -> list[tuple[str, str]]:
    """(name, value) pairs for the form, in a stable order."""
    currency = order.currency
    fields = [
        ("cmd", "_cart"),
        ("upload", "1"),
        ("business", get_setting("paypal_receiver_email", "")),
        ("invoice", order.number),
        ("custom", order.UID()),
        ("currency_code", currency),
        ("charset", "utf-8"),
        ("first_name", order.first_name),
        ("last_name", order.last_name),
        ("email", order.email),
        ("address1", order.billing_street or ""),
        ("zip", order.billing_postal_code or ""),
        ("city", order.billing_city or ""),
        ("state", order.billing_region or ""),
        ("country", order.billing_country or ""),
        ("notify_url", notify_url),
        ("return", return_url),
        ("cancel_return", cancel_url),
    ]
    for number, line in enumerate(order.lines, start=1):
        snapshot = line.snapshot
        fields += [
            (f"item_name_{number}", snapshot.display_name),
            (f"item_number_{number}", snapshot.sku or snapshot.uid),
            (f"amount_{number}", value(snapshot.unit_price, currency)),
            (f"quantity_{number}", str(line.quantity)),
        ]
    return fields
