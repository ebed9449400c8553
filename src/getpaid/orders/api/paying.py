"""How a viewer may pay an order: one choice per provider that can take it.

The order page and ``@order-status`` offer what ``payment_choices`` gives;
each choice is a form the payer's browser POSTs: to the provider itself
(Payments Standard), or to our own ``pay`` URL, which begins the payment at
the provider and sends the payer there (PayPal Checkout). Where those URLs
are is decided here, for the order's own page and for its owner link alike.
"""

from getpaid.orders.api.access import Access
from getpaid.orders.api.access import OWNER_LINK
from getpaid.orders.payments.interfaces import PaymentUrls
from getpaid.orders.payments.registry import providers_for
from plone import api
from zope.globalrequest import getRequest
from zope.i18n import translate


def payment_urls(seen: Access, base_url: str, provider_id: str) -> PaymentUrls:
    """The URLs of paying with ``provider_id`` from the page at ``base_url``
    (the order's own, or its owner link's)."""
    if seen.viewer == OWNER_LINK:  # @@order-status/<token>/pay/<provider>
        pay, back = f"{base_url}/pay/{provider_id}", f"{base_url}/return/{provider_id}"
    else:
        pay = f"{base_url}/@@pay/{provider_id}"
        back = f"{base_url}/@@payment-return/{provider_id}"
    return PaymentUrls(
        page=base_url,
        pay=pay,
        back=back,
        cancel=base_url,
        site=api.portal.get().absolute_url(),
    )


def payment_choices(order, seen: Access, base_url: str) -> list[dict]:
    """What ``seen`` may pay the order with now: ``provider``, ``label``
    (translated), and the form to POST (``action``, ``fields``); none when
    they may not pay."""
    if not seen.may_pay:
        return []
    choices = []
    for provider in providers_for(order):
        form = provider.payment_form(order, payment_urls(seen, base_url, provider.id))
        choices.append(
            {
                "provider": provider.id,
                "label": translate(provider.label, context=getRequest()),
                "action": form.action,
                "fields": [list(field) for field in form.fields],
            }
        )
    return choices
