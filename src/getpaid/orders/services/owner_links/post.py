"""Staff hand the customer a new owner link by mail, as the order's pages do:

- ``POST <order>/@reissue-links``: every secret link replaced (one leaked),
  as *Replace the customer's links* (``api.reissue_links``);
- ``POST <order>/@resend-order-mail``: the confirmation again, with a new
  link, as the editor's *Resend the order e-mail*;
- ``POST <order>/@send-payment-link``: a link to pay, as the editor's *Send a
  payment link*, for an order waiting for payment.

Each answers 204, or 400 changing nothing when the domain refuses (the site
can't send mail, so the customer would get no link; the order isn't waiting
for payment).
"""

from getpaid.orders import api as shop
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.transactions import give_up
from plone.restapi.services import Service
from zope.interface import alsoProvides

import plone.protect.interfaces


class OwnerLinkPost(Service):
    """One domain verb that mails the order's customer a new owner link."""

    verb = None

    def reply(self):
        # A JSON API call, not a form: no CSRF token to carry.
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        try:
            type(self).verb(self.context)
        except GetpaidError as error:
            give_up()  # nothing of a refused request is kept
            self.request.response.setStatus(400)
            return {"error": {"type": "BadRequest", "message": str(error)}}
        return self.reply_no_content()


class ReissueLinksPost(OwnerLinkPost):
    verb = shop.reissue_links


class ResendOrderMailPost(OwnerLinkPost):
    verb = shop.resend_order_mail


class SendPaymentLinkPost(OwnerLinkPost):
    verb = shop.send_payment_link
