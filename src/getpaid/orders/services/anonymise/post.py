"""``POST <order>/@anonymise``: staff erase the customer's personal data.

As the order page's *Anonymise*: the body may say why
(``{"reason": "The customer asked."}``, kept in the history: no personal
data in it). Answers 200 with the order as staff now see it; 409 when it
is refused (unpaid and open, needs a person, the legal hold, done
already: api/erasure.py); 400, changing nothing, for a body that won't do.
"""

from getpaid.orders.api.access import current_access
from getpaid.orders.api.erasure import anonymise
from getpaid.orders.api.projection import order_data
from getpaid.orders.exceptions import ErasureRefused
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.transactions import give_up
from getpaid.orders.workflow import SOURCE_MANAGER
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.interface import alsoProvides

import plone.protect.interfaces


class AnonymisePost(Service):
    def reply(self):
        # A JSON API call, not a form: no CSRF token to carry.
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        order = self.context
        try:
            body = json_body(self.request) if self.request.get("BODY") else {}
        except DeserializationError:
            body = None
        if not isinstance(body, dict):
            return self.refuse(400, "BadRequest", "The request body is a JSON object.")
        try:
            anonymise(order, source=SOURCE_MANAGER, reason=body.get("reason", ""))
        except InvalidValue as error:
            return self.refuse(400, "BadRequest", str(error))
        except ErasureRefused as error:
            return self.refuse(409, "Conflict", str(error))
        return order_data(order, current_access(order), base_url=order.absolute_url())

    def refuse(self, status: int, kind: str, message: str) -> dict:
        give_up()
        self.request.response.setStatus(status)
        return {"error": {"type": kind, "message": message}}
