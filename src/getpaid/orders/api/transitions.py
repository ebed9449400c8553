"""Moving orders through ``getpaid_order_workflow``.

The workflow's guards say who may fire what. When the payment provider or
the system acts (an IPN, the sweeper) nobody is logged in, so those sources
act with the ``Payment Processor`` role, which holds only what they need.
"""

from contextlib import nullcontext
from getpaid.orders import _
from getpaid.orders import workflow as wf
from getpaid.orders.api.orders import update_order
from getpaid.orders.exceptions import TransitionNotAllowed
from getpaid.orders.permissions import PAYMENT_PROCESSOR_ROLE
from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException


AUTOMATIC_SOURCES = frozenset({wf.SOURCE_PROVIDER, wf.SOURCE_SYSTEM})


def allowed_transitions(order, source: str) -> list[str]:
    """Ids of the transitions ``source`` may fire on the order now."""
    with _acting_as(source):
        workflow_tool = api.portal.get_tool("portal_workflow")
        return [t["id"] for t in workflow_tool.getTransitionsFor(order)]


def fire(order, transition: str, *, source: str, comment: str = "") -> str:
    """Fire a transition; return the new state id.

    The history entry and the domain events are written by the subscriber
    to the workflow's after-transition event (subscribers/workflow.py), so a
    transition fired any other way (the ZMI, plone.api) is recorded too.
    """
    if source not in wf.SOURCES:
        raise ValueError(f"Unknown source {source!r}; one of {wf.SOURCES}.")
    with _acting_as(source):
        workflow_tool = api.portal.get_tool("portal_workflow")
        allowed = [t["id"] for t in workflow_tool.getTransitionsFor(order)]
        if transition not in allowed:
            state = api.content.get_state(order)
            raise TransitionNotAllowed(
                _(
                    "Order ${number} is ${state}: ${transition} is not "
                    "possible now for the ${source}.",
                    mapping={
                        "number": order.number,
                        "state": state,
                        "transition": repr(transition),
                        "source": source,
                    },
                )
            )
        try:
            workflow_tool.doActionFor(
                order, transition, comment=comment or "", source=source
            )
        except WorkflowException as error:
            raise TransitionNotAllowed(str(error)) from None
    return api.content.get_state(order)


def _acting_as(source: str):
    if source in AUTOMATIC_SOURCES:
        return api.env.adopt_roles([PAYMENT_PROCESSOR_ROLE])
    return nullcontext()


def mark_paid(order, *, source: str = wf.SOURCE_PROVIDER, comment: str = "") -> str:
    """Paid: by the provider's verified word, or a manager's (bank transfer)."""
    return fire(order, wf.PAY, source=source, comment=comment)


def fail_payment(order, *, comment: str = "") -> str:
    return fire(order, wf.FAIL_PAYMENT, source=wf.SOURCE_PROVIDER, comment=comment)


def cancel_order(order, *, source: str, comment: str = "") -> str:
    return fire(order, wf.CANCEL, source=source, comment=comment)


def time_out(order, *, comment: str = "") -> str:
    """Unpaid for too long; never while the provider reports a pending payment."""
    if getattr(order, "payment_pending", ""):
        raise TransitionNotAllowed(
            _(
                "Order ${number} has a pending payment (${reason}): "
                "it does not time out.",
                mapping={"number": order.number, "reason": order.payment_pending},
            )
        )
    return fire(order, wf.TIME_OUT, source=wf.SOURCE_SYSTEM, comment=comment)


def expire(order, *, comment: str = "") -> str:
    return fire(order, wf.EXPIRE, source=wf.SOURCE_SYSTEM, comment=comment)


def deliver(order, *, comment: str = "") -> str:
    return fire(order, wf.DELIVER, source=wf.SOURCE_MANAGER, comment=comment)


def fulfil(order, transition: str, *, message: str = "") -> str:
    """Deliver or complete as staff; ``message`` (a tracking number, say)
    becomes the order's message to the customer and the transition's comment.

    Checked before anything is written, so a refused step leaves the message
    as it was.
    """
    if transition not in wf.FULFILMENT:
        raise TransitionNotAllowed(
            _(
                "${transition} is not a fulfilment step.",
                mapping={"transition": repr(transition)},
            )
        )
    if transition not in allowed_transitions(order, wf.SOURCE_MANAGER):
        state = api.content.get_state(order)
        raise TransitionNotAllowed(
            _(
                "Order ${number} is ${state}: ${transition} is not possible now.",
                mapping={
                    "number": order.number,
                    "state": state,
                    "transition": repr(transition),
                },
            )
        )
    if message:
        update_order(order, {"message": message}, source=wf.SOURCE_MANAGER)
    return fire(order, transition, source=wf.SOURCE_MANAGER, comment=message)


def complete(order, *, comment: str = "") -> str:
    return fire(order, wf.COMPLETE, source=wf.SOURCE_MANAGER, comment=comment)


def refund(order, *, source: str, comment: str = "") -> str:
    return fire(order, wf.REFUND, source=source, comment=comment)
