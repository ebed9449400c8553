"""People and orders in every state, for the workflow tests."""

from getpaid.orders import api as shop
from getpaid.orders.workflow import SOURCE_MANAGER
from getpaid.orders.workflow import SOURCE_PROVIDER
from plone import api
from plone.app.testing import setRoles

import pytest


# user id -> site-wide roles. "alice" buys the order and so is its Owner.
PEOPLE = {
    "alice": ["Member"],
    "bob": ["Member"],
    "staff": ["Member", "Shop Manager"],
    "siteadmin": ["Member", "Site Administrator"],
    "boss": ["Member", "Manager"],
}

# How to bring a fresh (created) order into each state.
PATHS = {
    "created": (),
    "paid": (shop.mark_paid,),
    "payment_failed": (shop.fail_payment,),
    "canceled": (lambda order: shop.cancel_order(order, source=SOURCE_MANAGER),),
    "timeout": (shop.time_out,),
    "delivered": (shop.mark_paid, shop.deliver),
    "completed": (shop.mark_paid, shop.complete),
    "expired": (shop.mark_paid, shop.expire),
    "refunded": (
        shop.mark_paid,
        lambda order: shop.refund(order, source=SOURCE_PROVIDER),
    ),
}


@pytest.fixture
def people(portal):
    for user_id, roles in PEOPLE.items():
        api.user.create(email=f"{user_id}@example.org", username=user_id)
        setRoles(portal, user_id, roles)
    return PEOPLE


@pytest.fixture
def make_order(make_product, customer, people):
    """make_order("paid"): alice's order, brought there as a Manager."""
    mug = make_product("mug", "12.50")

    def make(state="created"):
        order = shop.place_order([(mug, 1)], customer, buyer_id="alice")
        for step in PATHS[state]:
            step(order)
        assert api.content.get_state(order) == state
        return order

    return make
