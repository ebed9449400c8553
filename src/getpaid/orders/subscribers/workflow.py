"""Every transition of an order goes into its history and becomes a domain event."""

from getpaid.orders.api.history import add_history
from getpaid.orders.events import OrderPaidEvent
from getpaid.orders.events import OrderStateChangedEvent
from getpaid.orders.workflow import PAID
from getpaid.orders.workflow import SOURCE_CUSTOMER
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api
from zope.event import notify


def _source_outside_domain(order) -> str:
    """Who fired a transition through Plone (state menu, @workflow, plone.api):
    the buying member for their own order, otherwise staff."""
    buyer = bool(order.buyer_id) and api.user.get_current().getId() == order.buyer_id
    staff = api.user.has_permission("getpaid.orders: Manage orders", obj=order)
    return SOURCE_CUSTOMER if buyer and not staff else SOURCE_MANAGER


def record_transition(order, event):
    """After-transition handler for orders (not the initial state)."""
    if event.transition is None:
        return
    kwargs = event.kwargs or {}
    source = kwargs.get("source") or _source_outside_domain(order)
    comment = kwargs.get("comment") or ""
    old, new = event.old_state.id, event.new_state.id
    add_history(
        order,
        source=source,
        action=event.transition.id,
        old=old,
        new=new,
        comment=comment,
    )
    notify(
        OrderStateChangedEvent(order, old, new, event.transition.id, source, comment)
    )
    if new == PAID:
        notify(OrderPaidEvent(order))
