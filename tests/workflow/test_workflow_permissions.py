"""The workflow as a table: in each state, who holds which permission.

O = the owner (the member who bought the order), M = another member,
S = Shop Manager, A = Site Administrator, X = Manager. Anonymous holds
nothing in any state; customers without an account reach their order only
through its secret link, never through normal security.
"""

from plone import api
from plone.app.testing import logout

import pytest


WHO = {"O": "alice", "M": "bob", "S": "staff", "A": "siteadmin", "X": "boss"}

PERMISSIONS = (
    "View",
    "Access contents information",
    "Modify portal content",
    "getpaid.orders: Cancel order",
    "getpaid.orders: Manage orders",
    "Delete objects",
)

# fmt: off
TABLE = {
    #                   View    Access  Modify  Cancel  Manage  Delete
    "created":        ("OSAX", "OSAX", "SAX",  "OSAX", "SAX",  "X"),
    "payment_failed": ("OSAX", "OSAX", "SAX",  "OSAX", "SAX",  "X"),
    "timeout":        ("OSAX", "OSAX", "SAX",  "OSAX", "SAX",  "X"),
    "canceled":       ("OSAX", "OSAX", "SAX",  "",     "SAX",  "X"),
    "paid":           ("OSAX", "OSAX", "SAX",  "",     "SAX",  "X"),
    "delivered":      ("OSAX", "OSAX", "SAX",  "",     "SAX",  "X"),
    "completed":      ("OSAX", "OSAX", "SAX",  "",     "SAX",  "X"),
    "expired":        ("OSAX", "OSAX", "SAX",  "",     "SAX",  "X"),
    "refunded":       ("OSAX", "OSAX", "SAX",  "",     "SAX",  "X"),
}
# fmt: on


def holders(order, permission):
    return "".join(
        code
        for code, user_id in WHO.items()
        if api.user.has_permission(permission, username=user_id, obj=order)
    )


@pytest.mark.parametrize("state", TABLE)
def test_permissions_in_state(make_order, state):
    order = make_order(state)
    found = {permission: holders(order, permission) for permission in PERMISSIONS}
    assert found == dict(zip(PERMISSIONS, TABLE[state], strict=True))


@pytest.mark.parametrize("state", TABLE)
def test_anonymous_gets_nothing(make_order, state):
    order = make_order(state)
    logout()
    assert [p for p in PERMISSIONS if api.user.has_permission(p, obj=order)] == []


def test_payments_are_the_shops_records(make_order):
    from getpaid.orders import api as shop

    order = make_order("created")
    payment = shop.record_payment(
        order,
        provider="paypal",
        txn_id="T1",
        status="Completed",
        amount="12.50",
        currency="EUR",
    )
    # The buyer sees the order, not its payment records (the raw notification).
    assert holders(payment, "View") == "SAX"
    assert holders(payment, "Access contents information") == "SAX"
    assert holders(payment, "Modify portal content") == "SAX"
