"""getpaid_order_workflow: bound to orders only, with the agreed state ids."""

from getpaid.orders import workflow as wf

import pytest


STATES = {
    "created": "Created",
    "paid": "Paid",
    "payment_failed": "Payment failed",
    "canceled": "Canceled",
    "timeout": "Timeout",
    "delivered": "Delivered",
    "completed": "Completed",
    "expired": "Expired",
    "refunded": "Refunded",
}


@pytest.fixture
def workflow(portal):
    return portal.portal_workflow[wf.WORKFLOW_ID]


def test_states_and_titles(workflow):
    assert {state.id: state.title for state in workflow.states.values()} == STATES
    assert set(wf.STATES) == set(STATES)


def test_unpaid_states_are_those_that_can_time_out(workflow):
    can_time_out = {
        state.id
        for state in workflow.states.values()
        if wf.TIME_OUT in state.transitions
    }
    assert can_time_out == wf.UNPAID_STATES


def test_payable_states_are_those_a_payment_can_leave_but_canceled(workflow):
    """A payment for a canceled order is flagged, not taken (docs/paypal.rst)."""
    can_be_paid = {
        state.id for state in workflow.states.values() if wf.PAY in state.transitions
    }
    assert can_be_paid - {wf.CANCELED} == wf.PAYABLE_STATES


def test_initial_state(workflow):
    assert workflow.initial_state == "created"


def test_bound_to_orders_only(portal):
    tool = portal.portal_workflow
    bound = [
        type_id
        for type_id in portal.portal_types.objectIds()
        if wf.WORKFLOW_ID in tool.getChainForPortalType(type_id)
    ]
    assert bound == ["Order"]


def test_new_order_is_created(make_order):
    from plone import api

    assert api.content.get_state(make_order()) == "created"
