"""Shop staff deliver and complete orders, telling the customer how."""

from getpaid.orders import api as shop
from getpaid.orders.api.links import STATUS
from plone import api
from plone.testing.zope import Browser
from urllib.error import HTTPError

import pytest
import transaction


def test_deliver_with_a_tracking_number(shop_site, customer, staff, functional_app):
    order = shop.checkout([(shop_site["mug"], 1)], customer).order
    share = shop.create_link(order, STATUS)
    shop.mark_paid(order)
    transaction.commit()

    staff.open(order.absolute_url())
    staff.getControl(name="message").value = "Parcel 1Z999AA10123456784"
    staff.getControl("Mark delivered").click()
    transaction.begin()
    assert api.content.get_state(order) == "delivered"
    assert order.message == "Parcel 1Z999AA10123456784"
    entry = order.history[-1]
    assert (entry.action, entry.source, entry.comment) == (
        "deliver",
        "manager",
        "Parcel 1Z999AA10123456784",
    )
    gift = Browser(functional_app)
    gift.open(f"{shop_site.absolute_url()}/@@order-status/{share}")
    assert "Parcel 1Z999AA10123456784" in gift.contents
    assert "Delivered" in gift.contents

    staff.open(order.absolute_url())
    assert "Mark delivered" not in staff.contents
    staff.getControl("Mark completed").click()
    assert state_now(order) == "completed"


def test_unpaid_orders_offer_no_fulfilment(shop_site, customer, staff):
    order = shop.checkout([(shop_site["mug"], 1)], customer).order
    transaction.commit()
    staff.open(order.absolute_url())
    assert "Mark delivered" not in staff.contents
    with pytest.raises(HTTPError) as forged:  # no valid CSRF token
        staff.post(order.absolute_url() + "/fulfil", "transition=deliver")
    assert forged.value.code == 403
    staff.open(order.absolute_url())
    token = staff.getControl(name="_authenticator", index=0).value
    staff.post(
        order.absolute_url() + "/fulfil",
        f"transition=deliver&message=too+early&_authenticator={token}",
    )
    assert "is created: that step" in staff.contents
    assert state_now(order) == "created"
    assert order.message is None


def state_now(order) -> str:
    transaction.begin()
    return api.content.get_state(order)
