"""GET of an order in plone.restapi: Plone's fields, plus what makes it an order.

Lines with their snapshots, total, state and the transitions the caller may
fire, its payments and, for shop staff, its history. Amounts are decimal
strings.
"""

from getpaid.orders import api as shop
from getpaid.orders.content.order import IOrder
from getpaid.orders.interfaces import IGetpaidOrdersLayer
from getpaid.orders.workflow import SOURCE_CUSTOMER
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeFolderToJson
from zope.component import adapter
from zope.interface import implementer


def line_json(line) -> dict:
    snapshot = line.snapshot
    return {
        "product": snapshot.uid,
        "name": snapshot.name,
        "title": snapshot.title,
        "display_name": snapshot.display_name,
        "description": snapshot.description,
        "detail": snapshot.detail,
        "sku": snapshot.sku,
        "unit_price": str(snapshot.unit_price),
        "currency": snapshot.currency,
        "duration_days": snapshot.duration_days,
        "quantity": line.quantity,
        "total": str(line.total),
    }


def payment_json(payment) -> dict:
    return {
        "@id": payment.absolute_url(),
        "provider": payment.provider,
        "txn_id": payment.txn_id,
        "parent_txn_id": payment.parent_txn_id,
        "status": payment.status,
        "kind": shop.kind_of(payment),
        "amount": str(payment.amount),
        "currency": payment.currency,
        "received_at": payment.received_at.isoformat(),
    }


def history_json(entry) -> dict:
    return {
        "when": entry.when.isoformat(),
        "actor": entry.actor,
        "source": entry.source,
        "action": entry.action,
        "field": entry.field,
        "old": entry.old,
        "new": entry.new,
        "comment": entry.comment,
    }


@implementer(ISerializeToJson)
@adapter(IOrder, IGetpaidOrdersLayer)
class SerializeOrderToJson(SerializeFolderToJson):
    def __call__(self, version=None, include_items=False, include_expansion=True):
        result = super().__call__(
            version=version, include_items=False, include_expansion=include_expansion
        )
        order = self.context
        staff = api.user.has_permission("getpaid.orders: Manage orders", obj=order)
        source = SOURCE_MANAGER if staff else SOURCE_CUSTOMER
        result.update(
            {
                "lines": [line_json(line) for line in order.lines],
                "total": str(order.total),
                "currency": order.currency,
                "review_state": api.content.get_state(order),
                "allowed_transitions": shop.allowed_transitions(order, source),
                "payments": [payment_json(p) for p in order.payments()]
                if staff
                else [],
            }
        )
        if staff:
            result["history"] = [history_json(entry) for entry in order.history]
        return result
