"""Everything the shop stores about one customer's e-mail, for a subject
access request (GDPR art. 15): each order placed with that address, as
staff see it (api/projection.py), with the raw messages of its payment
records. Anonymised orders no longer have the address: they aren't found.
"""

from getpaid.orders.api.access import access
from getpaid.orders.api.access import STAFF
from getpaid.orders.api.projection import order_data
from plone import api


def customer_orders(email: str) -> list:
    """The orders placed with ``email`` (case aside), oldest first."""
    email = (email or "").strip().lower()
    if not email:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="Order", customer_email=email, sort_on="created"
    )
    return [brain._unrestrictedGetObject() for brain in brains]


def customer_data(email: str) -> dict:
    """``{"email": …, "orders": [...]}``: JSON-compatible, for staff."""
    orders = []
    for order in customer_orders(email):
        data = order_data(order, access(order, STAFF), base_url=order.absolute_url())
        raws = {payment.absolute_url(): _raw(payment) for payment in order.payments()}
        for payment in data.get("payments", ()):
            payment["raw"] = raws.get(payment["@id"], "")
        orders.append(data)
    return {"email": (email or "").strip().lower(), "orders": orders}


def _raw(payment) -> str:
    raw = payment.raw or b""
    try:
        return raw.decode(payment.charset or "utf-8", "replace")
    except LookupError:
        return raw.decode("utf-8", "replace")
