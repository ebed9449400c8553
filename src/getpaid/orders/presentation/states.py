"""Order state titles as the workflow names them, in the visitor's language."""

from getpaid.orders.workflow import STATES
from plone import api
from zope.i18n import translate


def state_titles(request) -> dict[str, str]:
    workflow = api.portal.get_tool("portal_workflow")
    return {
        state: translate(
            workflow.getTitleForStateOnType(state, "Order"),
            domain="getpaid.orders",
            context=request,
        )
        for state in STATES
    }
