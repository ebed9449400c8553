"""Every transition of an order goes into its history and becomes a domain event."""

from getpaid.orders.api.history import add_history
from getpaid.orders.events import OrderPaidEvent
from getpaid.orders.events import OrderStateChangedEvent
from getpaid.orders.workflow import PAID
from getpaid.orders.workflow import SOURCE_MANAGER
from zope.event import notify


def record_transition(order, event):
    """After-transition handler for orders (not the initial state)."""
    if event.transition is None:
        return
    kwargs = event.kwargs or {}
    # Transitions fired outside the domain layer (ZMI, plone.api) come from staff.
    source = kwargs.get("source") or SOURCE_MANAGER
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
