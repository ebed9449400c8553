"""``POST @orders``: shop staff take an order for a customer (phone, e-mail).

The body is ``@checkout``'s (services/checkout.py; ``accept_terms`` is not
asked: staff aren't the customer) plus two optional keys::

    {"lines": [...], "customer": {...},
     "language": "de",          # the customer's mails; default the site's
     "buyer_id": "jane"}        # an existing member the order belongs to

The order is placed by api.enter_order: the same checks, snapshots and
number as a web order, the confirmation with the owner link mailed to the
customer, the history naming the staff member and the shop as its source.
Answers 201 with the order as staff see it (no owner link: the customer
holds it) and its ``Location``; 400 changing nothing for bad input. An
``Idempotency-Key`` header works as for ``@checkout``.
"""

from getpaid.orders import api as shop
from getpaid.orders.api.access import access
from getpaid.orders.api.access import STAFF
from getpaid.orders.api.projection import order_data
from getpaid.orders.services.checkout import BadInput
from getpaid.orders.services.checkout import CheckoutPost
from getpaid.orders.services.checkout import read_order


class OrdersPost(CheckoutPost):
    def place(self, data) -> shop.Placed:
        if not isinstance(data, dict):
            raise BadInput("The request body is a JSON object.")
        items, customer, comment = read_order(data)
        return shop.enter_order(
            items,
            customer,
            language=_optional_text(data, "language"),
            buyer_id=_optional_text(data, "buyer_id"),
            comment=comment,
            key=self.request.getHeader("Idempotency-Key"),
        )

    def answer(self, placed: shop.Placed) -> dict:
        order = placed.order
        return {
            "@id": order.absolute_url(),
            "UID": order.UID(),
            **order_data(order, access(order, STAFF), base_url=order.absolute_url()),
        }


def _optional_text(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadInput(f"{key} must be text.", key)
    return value
