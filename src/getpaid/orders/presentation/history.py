"""An order's history as staff read it: when, who, what, comment."""

from DateTime import DateTime
from getpaid.orders import _
from getpaid.orders.api.erasure import ANONYMISED
from getpaid.orders.api.notes import CUSTOMER_NOTE
from getpaid.orders.api.notes import INTERNAL_NOTE
from getpaid.orders.api.reminders import ACTIONS as REMINDER_ACTIONS
from getpaid.orders.api.reminders import FIRST
from getpaid.orders.api.reminders import LAST
from getpaid.orders.api.reminders import MANUAL
from getpaid.orders.content.order import IOrder
from getpaid.orders.presentation.dates import date_formatter
from getpaid.orders.presentation.states import state_titles
from getpaid.orders.workflow import SOURCE_CUSTOMER
from getpaid.orders.workflow import SOURCE_MANAGER
from getpaid.orders.workflow import SOURCE_PROVIDER
from getpaid.orders.workflow import SOURCE_SYSTEM
from plone import api
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
    "refund asked": _("Refund sent to the payment provider"),
    "refund": _("Refund"),
    "partial refund": _("Partial refund"),
    "reversal canceled": _("Chargeback canceled"),
    "attention cleared": _("Dealt with"),
    CUSTOMER_NOTE: _("Note for the customer added"),
    REMINDER_ACTIONS[FIRST]: _("First payment reminder sent"),
    REMINDER_ACTIONS[LAST]: _("Last payment reminder sent"),
    REMINDER_ACTIONS[MANUAL]: _("Payment reminder sent"),
    INTERNAL_NOTE: _("Internal note added"),
    ANONYMISED: _("Customer's data erased"),
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
