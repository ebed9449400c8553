"""``GET @order-status/<token>``: the order a secret link opens, as JSON.

The same scopes and fields as the page: an owner link gets the whole order,
a share link its status only (no prices, names, addresses or contact). An
unknown, revoked or malformed token is a 404 like any other.
"""

from getpaid.orders import api as shop
from getpaid.orders.api.links import OWNER
from getpaid.orders.browser.order import OrderPage
from getpaid.orders.browser.privacy import set_privacy_headers
from getpaid.orders.exceptions import OrderNotFound
from plone import api
from plone.restapi.services import Service
from zExceptions import NotFound
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


def scoped(page: OrderPage) -> dict:
    # Amounts as decimal strings, as everywhere in the API; the page's are
    # written for people.
    lines = [
        {
            "name": shown["name"],
            "image": shown["image_url"] or None,
            "quantity": shown["quantity"],
            **(
                {"unit_price": str(line.snapshot.unit_price), "total": str(line.total)}
                if page.private
                else {}
            ),
        }
        for shown, line in zip(page.lines(), page.order.lines, strict=True)
    ]
    data = {
        "order_number": page.number,
        "state": page.state,
        "state_title": page.state_title,
        "message": page.message,
        "lines": lines,
        "scope": "owner" if page.private else "share",
    }
    if page.private:
        order = page.order
        data.update(
            currency=order.currency,
            total=str(order.total),
            first_name=order.first_name,
            last_name=order.last_name,
            email=order.email,
            phone=order.phone or "",
            billing_address=page.address("billing"),
            shipping_address=page.address("shipping"),
            may_pay=page.may_pay,
        )
    return data


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
        owner = link.kind == OWNER
        base_url = f"{api.portal.get().absolute_url()}/@@order-status/{token}"
        page = OrderPage(
            order, base_url, may_pay=owner, may_cancel=owner, private=owner
        )
        return scoped(page)
