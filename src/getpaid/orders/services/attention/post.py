"""``POST <order>/@clear-attention``: staff dealt with the order's problem.

As the order page's *Mark as dealt with*: every flag goes, and the history
keeps who and ``comment`` (what was done). Answers 204; 409 when the order
needs no attention.
"""

from getpaid.orders.api.attention import clear_attention
from getpaid.orders.workflow import SOURCE_MANAGER
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.interface import alsoProvides

import plone.protect.interfaces


class ClearAttentionPost(Service):
    def reply(self):
        # A JSON API call, not a form: no CSRF token to carry.
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        order = self.context
        if not order.attention:
            self.request.response.setStatus(409)
            message = f"Order {order.number} needs no attention."
            return {"error": {"type": "Conflict", "message": message}}
        try:
            body = json_body(self.request) if self.request.get("BODY") else {}
        except DeserializationError:
            self.request.response.setStatus(400)
            message = "The request body is a JSON object."
            return {"error": {"type": "BadRequest", "message": message}}
        clear_attention(
            order,
            source=SOURCE_MANAGER,
            action="attention cleared",
            comment=str(body.get("comment", ""))[:2000],
        )
        return self.reply_no_content()
