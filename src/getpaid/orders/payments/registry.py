"""Which payment providers there are, which the shop enabled, which may take
an order: decided here, for the order page, plone.restapi and the sweeper.

Providers are named utilities (``IPaymentProvider``); the setting
``payment_providers`` lists the enabled ones in the order the page offers
them. A site whose settings predate the list keeps what it had: Payments
Standard.
"""

from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.payments.interfaces import IPaymentProvider
from zope.component import getUtilitiesFor
from zope.component import queryUtility
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


# What a site installed before providers were a setting has enabled.
BEFORE_PROVIDERS = ("paypal_standard",)


def all_providers() -> dict[str, IPaymentProvider]:
    """Every provider registered in this Zope, by id."""
    return dict(getUtilitiesFor(IPaymentProvider))


def get_provider(id: str) -> IPaymentProvider | None:
    return queryUtility(IPaymentProvider, name=id) if id else None


def enabled_providers() -> list[IPaymentProvider]:
    """The providers the shop enabled, in its order; ids of providers no
    longer registered (their add-on removed) are passed over."""
    ids = get_setting("payment_providers", None)
    if ids is None:
        ids = BEFORE_PROVIDERS
    found = (get_provider(id) for id in ids)
    return [one for one in found if one is not None]


def providers_for(order) -> list[IPaymentProvider]:
    """The enabled providers that can take ``order`` now: configured, and
    taking its currency and amounts."""
    return [
        one for one in enabled_providers() if not one.unusable() and one.accepts(order)
    ]


def payable_with(order, id: str) -> IPaymentProvider | None:
    """The provider ``id`` if the order may be paid with it, else None."""
    for one in providers_for(order):
        if one.id == id:
            return one
    return None


def provider_of(payment) -> IPaymentProvider | None:
    """The provider that recorded a payment record (old names too)."""
    for one in all_providers().values():
        if payment.provider in one.record_providers:
            return one
    return None


@provider(IVocabularyFactory)
def providers_vocabulary(context=None) -> SimpleVocabulary:
    """The registered providers, for the control panel."""
    return SimpleVocabulary(
        [SimpleTerm(id, title=one.title) for id, one in sorted(all_providers().items())]
    )
