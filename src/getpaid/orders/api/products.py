"""Finding the products a customer may buy."""

from AccessControl import Unauthorized
from getpaid.orders.api.snapshots import check_buyable
from getpaid.orders.exceptions import NotBuyable
from plone import api


def visible_product(uid):
    """The content with this UID if the current user may see it, else None.

    A private or deleted product is, to a customer, simply not there.
    """
    if not isinstance(uid, str) or not uid:
        return None
    try:
        return api.content.get(UID=uid)
    except Unauthorized:
        return None


def buyable_products() -> list:
    """Catalog brains of everything with the buyable behavior the current
    user may see, by title: what staff choose from (a product no longer
    for sale is among them; ordering it is refused, as a customer's is)."""
    catalog = api.portal.get_tool("portal_catalog")
    return list(
        catalog(
            object_provides="getpaid.orders.behaviors.buyable.IBuyable",
            sort_on="sortable_title",
        )
    )


def why_not_on_sale(product) -> NotBuyable | None:
    """Why a customer can't put it in a cart now (checkout's own rule), or None."""
    try:
        check_buyable(product)
    except NotBuyable as refusal:
        return refusal
    return None


def on_sale(product) -> bool:
    return why_not_on_sale(product) is None
