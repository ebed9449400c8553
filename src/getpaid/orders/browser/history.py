"""What staff see on an order's page beside the order: its history, and why
it needs a person (a payment problem), with a way to say it was dealt with."""

from DateTime import DateTime
from getpaid.orders import _
from getpaid.orders.api.attention import clear_attention
from getpaid.orders.browser.dates import date_formatter
from getpaid.orders.browser.states import state_titles
from getpaid.orders.content.order import IOrder
from getpaid.orders.workflow import SOURCE_CUSTOMER
from getpaid.orders.workflow import SOURCE_MANAGER
from getpaid.orders.workflow import SOURCE_PROVIDER
from getpaid.orders.workflow import SOURCE_SYSTEM
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import NotFound
from zope.i18n import translate


SOURCES = {
    SOURCE_CUSTOMER: _("customer"),
    SOURCE_MANAGER: _("shop staff"),
    SOURCE_PROVIDER: _("payment provider"),
    SOURCE_SYSTEM: _("system"),
}
# What the history records besides transitions (whose titles the workflow has).
ACTIONS = {
    "place": _("Placed"),
    "edit": _("Changed"),
    "claimed": _("Attached to a member's account"),
    "links reissued": _("Links replaced"),
    "payment problem": _("Payment problem"),
    "payment pending": _("Payment pending"),
    "refund": _("Refund"),
    "partial refund": _("Partial refund"),
    "reversal canceled": _("Chargeback canceled"),
    "attention cleared": _("Dealt with"),
}


def history_rows(order, request) -> list[dict]:
    """The history, oldest first, as the page's table shows it."""

    def text(message) -> str:
        return translate(message, domain="getpaid.orders", context=request)

    when = date_formatter()
    states = state_titles(request)
    tool = api.portal.get_tool("portal_workflow")
    (workflow,) = tool.getWorkflowsFor(order)

    def what(entry) -> str:
        transition = workflow.transitions.get(entry.action)
        if transition is not None:  # from one state to another
            old, new = states.get(entry.old, entry.old), states.get(entry.new, "")
            return f"{text(transition.title)}: {old} → {new}"
        title = text(ACTIONS.get(entry.action, entry.action))
        if entry.field in IOrder:
            title += f" ({text(IOrder[entry.field].title)})"
        change = f"{entry.old} → {entry.new}" if entry.old else entry.new
        return f"{title}: {change}" if change else title

    return [
        {
            "when": when(DateTime(entry.when)),
            "who": f"{entry.actor} ({text(SOURCES.get(entry.source, entry.source))})",
            "what": what(entry),
            "comment": entry.comment,
        }
        for entry in order.history
    ]


class ClearAttention(BrowserView):
    """POST ``<order>/clear-attention``: staff dealt with the order's problem."""

    def __call__(self):
        if self.request.method != "POST":
            raise NotFound("clear-attention")
        CheckAuthenticator(self.request)
        order = self.context
        if order.attention:
            clear_attention(
                order,
                source=SOURCE_MANAGER,
                action="attention cleared",
                comment=str(self.request.form.get("comment", ""))[:2000],
            )
            api.portal.show_message(_("Marked as dealt with."), request=self.request)
        return self.request.response.redirect(order.absolute_url())
