"""PATCH of an order in plone.restapi follows the editor's rules.

``lines`` ([{"product": UID, "quantity": n}]) may change only while the
order is unpaid; products already on it keep their snapshot, others are
snapshotted now. Other editable fields (message, start, end, addresses…)
go through ``api.update_order``. Number, buyer, currency and state can't be
patched: the state moves through ``@workflow``. Refusals are 400s and
leave the order as it was.
"""

from datetime import datetime
from getpaid.orders import api as shop
from getpaid.orders.api.orders import EDITABLE_FIELDS
from getpaid.orders.api.products import visible_product
from getpaid.orders.content.order import IOrder
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.interfaces import IGetpaidOrdersLayer
from getpaid.orders.services.body import read_json
from getpaid.orders.transactions import give_up
from getpaid.orders.workflow import SOURCE_MANAGER
from plone.restapi.interfaces import IDeserializeFromJson
from zExceptions import BadRequest
from zope.component import adapter
from zope.interface import implementer


DATETIME_FIELDS = {"start", "end"}


@implementer(IDeserializeFromJson)
@adapter(IOrder, IGetpaidOrdersLayer)
class DeserializeOrderFromJson:
    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self, validate_all=False, data=None, create=False, **kwargs):
        data = read_json(self.request) if data is None else data
        try:
            self.apply(data)
        except (GetpaidError, ValueError, TypeError) as error:
            give_up()  # nothing of a refused PATCH is kept
            raise BadRequest(str(error)) from None
        return self.context

    def apply(self, data: dict) -> None:
        unknown = set(data) - EDITABLE_FIELDS - {"lines"}
        if unknown:
            raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}.")
        order = self.context
        if "lines" in data:
            shop.set_lines(order, self.items(data["lines"]), source=SOURCE_MANAGER)
        changes = {
            name: _field_value(name, value)
            for name, value in data.items()
            if name != "lines"
        }
        if changes:
            shop.update_order(order, changes, source=SOURCE_MANAGER)

    def items(self, lines) -> list:
        if not isinstance(lines, list):
            raise ValueError("lines is a list of {product, quantity}.")
        on_order = {line.product_uid for line in self.context.lines}
        items = []
        for line in lines:
            if not isinstance(line, dict):
                raise ValueError("Each line is an object: {product, quantity}.")
            uid, quantity = line.get("product"), line.get("quantity", 1)
            if isinstance(quantity, bool) or not isinstance(quantity, int):
                raise ValueError("Each quantity is a whole number.")
            product = uid if uid in on_order else visible_product(uid)
            if product is None:
                raise ValueError(f"There is no product {uid!r}.")
            items.append((product, quantity))
        return items


def _field_value(name: str, value):
    if name in DATETIME_FIELDS and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value
