"""``POST <order>/@send-reminder``: staff remind the customer to pay, as the
order page's *Remind the customer to pay* (api/reminders.py).

Answers 201 with the reminder kept (``kind``, ``when``, ``actor``; never its
link); 409 when the order isn't waiting for payment (paid, closed, or a
payment under way); 400 when the site can't send mail. A refusal keeps
nothing.
"""

from getpaid.orders.api.projection import reminder_data
from getpaid.orders.api.reminders import send_reminder
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.exceptions import NotAwaitingPayment
from getpaid.orders.transactions import give_up
from plone.restapi.services import Service
from zope.interface import alsoProvides

import plone.protect.interfaces


class SendReminderPost(Service):
    def reply(self):
        # A JSON API call, not a form: no CSRF token to carry.
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        try:
            reminder = send_reminder(self.context)
        except GetpaidError as error:
            give_up()  # nothing of a refused request is kept
            conflict = isinstance(error, NotAwaitingPayment)
            self.request.response.setStatus(409 if conflict else 400)
            kind = "Conflict" if conflict else "BadRequest"
            return {"error": {"type": kind, "message": str(error)}}
        self.request.response.setStatus(201)
        return reminder_data(reminder)
