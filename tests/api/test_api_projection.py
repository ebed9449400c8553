"""One JSON-compatible picture of an order per viewer (api/projection.py)."""

from getpaid.orders import api as shop
from getpaid.orders.api.access import access
from getpaid.orders.api.access import OWNER_LINK
from getpaid.orders.api.access import SHARE_LINK
from getpaid.orders.api.access import STAFF
from getpaid.orders.api.projection import order_data

import json
import pytest


BASE = "https://shop.example.org/@@order-status/TOKEN"
PRIVATE = {"currency", "total", "start", "end", "customer"}
INTERNAL = {"buyer_id", "attention", "payments", "history"}


@pytest.fixture
def order(make_product, customer):
    order = shop.place_order(
        [(make_product("mug", "12.50", sku="MUG-1"), 2)],
        customer,
        comment="Gift wrap, please.",
    )
    order.attention = "PayPal T1: paid twice: refund one"
    shop.record_payment(
        order,
        provider="paypal",
        txn_id="T1",
        status="Completed",
        amount="25.00",
        currency="EUR",
    )
    return order


def seen_by(order, viewer):
    return order_data(order, access(order, viewer), base_url=BASE)


def test_the_owner_sees_what_was_bought_and_by_whom(order):
    data = seen_by(order, OWNER_LINK)
    assert data.keys() >= PRIVATE and not INTERNAL & data.keys()
    assert (data["state"], data["total"], data["currency"]) == (
        "created",
        "25.00",
        "EUR",
    )
    (line,) = data["lines"]
    assert (line["display_name"], line["sku"], line["unit_price"], line["total"]) == (
        "Mug",
        "MUG-1",
        "12.50",
        "25.00",
    )
    customer = data["customer"]
    assert (customer["first_name"], customer["last_name"]) == ("Ada", "Lovelace")
    assert customer["billing_address"]["country"] == "GB"
    assert customer["shipping_address"] is None
    assert customer["comment"] == "Gift wrap, please."
    assert data["actions"] == {
        "pay": True,
        "cancel": True,
        "share": True,
        "manage": False,
        "fulfil": [],
    }


def test_a_share_link_sees_progress_only(order):
    data = seen_by(order, SHARE_LINK)
    assert not (PRIVATE | INTERNAL) & data.keys()
    (line,) = data["lines"]
    assert set(line) == {"display_name", "detail", "image", "quantity"}
    assert not any(data["actions"][name] for name in ("pay", "cancel", "share"))
    assert "Lovelace" not in json.dumps(data) and "25.00" not in json.dumps(data)


def test_staff_see_payments_history_and_the_attention_note(order):
    data = seen_by(order, STAFF)
    assert data.keys() >= (PRIVATE | INTERNAL)
    assert data["attention"] == "PayPal T1: paid twice: refund one"
    (payment,) = data["payments"]
    assert (payment["txn_id"], payment["amount"]) == ("T1", "25.00")
    assert [entry["action"] for entry in data["history"]][:1] == ["place"]
    assert data["actions"]["manage"] is True and data["actions"]["pay"] is False


def test_it_is_plain_json(order):
    for viewer in (STAFF, OWNER_LINK, SHARE_LINK):
        data = seen_by(order, viewer)
        assert json.loads(json.dumps(data)) == data
