"""What a payment provider is to the shop.

A provider is a named utility providing ``IPaymentProvider``, its name its
``id`` (``paypal_checkout``). The order page, plone.restapi and the sweeper
only ever talk to this interface; the shop's settings say which providers
are enabled, in which order (``payments.registry``). Whatever a provider
learns (a return, a webhook, an IPN, a look-up) it records through
``api.payments.record_payment`` and hands to ``api.settlement``: one
idempotent path, whichever way the news came.

docs/payment-providers.rst shows a minimal provider.
"""

from dataclasses import dataclass
from zope.interface import Attribute
from zope.interface import Interface


# What the back office can refund through the provider.
NO_REFUNDS = "none"  # refund at the provider; its notification records it
FULL_REFUNDS = "full"
PARTIAL_REFUNDS = "partial"


@dataclass(frozen=True)
class PaymentUrls:
    """Where one order page's payment goes, as the browser layer routes it.

    ``page`` is the order page the payer is on (the order's own URL, or its
    owner link); ``pay`` our own POST that starts a payment with this
    provider; ``back`` where the provider sends the payer after paying,
    ``cancel`` after giving up; ``site`` the site's URL (its listeners for
    the provider's notifications are there).
    """

    page: str
    pay: str
    back: str
    cancel: str
    site: str


@dataclass(frozen=True)
class PaymentForm:
    """The payer's "Pay" button: a form their browser POSTs to ``action``."""

    action: str
    fields: tuple[tuple[str, str], ...] = ()


class IPaymentProvider(Interface):
    """A way to pay an order, and to learn and change what became of it."""

    id = Attribute("Its name: the utility's, the settings', its records'.")
    title = Attribute("Its name for shop staff (PayPal Checkout).")
    label = Attribute("Its button on the order page (Pay with PayPal).")
    refunds = Attribute(
        "NO_REFUNDS, FULL_REFUNDS or PARTIAL_REFUNDS. A provider with "
        "NO_REFUNDS may say where staff refund instead in ``refund_advice`` "
        "(optional; api.refunds has a general message)."
    )
    record_providers = Attribute(
        "The provider names its payment records carry (``id``, and any name "
        "it recorded under before)."
    )

    def unusable():
        """Why it can't take payments now (credentials missing), for staff;
        "" when it can."""

    def accepts(order):
        """Whether it can take this order: its currency, its amounts as the
        provider writes them."""

    def payment_form(order, urls):
        """The ``PaymentForm`` of its button on ``order``'s page."""

    def start(order, urls, form):
        """The payer pressed the button, and the form came to ``urls.pay``:
        begin a payment at the provider and return the URL to send the payer
        to. ``form`` is the request's form: the fields of ``payment_form``
        (a double click sends the same ones: one payment). Raises
        ``PaymentNotStarted`` with a message for the payer,
        ``ProviderUnavailable`` when the provider can't be asked."""

    def settle_return(order, form):
        """The payer came back to ``urls.back`` with ``form`` (the
        provider's query): record what became of the payment. Returns what
        the page should say: one of the ``RETURN_*`` outcomes."""

    def refund(order, payment, amount, note):
        """Refund ``amount`` (a Decimal in the order's currency) of the
        payment record ``payment`` through the provider's API, with ``note``
        for the payer; record it; return what happened. Raises
        ``RefundNotPossible`` with a message for staff."""

    def reconcile(order, now):
        """Look up, at the provider, the payments begun for ``order`` that
        are still unsettled, and record what became of them. Returns what
        happened, for the sweeper's report ("" for nothing)."""

    def awaiting(order):
        """Whether a payment begun with this provider may still complete
        (the payer is on the provider's page): the sweeper reconciles
        before timing the order out."""


# What settle_return found, for the order page.
RETURN_PAID = "paid"  # recorded, the order is paid (or was already)
RETURN_PENDING = "pending"  # the provider holds the money for review
RETURN_CONFIRMING = "confirming"  # not known yet; reconciliation settles it
RETURN_DECLINED = "declined"  # the payer may try again
RETURN_NOTHING = ""  # nothing to settle
