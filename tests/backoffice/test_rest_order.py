"""An order over plone.restapi: GET shows what makes it an order, PATCH
follows the editor's rules, the state moves through @workflow."""

from decimal import Decimal
from getpaid.orders import api as shop
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import json
import pytest
import requests
import transaction


STAFF = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)


@pytest.fixture
def order(shop_site, customer):
    api.user.create(email="g@example.org", username="grace", password="secret-pw-1234")
    setRoles(shop_site, "grace", ["Member"])
    order = shop.place_order([(shop_site["mug"], 2)], customer, buyer_id="grace")
    shop.record_payment(
        order,
        provider="paypal",
        txn_id="T1",
        status="Pending",
        amount="25.00",
        currency="EUR",
    )
    transaction.commit()
    return order


def call(method, url, auth=STAFF, **kwargs):
    return requests.request(
        method,
        url,
        auth=auth,
        headers={"Accept": "application/json"},
        timeout=30,
        **kwargs,
    )


def test_get_for_staff(order):
    data = call("GET", order.absolute_url()).json()
    assert data["total"] == "25.00" and data["currency"] == "EUR"
    (line,) = data["lines"]
    assert (line["title"], line["unit_price"], line["quantity"], line["total"]) == (
        "Mug",
        "12.50",
        2,
        "25.00",
    )
    assert data["review_state"] == "created"
    assert "cancel" in data["allowed_transitions"]
    assert [p["txn_id"] for p in data["payments"]] == ["T1"]
    assert data["history"][0]["action"] == "place"
    assert data["first_name"] == "Ada"


def test_get_for_the_buyer(order):
    data = call("GET", order.absolute_url(), auth=("grace", "secret-pw-1234")).json()
    assert data["total"] == "25.00"
    assert data["allowed_transitions"] == ["cancel"]
    assert not {"history", "payments", "attention"} & data.keys()  # staff's
    assert data["viewer"] == "buyer" and data["actions"]["pay"] is True


def test_patch_lines_and_message(shop_site, order):
    tee = shop_site["tee"].UID()
    response = call(
        "PATCH",
        order.absolute_url(),
        json={
            "lines": [
                {"product": shop_site["mug"].UID(), "quantity": 1},
                {"product": tee, "quantity": 2},
            ],
            "message": "Two tees it is",
        },
    )
    assert response.status_code == 204, response.text
    transaction.begin()
    assert order.total == Decimal("62.50")
    assert order.message == "Two tees it is"


@pytest.mark.parametrize(
    "body, words",
    [
        ({"lines": [{"product": "nope", "quantity": 1}]}, "no product"),
        ({"lines": [{"product": "MUG", "quantity": 0}]}, "at least 1"),
        ({"number": "X"}, "Not editable"),
        ({"review_state": "paid"}, "Not editable"),
    ],
)
def test_patch_refusals(shop_site, order, body, words):
    for line in body.get("lines", []):
        if line["product"] == "MUG":
            line["product"] = shop_site["mug"].UID()
    response = call("PATCH", order.absolute_url(), json=body)
    assert response.status_code == 400
    assert words in response.text
    transaction.begin()
    assert order.total == Decimal("25.00")


def patch(order, body: bytes):
    return requests.patch(
        order.absolute_url(),
        data=body,
        auth=STAFF,
        headers={"Accept": "application/json", "Content-Type": "application/json"},
        timeout=30,
    )


def snapshot(order) -> tuple:
    transaction.begin()
    return (
        order.total,
        order.first_name,
        order.email,
        order.comment,
        order.message,
        len(order.history),
    )


@pytest.mark.parametrize(
    "body",
    [
        {"lines": [1]},  # a line that isn't an object
        {"lines": ["MUG"]},
        {"email": "x"},  # the checkout's rule for an e-mail address
        {"first_name": "A\ud800"},  # no UTF-8: state mails would fail on it
        {"last_name": "\u202eecalevoL", "message": "Shipped"},
        {"billing_street": "1 Road\u2066"},
        {"comment": "x" * 5001},
        {"message": "Shipped\x00"},
        ["message"],
        None,
    ],
    ids=repr,
)
def test_odd_patch_is_refused_and_changes_nothing(order, body):
    before = snapshot(order)
    response = patch(order, json.dumps(body).encode())
    assert response.status_code == 400, response.text[:500]
    assert "Traceback" not in response.text
    assert snapshot(order) == before


def test_deeply_nested_patch_is_refused(order):
    before = snapshot(order)
    response = patch(order, b'{"message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    assert response.status_code == 400, response.text[:500]
    assert "nested too deeply" in response.json()["error"]["message"]
    assert snapshot(order) == before


def test_paid_order_refuses_line_patch(shop_site, order):
    shop.mark_paid(order)
    transaction.commit()
    response = call(
        "PATCH",
        order.absolute_url(),
        json={"lines": [{"product": shop_site["mug"].UID(), "quantity": 5}]},
    )
    assert response.status_code == 400
    assert "unpaid" in response.text


def test_buyer_cannot_patch(order):
    response = call(
        "PATCH",
        order.absolute_url(),
        auth=("grace", "secret-pw-1234"),
        json={"message": "mine now"},
    )
    assert response.status_code == 401


def test_state_through_workflow(order):
    response = call(
        "POST",
        order.absolute_url() + "/@workflow/cancel",
        json={"comment": "Asked by phone"},
    )
    assert response.status_code == 200, response.text
    transaction.begin()
    assert api.content.get_state(order) == "canceled"
    assert order.history[-1].comment == "Asked by phone"
    refused = call("POST", order.absolute_url() + "/@workflow/deliver")
    assert refused.status_code == 400
