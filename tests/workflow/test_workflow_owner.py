"""What the buying member may not do to their own order, whatever Plone's
site-wide Owner permissions say. Found by a review: the workflow used to
leave the Owner 'Manage properties', so a customer could retitle their order
(manage_changeProperties, setTitle) with no history entry."""

from AccessControl import Unauthorized
from AccessControl.ZopeGuards import guarded_getattr
from plone import api
from plone.app.testing import login

import pytest


@pytest.mark.parametrize("state", ["created", "paid", "delivered"])
@pytest.mark.parametrize(
    "permission",
    [
        "Manage properties",
        "Change local roles",
        "Modify view template",
        "Add portal content",
        "Modify portal content",
        "Delete objects",
    ],
)
def test_owner_lacks(portal, make_order, state, permission):
    order = make_order(state)
    login(portal, "alice")
    assert api.user.has_permission("View", obj=order)  # it is hers to see
    assert not api.user.has_permission(permission, obj=order)


@pytest.mark.parametrize("method", ["manage_changeProperties", "setTitle"])
def test_owner_cannot_retitle(portal, make_order, method):
    order = make_order("created")
    login(portal, "alice")
    with pytest.raises(Unauthorized):
        guarded_getattr(order, method)


def test_staff_keep_them(portal, make_order):
    order = make_order("created")
    login(portal, "staff")
    for permission in ("Manage properties", "Modify portal content"):
        assert api.user.has_permission(permission, obj=order)


def test_buyer_cancelling_through_plone_is_the_customer(portal, make_order):
    """Found by a review: the state menu, @workflow and plone.api recorded a
    buyer's own cancelation as the manager's."""
    order = make_order("created")
    login(portal, "alice")
    api.content.transition(order, transition="cancel", comment="Changed my mind")
    entry = order.history[-1]
    assert (entry.action, entry.actor, entry.source) == ("cancel", "alice", "customer")


def test_staff_through_plone_is_the_manager(portal, make_order):
    order = make_order("created")
    login(portal, "staff")
    api.content.transition(order, transition="cancel")
    assert order.history[-1].source == "manager"
