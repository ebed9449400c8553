"""What an owner link's page does, over REST (``POST @order-status/<token>/...``),
and staff's *Mark as dealt with* (``POST <order>/@clear-attention``)."""

from getpaid.orders import api as shop
from getpaid.orders.api.attention import PAID_TWICE
from getpaid.orders.api.links import STATUS
from getpaid.orders.exceptions import OrderNotFound
from getpaid.orders.workflow import SOURCE_PROVIDER
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import requests
import transaction


JSON = {"Accept": "application/json"}


@pytest.fixture
def placed(shop_site, customer):
    placed = shop.checkout([(shop_site["mug"], 1)], customer)
    transaction.commit()
    return placed


def post(shop_site, token, action, **kwargs):
    return requests.post(
        f"{shop_site.absolute_url()}/@order-status/{token}/{action}",
        headers=JSON,
        timeout=30,
        **kwargs,
    )


def test_the_owner_link_cancels(shop_site, placed):
    answer = post(shop_site, placed.owner_token, "cancel")
    assert answer.status_code == 200, answer.text
    assert (answer.json()["state"], answer.json()["actions"]["cancel"]) == (
        "canceled",
        False,
    )
    assert answer.headers["Cache-Control"] == "private, no-store"
    transaction.begin()
    assert api.content.get_state(placed.order) == "canceled"
    assert placed.order.history[-1].source == "customer"


def test_what_the_workflow_refuses_is_a_conflict(shop_site, placed):
    with api.env.adopt_roles(["Manager"]):
        shop.mark_paid(placed.order)
    transaction.commit()
    answer = post(shop_site, placed.owner_token, "cancel")
    assert answer.status_code == 409
    assert answer.json()["error"]["type"] == "Conflict"
    transaction.begin()
    assert api.content.get_state(placed.order) == "paid"


def test_the_owner_link_shares_and_unshares(shop_site, placed):
    made = post(shop_site, placed.owner_token, "share", json={"label": "Grandma"})
    assert made.status_code == 201, made.text
    share = made.json()["share_link"].rsplit("/", 1)[-1]
    seen = requests.get(
        f"{shop_site.absolute_url()}/@order-status/{share}", headers=JSON, timeout=30
    ).json()
    assert seen["viewer"] == "share link" and "customer" not in seen

    owner = requests.get(
        f"{shop_site.absolute_url()}/@order-status/{placed.owner_token}",
        headers=JSON,
        timeout=30,
    ).json()
    ((link),) = owner["share_links"]
    assert link["label"] == "Grandma"
    gone = post(shop_site, placed.owner_token, f"unshare/{link['index']}")
    assert gone.status_code == 204
    transaction.begin()
    with pytest.raises(OrderNotFound):
        shop.find_by_token(share)


@pytest.mark.parametrize(
    "body, words",
    [
        ({"label": "x" * 101}, "at most"),
        ({"label": "\u202egift"}, "character"),
        (["Grandma"], "JSON object"),
    ],
)
def test_a_label_that_wont_do_is_refused(shop_site, placed, body, words):
    answer = post(shop_site, placed.owner_token, "share", json=body)
    assert answer.status_code == 400, answer.text[:3000]
    assert words in answer.json()["error"]["message"]
    transaction.begin()
    assert not [link for link in placed.order.secret_links if link.kind == STATUS]


def test_a_share_link_or_no_link_acts_on_nothing(shop_site, placed):
    share = shop.create_link(placed.order, STATUS)
    transaction.commit()
    for token in (share, "x" * 43):
        for action in ("cancel", "share", "unshare/0"):
            assert post(shop_site, token, action).status_code == 404
    transaction.begin()
    assert api.content.get_state(placed.order) == "created"


def clear(order, auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), **kwargs):
    return requests.post(
        f"{order.absolute_url()}/@clear-attention",
        headers=JSON,
        auth=auth,
        timeout=30,
        **kwargs,
    )


def test_staff_mark_a_problem_dealt_with(placed):
    with api.env.adopt_roles(["Manager"]):
        shop.raise_attention(
            placed.order,
            "PayPal T1: paid twice: refund one",
            source=SOURCE_PROVIDER,
            kind=PAID_TWICE,
            ref="T1",
        )
    transaction.commit()
    assert clear(placed.order, json={"comment": "Refunded T1"}).status_code == 204
    transaction.begin()
    assert placed.order.attention == ""
    entry = placed.order.history[-1]
    assert (entry.action, entry.comment) == ("attention cleared", "Refunded T1")
    assert clear(placed.order).status_code == 409  # nothing left to deal with


def test_a_body_that_is_no_object_is_refused(placed):
    with api.env.adopt_roles(["Manager"]):
        shop.raise_attention(
            placed.order, "a problem", source=SOURCE_PROVIDER, kind=PAID_TWICE
        )
    transaction.commit()
    answer = clear(placed.order, json=["Refunded"])
    assert answer.status_code == 400
    transaction.begin()
    assert placed.order.attention == "a problem"


def test_only_staff_deal_with_problems(placed):
    assert clear(placed.order, auth=None).status_code == 401
