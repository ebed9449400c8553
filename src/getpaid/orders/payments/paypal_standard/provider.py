"""PayPal Payments Standard as a payment provider: the legacy one.

The payer's browser posts the cart to PayPal's payment page; PayPal tells
``@@paypal-ipn`` what happened (``notifications``). Nothing is asked of
PayPal from here: no refunds through its API (refund at PayPal; the IPN
records it), nothing to look up. Its records say provider ``paypal``, as
they always have, so a notification sent again is still a duplicate.
"""

from getpaid.orders import _
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.exceptions import PaymentNotStarted
from getpaid.orders.exceptions import RefundNotPossible
from getpaid.orders.payments.interfaces import IPaymentProvider
from getpaid.orders.payments.interfaces import NO_REFUNDS
from getpaid.orders.payments.interfaces import PaymentForm
from getpaid.orders.payments.interfaces import PaymentUrls
from getpaid.orders.payments.interfaces import RETURN_CONFIRMING
from getpaid.orders.payments.paypal_checkout.amounts import accepts_amounts
from getpaid.orders.payments.paypal_standard.form import payment_fields
from getpaid.orders.payments.paypal_standard.form import payment_page_url
from getpaid.orders.payments.paypal_standard.notifications import PROVIDER
from zope.interface import implementer


@implementer(IPaymentProvider)
class PayPalStandard:
    id = "paypal_standard"
    title = _("PayPal Payments Standard (legacy, with IPN)")
    label = _("Pay with PayPal")
    refunds = NO_REFUNDS
    refund_advice = _(
        "Refund this payment in your PayPal account: PayPal's "
        "notification then records the refund here."
    )
    record_providers = (PROVIDER,)

    def unusable(self) -> str:
        if not get_setting("paypal_receiver_email", ""):
            return _("The PayPal receiver e-mail is not set.")
        return ""

    def accepts(self, order) -> bool:
        return accepts_amounts(
            order.currency, [line.snapshot.unit_price for line in order.lines]
        )

    def payment_form(self, order, urls: PaymentUrls) -> PaymentForm:
        fields = payment_fields(
            order,
            notify_url=f"{urls.site}/@@paypal-ipn",
            return_url=urls.back,
            cancel_url=urls.cancel,
        )
        return PaymentForm(action=payment_page_url(), fields=tuple(fields))

    def start(self, order, urls, form):
        raise PaymentNotStarted(_("This payment starts at PayPal."))

    def settle_return(self, order, form) -> str:
        # PayPal's IPN says what happened; until it has, we are confirming.
        return RETURN_CONFIRMING

    def refund(self, order, payment, amount, note):
        raise RefundNotPossible(self.refund_advice)

    def reconcile(self, order, now) -> str:
        return ""

    def awaiting(self, order) -> bool:
        return False


paypal_standard = PayPalStandard()
