"""The Order type: fields, derived total, and what it must not share."""

from getpaid.orders import api as shop
from getpaid.orders.content.order import Order
from zope.annotation.interfaces import IAnnotations


def test_orders_do_not_share_annotations(make_product, customer):
    """A class-level ``__annotations__`` would leak one order's data into all."""
    mug = make_product("mug", "12.50")
    first = shop.place_order([(mug, 1)], customer)
    second = shop.place_order([(mug, 2)], customer)
    IAnnotations(first)["getpaid.test"] = "first only"
    assert "getpaid.test" not in IAnnotations(second)
    assert "__annotations__" not in vars(Order)


def test_total_is_derived_from_lines(make_product, customer):
    order = shop.place_order(
        [(make_product("mug", "12.50"), 3), (make_product("tee", "25.00"), 1)],
        customer,
    )
    assert str(order.total) == "62.50"
    assert order.customer_name == "Ada Lovelace"
    assert not order.has_shipping_address
