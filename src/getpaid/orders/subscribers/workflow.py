"""Every transition of an order goes into its history and becomes a domain event."""

from getpaid.orders.api.access import access
from getpaid.orders.api.access import viewer_of
from getpaid.orders.api.history import add_history
from getpaid.orders.events import OrderPaidEvent
from getpaid.orders.events import OrderStateChangedEvent
from getpaid.orders.workflow import PAID
from getpaid.orders.workflow import SOURCE_MANAGER
from zope.event import notify


def _source_outside_domain(order) -> str:
    """Who fired a transition through Plone (state menu, @workflow, plone.api),
    as api/access.py says: the buying member, unless staff, is the customer."""
    viewer = viewer_of(order)
    return access(order, viewer).source if viewer else SOURCE_MANAGER


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
