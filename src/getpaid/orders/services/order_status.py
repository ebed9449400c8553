"""``GET @order-status/<token>``: the order a secret link opens, as JSON.

The order's projection for that link (api/projection.py), as the page shows
it: an owner link gets the whole order and its actions, a share link its
status only (no prices, names, addresses or contact). An unknown, revoked
or malformed token is a 404 like any other.
"""

from getpaid.orders import api as shop
from getpaid.orders.api.access import access
from getpaid.orders.api.access import viewer_of
from getpaid.orders.api.links import link_url
from getpaid.orders.api.projection import order_data
from getpaid.orders.exceptions import OrderNotFound
from getpaid.orders.privacy import set_privacy_headers
from plone.restapi.services import Service
from zExceptions import NotFound
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


@implementer(IPublishTraverse)
class OrderStatusGet(Service):
    def __init__(self, context, request):
        super().__init__(context, request)
        self.params = []

    def publishTraverse(self, request, name):
        self.params.append(name)
        return self

    def reply(self):
        set_privacy_headers(self.request.response)
        if len(self.params) != 1:
            raise NotFound("order-status")
        token = self.params[0]
        try:
            order, link = shop.find_by_token(token)
        except OrderNotFound:
            raise NotFound("order-status") from None
        base_url = link_url(token)
        return order_data(
            order, access(order, viewer_of(order, link)), base_url=base_url
        )
