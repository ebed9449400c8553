"""``POST <order>/@reissue-links``: staff replace every secret link of an order.

For a link that leaked, as the order page's *Replace the customer's links*:
the old links open nothing any more, and the customer gets the new owner
link by mail (``api.reissue_links``). Answers 204, or 400 changing nothing
when the site can't send mail (the customer would lose their order).
"""

from getpaid.orders import api as shop
from getpaid.orders.exceptions import GetpaidError
from plone.restapi.services import Service
from zope.interface import alsoProvides

import plone.protect.interfaces
import transaction


class ReissueLinksPost(Service):
    def reply(self):
        # A JSON API call, not a form: no CSRF token to carry.
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        try:
            shop.reissue_links(self.context)
        except GetpaidError as error:
            transaction.doom()  # nothing of a refused request is kept
            self.request.response.setStatus(400)
            return {"error": {"type": "BadRequest", "message": str(error)}}
        return self.reply_no_content()
