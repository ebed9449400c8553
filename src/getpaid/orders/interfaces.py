"""Interfaces shared across getpaid.orders."""

from getpaid.orders.behaviors.buyable import IBuyable
from getpaid.orders.content.order import IOrder
from getpaid.orders.content.orders_folder import IOrdersFolder
from getpaid.orders.content.payment import IPayment
from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IGetpaidOrdersLayer(IDefaultBrowserLayer):
    """Browser layer: our views and panels exist only where we're installed."""


__all__ = ["IBuyable", "IGetpaidOrdersLayer", "IOrder", "IOrdersFolder", "IPayment"]
