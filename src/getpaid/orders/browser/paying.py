"""Paying from the order page: the POST that begins a payment at a provider,
and the payer's way back from it.

Both serve the order's own URL (``<order>/@@pay/<provider>``,
``<order>/@@payment-return/<provider>``) and its owner link
(``@@order-status/<token>/pay/<provider>``, ``.../return/<provider>``,
routed by browser/order_view.py); api/paying.py says where they are.
Whether this viewer may pay, and with what, is the domain's word
(``Access.may_pay``, ``payments.registry.payable_with``).
"""

from getpaid.orders import _
from getpaid.orders.api.access import current_access
from getpaid.orders.api.paying import payment_urls
from getpaid.orders.browser.order_actions import say
from getpaid.orders.exceptions import PaymentNotStarted
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.payments.interfaces import RETURN_CONFIRMING
from getpaid.orders.payments.registry import get_provider
from getpaid.orders.payments.registry import payable_with
from getpaid.orders.privacy import set_no_store
from getpaid.orders.transactions import give_up
from plone.protect import CheckAuthenticator
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from urllib.parse import urlencode
from zExceptions import NotFound
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


def pay(order, seen, provider_id: str, base_url: str, request):
    """Begin paying ``order`` with ``provider_id``: to the provider's page,
    or back to the order page saying why not."""
    if request.method != "POST":
        raise NotFound("pay")
    CheckAuthenticator(request)
    response = request.response
    provider = payable_with(order, provider_id) if seen.may_pay else None
    if provider is None:
        say(request, _("This order can't be paid that way now."), error=True)
        return response.redirect(base_url)
    try:
        url = provider.start(
            order, payment_urls(seen, base_url, provider_id), request.form
        )
    except (PaymentNotStarted, ProviderUnavailable) as error:
        give_up()  # nothing of a payment that didn't begin
        say(request, error.translated(request), error=True)
        return response.redirect(base_url)
    return response.redirect(url)


def come_back(order, seen, provider_id: str, base_url: str, request):
    """The payer is back from ``provider_id``: it settles what it can, and
    the order page says what became of the payment."""
    provider = get_provider(provider_id)
    if provider is None or not seen.for_customer:
        raise NotFound("payment-return")
    # The provider sent the payer here; what we record, we learn from its
    # API, not from this request, so there is no CSRF token to check.
    alsoProvides(request, IDisableCSRFProtection)
    set_no_store(request.response)
    try:
        outcome = provider.settle_return(order, request.form)
    except ProviderUnavailable:
        give_up()
        outcome = RETURN_CONFIRMING  # reconciliation settles it
    query = f"?{urlencode({'payment': outcome})}" if outcome else ""
    return request.response.redirect(base_url + query)


@implementer(IPublishTraverse)
class OrderPayment(BrowserView):
    """``<order>/@@pay/<provider>`` and ``<order>/@@payment-return/<provider>``
    for the order's buyer, under normal security."""

    provider_id = ""

    def publishTraverse(self, request, name):
        if self.provider_id:
            raise NotFound(name)
        self.provider_id = name
        return self

    def __call__(self):
        order, seen = self.context, current_access(self.context)
        base_url = order.absolute_url()
        if self.__name__ == "pay":
            return pay(order, seen, self.provider_id, base_url, self.request)
        return come_back(order, seen, self.provider_id, base_url, self.request)
