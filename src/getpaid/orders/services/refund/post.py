"""``POST <order>/@refund``: staff refund an order through its payment's
provider, as the order page's refund form does.

Body: ``{"amount": "5.00", "note": "...", "refunds_seen": 0}``. ``amount``
is a decimal string in the order's currency (at most what remains: the
order's ``refund.most``); ``note`` goes to the customer (255 characters at
most); ``refunds_seen`` (optional) is the order's ``refund.refunds_seen``
as the caller last read it: if a refund was recorded since, nothing is
refunded (a request sent twice refunds once).

Answers 200 and the order as staff see it (its ``refunded`` and
``remaining``, the new record in ``payments``); 400 for an amount or note
that won't do; 409 when the refund can't be made as asked (more than
remains, nothing left, a provider that refunds only at its own site such
as Payments Standard, a stale ``refunds_seen``, or the provider refused);
503 when the provider could not be asked: the refund may have happened,
and the same request sent again gets the provider's first answer.
"""

from getpaid.orders.api import refunds
from getpaid.orders.api.access import current_access
from getpaid.orders.api.projection import order_data
from getpaid.orders.exceptions import InvalidAmount
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.exceptions import RefundNotPossible
from getpaid.orders.transactions import give_up
from getpaid.orders.workflow import SOURCE_MANAGER
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.interface import alsoProvides

import plone.protect.interfaces


class RefundPost(Service):
    def reply(self):
        # A JSON API call, not a form: no CSRF token to carry.
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        order = self.context
        try:
            body = json_body(self.request)
        except DeserializationError:
            body = None
        if not isinstance(body, dict):
            return self.refuse(400, "BadRequest", "The request body is a JSON object.")
        seen = body.get("refunds_seen")
        if seen is not None and (type(seen) is not int or seen < 0):
            return self.refuse(
                400, "BadRequest", "refunds_seen is a whole number, as GET gives it."
            )
        amount, note = body.get("amount"), body.get("note", "")
        if not isinstance(amount, str) or not isinstance(note, str):
            return self.refuse(
                400,
                "BadRequest",
                'amount is a decimal string ("5.00"), note a string.',
            )
        try:
            refunds.refund(order, amount, note, source=SOURCE_MANAGER, seen=seen)
        except (InvalidAmount, InvalidValue) as error:
            return self.refuse(400, "BadRequest", error.translated(self.request))
        except RefundNotPossible as error:
            return self.refuse(409, "Conflict", error.translated(self.request))
        except ProviderUnavailable as error:
            return self.refuse(
                503, "ServiceUnavailable", error.translated(self.request)
            )
        return order_data(order, current_access(order), base_url=order.absolute_url())

    def refuse(self, status: int, kind: str, message: str) -> dict:
        give_up()  # nothing of a refused refund is kept
        self.request.response.setStatus(status)
        return {"error": {"type": kind, "message": message}}
