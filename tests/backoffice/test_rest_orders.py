"""GET @orders: the listing over plone.restapi, with Plone's security."""

from getpaid.orders import api as shop
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import requests
import transaction


@pytest.fixture
def orders(shop_site, customer):
    api.user.create(email="g@example.org", username="grace", password="secret-pw-1234")
    setRoles(shop_site, "grace", ["Member"])
    made = [
        shop.place_order([(shop_site["mug"], n)], customer, buyer_id=buyer)
        for n, buyer in ((1, "grace"), (2, None), (3, None))
    ]
    shop.mark_paid(made[2])
    transaction.commit()
    return made


def get(shop_site, auth=None, **params):
    return requests.get(
        f"{shop_site.absolute_url()}/@orders",
        params=params,
        headers={"Accept": "application/json"},
        auth=auth,
        timeout=30,
    )


STAFF = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)


def test_staff_get_every_order(shop_site, orders):
    data = get(shop_site, STAFF).json()
    assert data["items_total"] == 3
    item = {i["order_number"]: i for i in data["items"]}[orders[2].number]
    assert (item["total"], item["currency"], item["state"]) == (
        "37.50",
        "EUR",
        "paid",
    )
    assert item["products"] == [{"title": "Mug", "UID": shop_site["mug"].UID()}]
    assert item["customer"]["last_name"] == orders[2].last_name


def test_filter_sort_and_batch(shop_site, orders):
    paid = get(shop_site, STAFF, review_state="paid").json()
    assert [i["order_number"] for i in paid["items"]] == [orders[2].number]
    by_total = get(shop_site, STAFF, sort_on="total", sort_order="ascending").json()
    assert [i["total"] for i in by_total["items"]] == ["12.50", "25.00", "37.50"]
    page = get(shop_site, STAFF, b_size=2, sort_on="total").json()
    assert len(page["items"]) == 2 and page["items_total"] == 3
    assert "next" in page["batching"]


def test_members_get_their_own(shop_site, orders):
    data = get(shop_site, ("grace", "secret-pw-1234")).json()
    assert [i["order_number"] for i in data["items"]] == [orders[0].number]


def test_anonymous_gets_none(shop_site, orders):
    assert get(shop_site).json()["items_total"] == 0


def test_only_orders_that_need_attention(shop_site, orders):
    orders[2].attention = "PayPal 8MC58: paid after it was canceled: refund it"
    orders[2].reindexObject()
    transaction.commit()
    flagged = get(shop_site, STAFF, needs_attention="1").json()
    assert [(i["order_number"], i["attention"]) for i in flagged["items"]] == [
        (orders[2].number, orders[2].attention)
    ]
    every = get(shop_site, STAFF).json()
    assert [i["attention"] for i in every["items"]].count(None) == 2


def test_members_never_learn_what_needs_the_shops_attention(shop_site, orders):
    orders[0].attention = "PayPal 8MC58: amount 1.00, not 12.50"  # grace's order
    orders[0].reindexObject()
    transaction.commit()
    for params in ({}, {"needs_attention": "1"}):
        data = get(shop_site, ("grace", "secret-pw-1234"), **params).json()
        assert [i["order_number"] for i in data["items"]] == [orders[0].number]
        assert "attention" not in data["items"][0]


@pytest.mark.parametrize(
    "query", ["metadata_fields=attention", "metadata_fields=_all", "fullobjects=1"]
)
def test_a_member_reads_no_note_of_the_shop_through_search(shop_site, orders, query):
    note = "PayPal 8MC58: paid after it was canceled: refund it"
    orders[0].attention = note  # grace's own order
    orders[0].reindexObject()
    transaction.commit()
    response = requests.get(
        f"{shop_site.absolute_url()}/@search?portal_type=Order&{query}",
        headers={"Accept": "application/json"},
        auth=("grace", "secret-pw-1234"),
        timeout=30,
    )
    assert response.status_code == 200
    assert [item["@id"] for item in response.json()["items"]] == [
        orders[0].absolute_url()
    ]
    assert "8MC58" not in response.text
    staff = get(shop_site, STAFF, needs_attention="1").json()
    assert [item["attention"] for item in staff["items"]] == [note]
