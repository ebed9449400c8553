"""``GET @orders``: the orders listing as JSON, shaped like ``@search``.

Takes the listing's parameters (``SearchableText``, ``review_state``
(repeatable), ``created.min``, ``created.max``, ``needs_attention``,
``sort_on``, ``sort_order``, ``b_start``, ``b_size``) and answers
``{"@id", "items", "items_total", "batching"}``. The catalog applies Plone
security: shop staff get every order, members their own, anyone else none.
"""

from dataclasses import replace
from getpaid.orders.api.listing import attention
from getpaid.orders.api.listing import ListingQuery
from getpaid.orders.api.listing import search
from getpaid.orders.permissions import ManageOrders
from getpaid.orders.privacy import set_no_store
from plone import api
from plone.restapi.batching import HypermediaBatch
from plone.restapi.services import Service


def listed(brain, catalog, staff: bool) -> dict:
    item = {
        "@id": brain.getURL(),
        "order_number": brain.order_number,
        "created": brain.created.ISO8601(),
        "state": brain.review_state,
        # As the order's projection names them (api/projection.py).
        "customer": {
            "first_name": brain.first_name,
            "last_name": brain.last_name,
            "email": brain.customer_email,
        },
        "buyer_id": brain.buyer_id or None,
        "products": [
            {"title": title, "UID": uid}
            for title, uid in zip(
                brain.product_titles or (), brain.product_uids or (), strict=False
            )
        ],
        "total": str(brain.order_total),
        "currency": brain.order_currency,
        "payment_txn_ids": list(brain.payment_txn_ids or ()),
        # Missing on orders catalogued before the column existed.
        "reminders": getattr(brain, "reminder_count", 0) or 0,
    }
    if staff:  # the shop's own note, as on the order's page
        item["attention"] = attention(catalog, brain) or None
    return item


class OrdersGet(Service):
    def reply(self):
        set_no_store(self.request.response)
        listing = ListingQuery.from_form(self.request.form)
        staff = api.user.has_permission(ManageOrders, obj=api.portal.get())
        if not staff:  # whether an order needs the shop's attention is theirs
            listing = replace(listing, attention=False)
        catalog = api.portal.get_tool("portal_catalog")
        results, total = search(catalog, listing, batched=False)
        batch = HypermediaBatch(self.request, results)
        answer = {
            "@id": batch.canonical_url,
            "items": [listed(brain, catalog, staff) for brain in batch],
            "items_total": total,
        }
        if batch.links:
            answer["batching"] = batch.links
        return answer
