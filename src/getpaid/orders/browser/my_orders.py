"""``@@my-orders``: a member's own orders, newest first."""

from getpaid.orders.money import money_text
from getpaid.orders.presentation.dates import date_formatter
from getpaid.orders.presentation.states import state_titles
from getpaid.orders.privacy import set_no_store
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import Unauthorized


class MyOrdersView(BrowserView):
    template = ViewPageTemplateFile("templates/my_orders.pt")

    def __call__(self):
        if api.user.is_anonymous():
            raise Unauthorized("Log in to see your orders.")
        set_no_store(self.request.response)
        return self.template()

    def orders(self) -> list[dict]:
        """Only the member's own: by buyer id, and through normal security."""
        user_id = api.user.get_current().getId()
        brains = api.portal.get_tool("portal_catalog")(
            portal_type="Order",
            buyer_id=user_id,
            sort_on="created",
            sort_order="descending",
        )
        titles = state_titles(self.request)
        format_date = date_formatter(with_time=False)
        return [
            {
                "number": brain.order_number,
                "url": brain.getURL(),
                "date": format_date(brain.created),
                "state": titles.get(brain.review_state, brain.review_state),
                "total": money_text(brain.order_total, brain.order_currency),
            }
            for brain in brains
        ]
