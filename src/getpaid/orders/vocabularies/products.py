"""The products staff may put on an order they take for a customer."""

from getpaid.orders.api.products import buyable_products
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


@provider(IVocabularyFactory)
def buyable(context=None) -> SimpleVocabulary:
    """Buyable products by UID, titled as the catalog has them."""
    return SimpleVocabulary(
        [
            SimpleTerm(brain.UID, token=brain.UID, title=brain.Title or brain.getId)
            for brain in buyable_products()
        ]
    )
