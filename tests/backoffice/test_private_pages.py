"""Pages that show orders to staff or their buyer: never kept in a cache."""

from getpaid.orders import api as shop
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import requests
import transaction


STAFF = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
GRACE = ("grace", "secret-pw-1234")


@pytest.fixture
def order(shop_site, customer):
    api.user.create(email="g@example.org", username="grace", password=GRACE[1])
    setRoles(shop_site, "grace", ["Member"])
    order = shop.place_order([(shop_site["mug"], 1)], customer, buyer_id="grace")
    shop.record_payment(
        order,
        provider="paypal",
        txn_id="T1",
        status="Completed",
        amount="12.50",
        currency="EUR",
    )
    transaction.commit()
    return order


@pytest.mark.parametrize(
    "who, path",
    [
        (STAFF, "{order}"),
        (STAFF, "{order}/@@edit-order"),
        (STAFF, "{order}/{payment}"),
        (STAFF, "{site}/orders"),
        (STAFF, "{site}/orders/@@orders-csv"),
        (STAFF, "{site}/@orders"),
        (GRACE, "{order}"),
        (GRACE, "{site}/@@my-orders"),
    ],
    ids=lambda value: value if isinstance(value, str) else value[0],
)
def test_order_pages_are_not_stored(shop_site, order, who, path):
    (payment,) = order.payments()
    url = path.format(
        site=shop_site.absolute_url(),
        order=order.absolute_url(),
        payment=payment.getId(),
    )
    accept = "application/json" if "/@orders" in url else "text/html"
    response = requests.get(
        url, auth=who, headers={"Accept": accept}, allow_redirects=False, timeout=30
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
