"""What each viewer of an order sees and may do, state by state: decided by
api/access.py from the workflow, rendered by pages, REST and mails."""

from getpaid.orders.api.access import access
from getpaid.orders.api.access import BUYER
from getpaid.orders.api.access import OWNER_LINK
from getpaid.orders.api.access import SHARE_LINK
from getpaid.orders.api.access import STAFF
from getpaid.orders.api.access import viewer_of
from getpaid.orders.api.links import OWNER
from getpaid.orders.api.links import STATUS
from getpaid.orders.content.links import SecretLink
from plone import api

import pytest


# state -> viewer -> (may pay, may cancel, fulfilment steps)
TABLE = {
    "created": {
        STAFF: (False, True, ()),
        BUYER: (True, True, ()),
        OWNER_LINK: (True, True, ()),
        SHARE_LINK: (False, False, ()),
    },
    "payment_failed": {
        STAFF: (False, True, ()),
        BUYER: (True, True, ()),
        OWNER_LINK: (True, True, ()),
        SHARE_LINK: (False, False, ()),
    },
    # Too late to pay on the page; the workflow still lets the owner cancel.
    "timeout": {
        STAFF: (False, True, ()),
        BUYER: (False, True, ()),
        OWNER_LINK: (False, True, ()),
        SHARE_LINK: (False, False, ()),
    },
    "canceled": {
        STAFF: (False, False, ()),
        BUYER: (False, False, ()),
        OWNER_LINK: (False, False, ()),
        SHARE_LINK: (False, False, ()),
    },
    "paid": {
        STAFF: (False, False, ("deliver", "complete")),
        BUYER: (False, False, ()),
        OWNER_LINK: (False, False, ()),
        SHARE_LINK: (False, False, ()),
    },
    "delivered": {
        STAFF: (False, False, ("complete",)),
        BUYER: (False, False, ()),
        OWNER_LINK: (False, False, ()),
        SHARE_LINK: (False, False, ()),
    },
    "completed": {
        STAFF: (False, False, ()),
        BUYER: (False, False, ()),
        OWNER_LINK: (False, False, ()),
        SHARE_LINK: (False, False, ()),
    },
}
LOGIN = {STAFF: "staff", BUYER: "alice", OWNER_LINK: None, SHARE_LINK: None}


@pytest.mark.parametrize("state", sorted(TABLE))
@pytest.mark.parametrize("viewer", [STAFF, BUYER, OWNER_LINK, SHARE_LINK])
def test_what_a_viewer_may_do(make_order, state, viewer):
    order = make_order(state)
    user = LOGIN[viewer]
    with api.env.adopt_user(username=user) if user else anonymous():
        seen = access(order, viewer)
    assert (seen.may_pay, seen.may_cancel, seen.fulfilment) == TABLE[state][viewer]


@pytest.mark.parametrize(
    "viewer, private, internal, shares, manages",
    [
        (STAFF, True, True, False, True),
        (BUYER, True, False, True, False),
        (OWNER_LINK, True, False, True, False),
        (SHARE_LINK, False, False, False, False),
    ],
)
def test_what_a_viewer_sees(make_order, viewer, private, internal, shares, manages):
    seen = access(make_order(), viewer)
    assert (seen.private, seen.internal, seen.may_share, seen.may_manage) == (
        private,
        internal,
        shares,
        manages,
    )


def test_a_pending_payment_is_not_offered_again(make_order):
    order = make_order()
    order.payment_pending = "echeck"
    assert access(order, OWNER_LINK).may_pay is False
    assert access(order, OWNER_LINK).may_cancel is True  # the workflow's word


@pytest.mark.parametrize(
    "user, link, expected",
    [
        ("staff", None, STAFF),
        ("alice", None, BUYER),
        ("bob", None, None),
        (None, OWNER, OWNER_LINK),
        (None, STATUS, SHARE_LINK),
    ],
)
def test_who_is_looking(make_order, user, link, expected):
    order = make_order()
    opened = SecretLink(kind=link, digest="x", created=None) if link else None
    with api.env.adopt_user(username=user) if user else anonymous():
        assert viewer_of(order, opened) == expected


def test_staff_who_bought_the_order_may_pay_it(make_order):
    order = make_order()
    order.buyer_id = "staff"
    with api.env.adopt_user(username="staff"):
        seen = access(order, viewer_of(order))
    assert (seen.viewer, seen.may_pay, seen.internal) == (STAFF, True, True)


def test_an_unknown_viewer_is_refused(make_order):
    with pytest.raises(ValueError):
        access(make_order(), "passer-by")


def anonymous():
    from AccessControl.SecurityManagement import getSecurityManager
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.SecurityManagement import setSecurityManager
    from contextlib import contextmanager

    @contextmanager
    def as_nobody():
        before = getSecurityManager()
        newSecurityManager(None, None)
        try:
            yield
        finally:
            setSecurityManager(before)

    return as_nobody()
