"""What staff see on an order's page beside the order: its history, and why
it needs a person (a payment problem), with a way to say it was dealt with."""

from DateTime import DateTime
from getpaid.orders import _
from getpaid.orders.api.history import add_history
from getpaid.orders.browser.dates import date_formatter
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import NotFound


def history_rows(order) -> list[dict]:
    """The history, oldest first, as the page's table shows it."""
    when = date_formatter()
    rows = []
    for entry in order.history:
        change = f"{entry.old} → {entry.new}" if entry.old or entry.new else ""
        rows.append(
            {
                "when": when(DateTime(entry.when)),
                "who": f"{entry.actor} ({entry.source})",
                "what": " ".join(filter(None, (entry.action, entry.field, change))),
                "comment": entry.comment,
            }
        )
    return rows


class ClearAttention(BrowserView):
    """POST ``<order>/clear-attention``: staff dealt with the order's problem."""

    def __call__(self):
        if self.request.method != "POST":
            raise NotFound("clear-attention")
        CheckAuthenticator(self.request)
        order = self.context
        if order.attention:
            add_history(
                order,
                source=SOURCE_MANAGER,
                action="attention cleared",
                old=order.attention,
                comment=self.request.form.get("comment", "")[:2000],
            )
            order.attention = ""
            api.portal.show_message(_("Marked as dealt with."), request=self.request)
        return self.request.response.redirect(order.absolute_url())
