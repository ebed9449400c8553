"""``@order-status/<token>``: the order a secret link opens, as JSON.

``GET`` answers the order's projection for that link (api/projection.py),
as the page shows it: an owner link gets the whole order and its actions,
a share link its status only (no prices, names, addresses or contact).

An owner link also does over REST what its page does (``POST``; the token
is the credential, so there is no CSRF token to carry):

- ``.../cancel``: cancels as the order's owner, if the workflow lets it
  (else 409); answers the order;
- ``.../share`` with ``{"label": "..."}`` (optional): 201 and the new share
  link (shown once, stored nowhere); 400 for a label that won't do or when
  the order has all the share links it may have;
- ``.../unshare/<index>``: revokes the share link of that ``index`` in the
  order's ``share_links``; 204, or 404;
- ``.../pay/<provider>``: begins a payment with that provider, as the
  page's "Pay" button does, and answers ``{"redirect": url}``: where to
  send the payer (the provider's page). The body may carry the fields of
  the provider's ``payment_choices`` entry (``{"attempt": "1"}``: sent
  twice, one payment begins). 409 when the order can't be paid that way
  (not payable now, the provider not offered for it, or it refused),
  503 when the provider can't be reached (try again later).

An unknown, revoked or malformed token, or a share link that tries to act,
is a 404 like any other.
"""

from getpaid.orders import _
from getpaid.orders import api as shop
from getpaid.orders.api.access import access
from getpaid.orders.api.access import acting_as
from getpaid.orders.api.access import viewer_of
from getpaid.orders.api.links import link_url
from getpaid.orders.api.links import STATUS
from getpaid.orders.api.paying import payment_urls
from getpaid.orders.api.projection import order_data
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import OrderNotFound
from getpaid.orders.exceptions import PaymentNotStarted
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.exceptions import TooManyLinks
from getpaid.orders.exceptions import TransitionNotAllowed
from getpaid.orders.payments.registry import payable_with
from getpaid.orders.privacy import set_privacy_headers
from getpaid.orders.transactions import give_up
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zExceptions import NotFound
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

import plone.protect.interfaces


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
        seen = access(order, viewer_of(order, link))
        return order_data(order, seen, base_url=base_url)


class OrderStatusPost(OrderStatusGet):
    def reply(self):
        set_privacy_headers(self.request.response)
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        if len(self.params) < 2:
            raise NotFound("order-status")
        token, *action = self.params
        try:
            order, link = shop.find_by_token(token)
        except OrderNotFound:
            raise NotFound("order-status") from None
        seen = access(order, viewer_of(order, link))
        if not seen.may_share:  # only an owner link acts
            raise NotFound("order-status")
        try:
            return self.act(order, seen, link_url(token), action)
        except (TransitionNotAllowed, PaymentNotStarted) as error:
            return self.refuse(409, "Conflict", str(error))
        except ProviderUnavailable as error:
            return self.refuse(503, "ServiceUnavailable", str(error))
        except (InvalidValue, TooManyLinks) as error:
            return self.refuse(400, "BadRequest", str(error))
        except DeserializationError:
            return self.refuse(400, "BadRequest", "The request body is a JSON object.")

    def act(self, order, seen, base_url: str, action: list[str]):
        if action == ["cancel"]:
            with acting_as(seen):
                shop.cancel_order(order, source=seen.source)
            return order_data(order, access(order, seen.viewer), base_url=base_url)
        if action == ["share"]:
            body = json_body(self.request) if self.request.get("BODY") else {}
            label = body.get("label", "")
            token = shop.create_link(order, STATUS, label=label)
            self.request.response.setStatus(201)
            return {"share_link": link_url(token)}
        if len(action) == 2 and action[0] == "pay":
            return self.pay(order, seen, base_url, action[1])
        unshare = len(action) == 2 and action[0] == "unshare" and action[1].isdigit()
        if unshare and shop.revoke_share_link(order, int(action[1])):
            return self.reply_no_content()
        raise NotFound("order-status")

    def pay(self, order, seen, base_url: str, provider_id: str) -> dict:
        provider = payable_with(order, provider_id) if seen.may_pay else None
        if provider is None:
            raise PaymentNotStarted(_("This order can't be paid that way now."))
        urls = payment_urls(seen, base_url, provider_id)
        form = dict(provider.payment_form(order, urls).fields)
        body = json_body(self.request) if self.request.get("BODY") else {}
        form.update(
            (key, value) for key, value in body.items() if isinstance(value, str)
        )
        return {"redirect": provider.start(order, urls, form)}

    def refuse(self, status: int, kind: str, message: str) -> dict:
        give_up()  # nothing of a refused request is kept
        self.request.response.setStatus(status)
        return {"error": {"type": kind, "message": message}}
