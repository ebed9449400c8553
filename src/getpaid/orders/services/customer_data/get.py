"""``GET @customer-data?email=…``: everything stored about one customer's
e-mail, as JSON, for a subject access request (api/subject_access.py).
Staff only; 400 without an e-mail."""

from getpaid.orders.api.subject_access import customer_data
from getpaid.orders.privacy import set_no_store
from plone.restapi.services import Service


class CustomerDataGet(Service):
    def reply(self):
        set_no_store(self.request.response)
        email = self.request.form.get("email")
        if not isinstance(email, str) or "@" not in email:
            self.request.response.setStatus(400)
            message = "Say whose data: ?email=<the customer's e-mail address>."
            return {"error": {"type": "BadRequest", "message": message}}
        return customer_data(email)
