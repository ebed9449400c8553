"""Who may fire which transition, and what each leaves in the history."""

from getpaid.orders import api as shop
from getpaid.orders.exceptions import TransitionNotAllowed
from getpaid.orders.workflow import SOURCE_CUSTOMER
from getpaid.orders.workflow import SOURCE_MANAGER
from getpaid.orders.workflow import SOURCE_PROVIDER
from getpaid.orders.workflow import SOURCE_SYSTEM
from plone import api
from plone.app.testing import login
from plone.app.testing import logout

import pytest


def allowed(order, source, as_user=None):
    if as_user:
        login(api.portal.get(), as_user)
    else:
        logout()
    return set(shop.allowed_transitions(order, source))


# fmt: off
@pytest.mark.parametrize(
    "state, source, user, expected",
    [
        # the payment system and the sweeper act with nobody logged in
        ("created", SOURCE_PROVIDER, None, {"pay", "fail_payment", "time_out"}),
        ("paid", SOURCE_SYSTEM, None, {"expire", "refund"}),
        ("timeout", SOURCE_PROVIDER, None, {"pay"}),
        ("canceled", SOURCE_PROVIDER, None, {"pay"}),
        # the customer: cancel their own order while it is unpaid, nothing else
        ("created", SOURCE_CUSTOMER, "alice", {"cancel"}),
        ("payment_failed", SOURCE_CUSTOMER, "alice", {"cancel"}),
        ("paid", SOURCE_CUSTOMER, "alice", set()),
        ("created", SOURCE_CUSTOMER, "bob", set()),
        ("created", SOURCE_CUSTOMER, None, set()),
        # shop staff
        ("created", SOURCE_MANAGER, "staff", {"pay", "cancel"}),
        ("paid", SOURCE_MANAGER, "staff", {"deliver", "complete", "refund"}),
        ("delivered", SOURCE_MANAGER, "siteadmin", {"complete", "refund"}),
        ("expired", SOURCE_MANAGER, "staff", {"refund"}),
        ("refunded", SOURCE_MANAGER, "boss", set()),
    ],
)
# fmt: on
def test_allowed_transitions(make_order, state, source, user, expected):
    order = make_order(state)
    assert allowed(order, source, user) == expected


def test_customer_cancels_own_unpaid_order(make_order):
    order = make_order("created")
    login(api.portal.get(), "alice")
    assert shop.cancel_order(order, source=SOURCE_CUSTOMER) == "canceled"


def test_customer_cannot_cancel_paid_order(make_order):
    order = make_order("paid")
    login(api.portal.get(), "alice")
    with pytest.raises(TransitionNotAllowed) as refused:
        shop.cancel_order(order, source=SOURCE_CUSTOMER)
    assert order.number in str(refused.value) and "paid" in str(refused.value)
    assert api.content.get_state(order) == "paid"


def test_member_cannot_deliver(make_order):
    order = make_order("paid")
    login(api.portal.get(), "bob")
    with pytest.raises(TransitionNotAllowed):
        shop.deliver(order)
    assert api.content.get_state(order) == "paid"


def test_manager_marks_bank_transfer_paid(make_order):
    order = make_order("created")
    login(api.portal.get(), "staff")
    shop.mark_paid(order, source=SOURCE_MANAGER, comment="Bank transfer 2026-11-20")
    entry = order.history[-1]
    assert (entry.actor, entry.source, entry.old, entry.new) == (
        "staff",
        SOURCE_MANAGER,
        "created",
        "paid",
    )


def test_not_possible_from_state(make_order):
    order = make_order("created")
    with pytest.raises(TransitionNotAllowed, match="deliver"):
        shop.deliver(order)


def test_unknown_source_refused(make_order):
    with pytest.raises(ValueError, match="Unknown source"):
        shop.fire(make_order(), "pay", source="hacker")


def test_history_of_a_life(make_order):
    order = make_order("created")
    logout()
    shop.mark_paid(order, comment="IPN txn 9XY")
    login(api.portal.get(), "staff")
    shop.deliver(order, comment="Sent by post")
    entries = [
        (e.action, e.source, e.actor, e.old, e.new, e.comment) for e in order.history
    ]
    assert entries[1:] == [
        ("pay", SOURCE_PROVIDER, "Anonymous User", "created", "paid", "IPN txn 9XY"),
        ("deliver", SOURCE_MANAGER, "staff", "paid", "delivered", "Sent by post"),
    ]
    assert entries[0][:2] == ("place", SOURCE_CUSTOMER)
    times = [entry.when for entry in order.history]
    assert times == sorted(times) and all(t.tzinfo for t in times)


def test_transition_outside_the_domain_layer_is_recorded(make_order):
    """The ZMI or plone.api fire transitions too; they count as staff."""
    order = make_order("paid")
    api.content.transition(order, transition="deliver", comment="from the ZMI")
    entry = order.history[-1]
    assert (entry.action, entry.source, entry.comment) == (
        "deliver",
        SOURCE_MANAGER,
        "from the ZMI",
    )
