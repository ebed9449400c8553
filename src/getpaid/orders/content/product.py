"""The shipped ``Product`` type: an item whose shop fields come from behaviors.

Its schema is empty on purpose: price and the rest are the
``getpaid.orders.buyable`` behavior, which any other type can use too.
"""

from plone.supermodel import model


class IProduct(model.Schema):
    """A product for sale."""
