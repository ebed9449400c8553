"""Stripe Checkout as a payment provider.

"Pay by card or bank" posts to our own ``pay`` URL; the server creates a
Checkout Session and sends the payer to Stripe's page (``flow.start``);
coming back, the server looks the session up (``flow.settle_return``).
Webhooks (``webhooks``) and the sweeper (``flow.reconcile``) learn what the
payer's return didn't tell; refunds go through Stripe's Refunds API
(``refunds``). All of them record through ``recording``.
"""

from getpaid.orders import _
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.api.attempts import open_attempts
from getpaid.orders.payments.interfaces import IPaymentProvider
from getpaid.orders.payments.interfaces import PARTIAL_REFUNDS
from getpaid.orders.payments.interfaces import PaymentForm
from getpaid.orders.payments.interfaces import PaymentUrls
from getpaid.orders.payments.stripe import flow
from getpaid.orders.payments.stripe import refunds
from getpaid.orders.payments.stripe import settings
from getpaid.orders.payments.stripe.amounts import accepts_amounts
from getpaid.orders.payments.stripe.recording import PROVIDER
from zope.interface import implementer


@implementer(IPaymentProvider)
class StripeCheckout:
    id = PROVIDER
    title = _("Stripe Checkout")
    label = _("Pay by card or bank")
    refunds = PARTIAL_REFUNDS
    record_providers = (PROVIDER,)

    def unusable(self) -> str:
        return settings.unusable()

    def accepts(self, order) -> bool:
        return accepts_amounts(
            order.currency,
            [order.total, *(line.snapshot.unit_price for line in order.lines)],
        )

    def payment_form(self, order, urls: PaymentUrls) -> PaymentForm:
        # The attempt's number: the same button pressed twice makes one
        # session (flow.start derives the idempotency key from it).
        number = len(attempts_of(order, PROVIDER)) + 1
        return PaymentForm(action=urls.pay, fields=(("attempt", str(number)),))

    def start(self, order, urls: PaymentUrls, form) -> str:
        return flow.start(order, urls, form)

    def settle_return(self, order, form) -> str:
        return flow.settle_return(order, form)

    def refund(self, order, payment, amount, note):
        return refunds.refund(order, payment, amount, note)

    def reconcile(self, order, now) -> str:
        return flow.reconcile(order, now)

    def awaiting(self, order) -> bool:
        return bool(open_attempts(order, PROVIDER))


stripe_checkout = StripeCheckout()
