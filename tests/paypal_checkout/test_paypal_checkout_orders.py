"""Orders v2 over real HTTP: create, the payer's page, capture, and what
PayPal refuses."""

from decimal import Decimal
from getpaid.orders.payments.paypal_checkout.client import request_id
from getpaid.orders.payments.paypal_checkout.errors import PayPalError

import checkout_helpers as shop
import pytest
import requests


def test_create_approve_capture(paypal, client):
    body = shop.order_body(lines=(("Book", "10.00", 3),), invoice_id="ORD-1")
    order = shop.create(client, body)
    assert order["status"] == "PAYER_ACTION_REQUIRED"
    assert order["purchase_units"][0]["amount"]["value"] == "30.00"

    back = shop.came_back(shop.choose(shop.link(order, "payer-action"), "approve"))
    assert back["token"] == order["id"] and back["PayerID"]
    assert back["attempt"] == "1"  # the return URL's own query is kept
    assert client.get_order(order["id"])["status"] == "APPROVED"

    captured = client.capture_order(
        order["id"], request_id=request_id("capture", order["id"])
    )
    assert captured["status"] == "COMPLETED"
    (capture,) = captured["purchase_units"][0]["payments"]["captures"]
    assert capture["status"] == "COMPLETED"
    assert capture["amount"] == {"currency_code": "EUR", "value": "30.00"}
    assert capture["invoice_id"] == "ORD-1"
    assert capture["custom_id"] == body["purchase_units"][0]["custom_id"]
    assert capture["final_capture"] is True
    money = {
        key: Decimal(value["value"])
        for key, value in capture["seller_receivable_breakdown"].items()
    }
    assert money["gross_amount"] == Decimal("30.00")
    assert money["net_amount"] == money["gross_amount"] - money["paypal_fee"]
    assert shop.link(capture, "up") == shop.link(order, "self")
    assert client.get_capture(capture["id"])["status"] == "COMPLETED"


def test_declined_then_approved_again(paypal, client):
    order = shop.approved(client, "decline")
    with pytest.raises(PayPalError) as declined:
        shop.capture(client, order)
    assert (declined.value.status, declined.value.issue) == (422, "INSTRUMENT_DECLINED")
    again = declined.value.link("redirect")
    assert again == shop.link(order, "payer-action")
    assert paypal.captures == {}

    shop.came_back(shop.choose(again, "approve"))
    assert shop.capture(client, order)["status"] == "COMPLETED"


def test_pending_capture_is_not_paid(paypal, client):
    order = shop.approved(client, "pending")
    capture = shop.capture(client, order)
    assert capture["status"] == "PENDING"
    assert capture["status_details"]["reason"] == "PENDING_REVIEW"
    assert "seller_receivable_breakdown" not in capture
    assert client.get_order(order["id"])["status"] == "COMPLETED"


def test_capture_before_approval(paypal, client):
    order = shop.create(client)
    with pytest.raises(PayPalError) as refused:
        shop.capture(client, order)
    assert refused.value.issue == "ORDER_NOT_APPROVED"
    assert refused.value.name == "UNPROCESSABLE_ENTITY" and refused.value.debug_id


def test_captured_twice(paypal, client):
    order = shop.approved(client)
    shop.capture(client, order)
    with pytest.raises(PayPalError) as refused:
        client.capture_order(order["id"], request_id=request_id("capture", "other"))
    assert refused.value.issue == "ORDER_ALREADY_CAPTURED"
    assert len(paypal.captures) == 1


def test_create_replayed_gives_the_same_order(paypal, client):
    body = shop.order_body()
    key = request_id("create", "attempt-1")
    first = client.create_order(body, request_id=key)
    again = client.create_order(body, request_id=key)
    assert again["id"] == first["id"]
    assert len(paypal.orders) == 1
    other = client.create_order(body, request_id=request_id("create", "attempt-2"))
    assert other["id"] != first["id"]


def test_capture_replayed_gives_the_same_capture(paypal, client):
    order = shop.approved(client)
    first = shop.capture(client, order)
    again = shop.capture(client, order)  # the same request id
    assert again["id"] == first["id"]
    assert len(paypal.captures) == 1


@pytest.mark.parametrize(
    "where, change, issue",
    [
        ("amount/breakdown/item_total", {"value": "29.00"}, "ITEM_TOTAL_MISMATCH"),
        ("amount", {"value": "31.00"}, "AMOUNT_MISMATCH"),
        ("amount", {"value": "30.001"}, "DECIMAL_PRECISION"),
        ("amount", {"currency_code": "ISK"}, "CURRENCY_NOT_SUPPORTED"),
        ("items/0/unit_amount", {"currency_code": "USD"}, "MULTI_CURRENCY_ORDER"),
    ],
)
def test_paypal_refuses_an_order(paypal, client, where, change, issue):
    body = shop.order_body()
    target = body["purchase_units"][0]
    for step in where.split("/"):
        target = target[int(step) if step.isdigit() else step]
    target.update(change)
    with pytest.raises(PayPalError) as refused:
        shop.create(client, body)
    assert (refused.value.status, refused.value.issue) == (422, issue)
    assert paypal.orders == {}


def test_no_decimals_in_yen(paypal, client):
    body = shop.order_body("JPY", lines=(("Tea", "1000", 1),))
    assert shop.create(client, body)["purchase_units"][0]["amount"]["value"] == "1000"
    for money in (
        body["purchase_units"][0]["amount"],
        body["purchase_units"][0]["amount"]["breakdown"]["item_total"],
        body["purchase_units"][0]["items"][0]["unit_amount"],
    ):
        money["value"] = "1000.00"
    with pytest.raises(PayPalError) as refused:
        shop.create(client, body)
    assert refused.value.issue == "DECIMAL_PRECISION"


def test_cancel_goes_back_to_cancel_url(paypal, client):
    order = shop.create(client)
    answer = shop.choose(shop.link(order, "payer-action"), "cancel")
    assert answer.headers["Location"] == f"{shop.CANCEL_URL}?token={order['id']}"
    assert client.get_order(order["id"])["status"] == "PAYER_ACTION_REQUIRED"


def test_approved_but_never_back(paypal, client):
    order = shop.create(client)
    answer = shop.choose(shop.link(order, "payer-action"), "abandon")
    assert answer.status_code == 200 and "Location" not in answer.headers
    assert client.get_order(order["id"])["status"] == "APPROVED"
    assert shop.capture(client, order)["status"] == "COMPLETED"


def test_the_page_after_approval(paypal, client):
    order = shop.approved(client)
    page = requests.get(shop.link(order, "payer-action"), timeout=10)
    assert page.status_code == 409 and "APPROVED" in page.text
    again = requests.post(
        f"{paypal.base}/checkoutnow/{order['id']}/pending", timeout=10
    )
    assert again.status_code == 409
    assert shop.capture(client, order)["status"] == "COMPLETED"  # not PENDING


def test_unknown_and_expired_orders(paypal, client):
    order = shop.create(client)
    paypal.expire_order(order["id"])
    for order_id in (order["id"], "../v1/oauth2/token"):
        with pytest.raises(PayPalError) as missing:
            client.get_order(order_id)
        assert (missing.value.status, missing.value.name) == (404, "RESOURCE_NOT_FOUND")
        assert missing.value.issue == "INVALID_RESOURCE_ID"


def test_without_experience_context(paypal, client):
    body = shop.order_body()
    del body["payment_source"]
    body["application_context"] = {"return_url": shop.RETURN_URL}
    order = shop.create(client, body)
    assert order["status"] == "CREATED"
    shop.came_back(shop.choose(shop.link(order, "approve"), "approve"))
    assert shop.capture(client, order)["status"] == "COMPLETED"
