"""A payment record, for shop staff: what the provider said, verbatim."""

from getpaid.orders.browser.privacy import set_no_store
from getpaid.orders.money import is_money
from getpaid.orders.money import money_text
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class PaymentView(BrowserView):
    template = ViewPageTemplateFile("templates/payment.pt")

    def __call__(self):
        set_no_store(self.request.response)
        return self.template()

    def raw_text(self) -> str:
        """The notification as received, decoded in its own charset."""
        raw = self.context.raw or b""
        try:
            return raw.decode(self.context.charset or "utf-8")
        except (LookupError, UnicodeDecodeError):
            return raw.decode("latin-1")

    def fields(self) -> list[tuple[str, str]]:
        payment = self.context
        return [
            ("Provider", payment.provider),
            ("Transaction", payment.txn_id),
            ("Parent transaction", payment.parent_txn_id or ""),
            ("Status", payment.status),
            ("Amount", f"{payment.amount} {payment.currency}"),
            ("Received", payment.received_at.isoformat()),
            ("Charset", payment.charset or ""),
        ]


def payments_of(order) -> list[dict]:
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
