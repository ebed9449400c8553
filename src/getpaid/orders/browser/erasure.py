"""Staff erase a customer's data: one order on request (``<order>/@@anonymise``,
a confirmation page first), and everything about one e-mail for a subject
access request (``@@customer-data``, a JSON file). api/erasure.py and
api/subject_access.py decide; these pages ask and show what was refused.
"""

from getpaid.orders import _
from getpaid.orders.api.erasure import anonymise
from getpaid.orders.api.erasure import refusal
from getpaid.orders.api.subject_access import customer_data
from getpaid.orders.exceptions import ErasureRefused
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.privacy import set_no_store
from getpaid.orders.transactions import give_up
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate

import json


class Anonymise(BrowserView):
    """GET: what will be erased and kept, a reason and a box to tick; POST
    with the box ticked: done, back on the order's page."""

    template = ViewPageTemplateFile("templates/anonymise.pt")
    error = ""

    def __call__(self):
        set_no_store(self.request.response)
        order = self.context
        why_not = refusal(order)
        self.refused = translate(why_not, context=self.request) if why_not else ""
        if self.request.method == "POST" and not self.refused:
            CheckAuthenticator(self.request)
            if not self.request.form.get("confirm"):
                self.error = translate(
                    _("Tick the box to confirm: this can't be undone."),
                    context=self.request,
                )
                return self.template()
            try:
                anonymise(
                    order,
                    source=SOURCE_MANAGER,
                    reason=self.request.form.get("reason", ""),
                )
            except (ErasureRefused, InvalidValue) as error:
                give_up()
                self.error = error.translated(self.request)
                return self.template()
            api.portal.show_message(
                _(
                    "Order ${number} is anonymised.",
                    mapping={"number": order.number},
                ),
                request=self.request,
            )
            return self.request.response.redirect(order.absolute_url())
        return self.template()


class CustomerData(BrowserView):
    """Without ``email``: a form; with it: the JSON file to hand over."""

    template = ViewPageTemplateFile("templates/customer_data.pt")

    def __call__(self):
        set_no_store(self.request.response)
        email = self.request.form.get("email")
        if not isinstance(email, str) or "@" not in email:
            return self.template()
        response = self.request.response
        response.setHeader("Content-Type", "application/json; charset=utf-8")
        response.setHeader(
            "Content-Disposition", 'attachment; filename="customer-data.json"'
        )
        return json.dumps(customer_data(email), indent=2, ensure_ascii=False)
