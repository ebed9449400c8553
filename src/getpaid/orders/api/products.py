"""Finding the products a customer may buy."""

from AccessControl import Unauthorized
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
