"""An order's payment records as staff read them on its page."""

from getpaid.orders.money import is_money
from getpaid.orders.money import money_text


def payment_rows(order) -> list[dict]:
    """The order's payment records, for the staff part of its page."""
    return [
        {
            "url": payment.absolute_url(),
            "txn": payment.txn_id,
            "status": payment.status,
            "amount": amount_text(payment, order),
            "received": payment.received_at.strftime("%Y-%m-%d %H:%M"),
        }
        for payment in order.payments()
    ]


def amount_text(payment, order) -> str:
    """As the page writes amounts; as received, with its code, when that is
    not the order's currency (or no currency, XXX) or no amount of it
    (-1.005 EUR, 1E+999999999): staff must see a mismatch, and the page must
    not write out a billion digits."""
    if payment.currency != order.currency or not is_money(
        payment.amount, payment.currency
    ):
        return f"{payment.amount} {payment.currency}"
    return money_text(payment.amount, payment.currency)
