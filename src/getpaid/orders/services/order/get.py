"""GET of an order in plone.restapi: Plone's fields, plus the order's projection.

Beside what Plone's serializer gives every content item (``review_state``,
the schema's fields), the order as api/projection.py gives it to the caller
(staff: everything, with payments and history; its buyer: the order and
its actions) and ``allowed_transitions``, the ``@workflow`` transitions the
caller may fire. Amounts are decimal strings.
"""

from getpaid.orders.api.access import current_access
from getpaid.orders.api.projection import order_data
from getpaid.orders.content.order import IOrder
from getpaid.orders.interfaces import IGetpaidOrdersLayer
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeFolderToJson
from zope.component import adapter
from zope.interface import implementer


@implementer(ISerializeToJson)
@adapter(IOrder, IGetpaidOrdersLayer)
class SerializeOrderToJson(SerializeFolderToJson):
    def __call__(self, version=None, include_items=False, include_expansion=True):
        result = super().__call__(
            version=version, include_items=False, include_expansion=include_expansion
        )
        order = self.context
        seen = current_access(order)
        result.update(order_data(order, seen, base_url=order.absolute_url()))
        result["allowed_transitions"] = list(seen.transitions)
        return result
