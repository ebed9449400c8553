"""A minimal payment provider: the example of docs/payment-providers.rst.

"Pay at the counter": the payer presses the button, the shop's till (here:
nobody) takes the money, and the payer comes back to the order page, paid.
A real provider would send the payer to its own page in ``start`` and learn
in ``settle_return`` (and from its notifications) what happened there.
"""

from decimal import Decimal
from getpaid.orders.api import settlement
from getpaid.orders.api.payments import PAYMENT
from getpaid.orders.api.payments import record_payment
from getpaid.orders.exceptions import DuplicatePayment
from getpaid.orders.exceptions import RefundNotPossible
from getpaid.orders.payments.interfaces import IPaymentProvider
from getpaid.orders.payments.interfaces import NO_REFUNDS
from getpaid.orders.payments.interfaces import PaymentForm
from getpaid.orders.payments.interfaces import RETURN_NOTHING
from getpaid.orders.payments.interfaces import RETURN_PAID
from getpaid.orders.workflow import SOURCE_PROVIDER
from urllib.parse import urlencode
from zope.interface import implementer


@implementer(IPaymentProvider)
class CounterPayments:
    id = "counter"
    title = "Pay at the counter (example)"
    label = "Pay at the counter"
    refunds = NO_REFUNDS
    record_providers = ("counter",)

    def unusable(self):
        return ""  # nothing to set up

    def accepts(self, order):
        return order.currency == "EUR" and order.total < Decimal(1000)

    def payment_form(self, order, urls):
        return PaymentForm(action=urls.pay)

    def start(self, order, urls, form):
        # A real provider creates a payment at its API here and answers the
        # URL of its page; the counter takes the money at once.
        receipt = f"{order.number}-counter"
        return f"{urls.back}?{urlencode({'receipt': receipt})}"

    def settle_return(self, order, form):
        receipt = form.get("receipt", "")
        if receipt != f"{order.number}-counter":
            return RETURN_NOTHING
        try:
            payment = record_payment(
                order,
                provider=self.id,
                txn_id=receipt,
                status="paid",
                amount=order.total,
                currency=order.currency,
                kind=PAYMENT,
            )
        except DuplicatePayment:  # the payer reloaded the page
            return RETURN_PAID
        settlement.apply_payment(
            order, payment, source=SOURCE_PROVIDER, label=f"Counter {receipt}"
        )
        return RETURN_PAID

    def refund(self, order, payment, amount, note):
        raise RefundNotPossible("Refund at the counter.")

    def reconcile(self, order, now):
        return ""

    def awaiting(self, order):
        return False
