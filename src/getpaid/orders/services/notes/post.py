"""``POST <order>/@notes``: staff add a note, as the order page's *Add a note*.

The body is ``{"text": "…", "for_customer": true}``; without
``for_customer`` the note is internal (only staff read it, it is never
mailed). A note for the customer is shown on their page and mailed to them
(api/notes.py). Answers 201 with the note as staff read it
(api/projection.py); 400, keeping nothing, for a body or text that won't do.
"""

from getpaid.orders.api.access import current_access
from getpaid.orders.api.notes import add_note
from getpaid.orders.api.projection import note_data
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.transactions import give_up
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.interface import alsoProvides

import plone.protect.interfaces


class NotesPost(Service):
    def reply(self):
        # A JSON API call, not a form: no CSRF token to carry.
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        try:
            body = json_body(self.request)
        except DeserializationError:
            return self.refuse("The request body is a JSON object.")
        if not isinstance(body, dict):
            return self.refuse("The request body is a JSON object.")
        try:
            note = add_note(
                self.context,
                body.get("text"),
                for_customer=body.get("for_customer", False),
            )
        except InvalidValue as error:
            return self.refuse(str(error))
        self.request.response.setStatus(201)
        return note_data(note, current_access(self.context))

    def refuse(self, message: str) -> dict:
        give_up()  # nothing of a refused request is kept
        self.request.response.setStatus(400)
        return {"error": {"type": "BadRequest", "message": message}}
