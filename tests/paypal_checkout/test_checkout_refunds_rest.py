"""``POST <order>/@refund`` over real HTTP, and refunded / remaining in
``GET <order>`` and ``@order-status``."""

from getpaid.orders.api.links import STATUS
from plone import api

import pytest
import requests
import transaction


# The shop on the simulator, and paid orders (a plain module, not a conftest).
pytest_plugins = ["refund_fixtures"]


def refund_records(order) -> list:
    transaction.begin()
    return [record for record in order.payments() if record.amount < 0]


def error(answer, status: int) -> str:
    assert answer.status_code == status, answer.text
    return answer.json()["error"]["message"]


def test_a_partial_refund(paid_placed, staff_http, checkout_shop):
    placed, capture = paid_placed
    order = placed.order
    before = staff_http.rest_order(order)
    assert (before["paid"], before["refunded"], before["remaining"]) == (
        "25.00",
        "0.00",
        "25.00",
    )
    assert before["refund"] == {
        "possible": True,
        "most": "25.00",
        "whole_only": False,
        "provider": "paypal_checkout",
        "txn_id": capture["id"],
        "refunds_seen": 0,
        "why_not": "",
    }
    answer = staff_http.rest_refund(order, {"amount": "10.00", "note": "Sorry."})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert (data["state"], data["refunded"], data["remaining"]) == (
        "paid",
        "10.00",
        "15.00",
    )
    assert data["refund"]["most"] == "15.00"
    assert data["refund"]["refunds_seen"] == 1
    (sent,) = checkout_shop.refunds.values()
    assert [p["txn_id"] for p in data["payments"] if p["kind"] == "refund"] == [sent.id]
    assert staff_http.rest_order(order)["remaining"] == "15.00"
    # The customer sees how much was refunded (not what staff may do).
    mine = requests.get(
        f"{api.portal.get().absolute_url()}/@order-status/{placed.owner_token}",
        headers={"Accept": "application/json"},
        timeout=30,
    ).json()
    assert (mine["refunded"], mine["remaining"]) == ("10.00", "15.00")
    assert "refund" not in mine and "payments" not in mine


def test_a_share_link_sees_no_amounts(paid_order, staff_http):
    from getpaid.orders import api as shop

    order, _capture = paid_order
    token = shop.create_link(order, STATUS)
    transaction.commit()
    shared = requests.get(
        f"{api.portal.get().absolute_url()}/@order-status/{token}",
        headers={"Accept": "application/json"},
        timeout=30,
    ).json()
    assert not {"paid", "refunded", "remaining", "refund"} & set(shared)


def test_a_full_refund_refunds_the_order(paid_order, staff_http, checkout_shop):
    order, _capture = paid_order
    answer = staff_http.rest_refund(order, {"amount": "25.00"})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert (data["state"], data["refunded"], data["remaining"]) == (
        "refunded",
        "25.00",
        "0.00",
    )
    assert data["refund"]["possible"] is False
    assert data["refund"]["why_not"] == "Nothing remains to be refunded."
    assert error(staff_http.rest_refund(order, {"amount": "1.00"}), 409) == (
        "Nothing remains to be refunded."
    )
    assert len(checkout_shop.refunds) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"amount": "abc"},
        {"amount": "0"},
        {"amount": "-5.00"},
        {"amount": "1.001"},
        {"amount": 5.0},
        {"amount": None},
        {},
        {"amount": "5.00", "note": "x" * 256},
        {"amount": "5.00", "note": ["x"]},
        {"amount": "5.00", "refunds_seen": "0"},
        ["5.00"],
    ],
)
def test_bad_requests_are_400(paid_order, staff_http, checkout_shop, body):
    order, _capture = paid_order
    assert error(staff_http.rest_refund(order, body), 400)
    assert checkout_shop.refunds == {}
    assert refund_records(order) == []


def test_more_than_remains_is_409(paid_order, staff_http, checkout_shop):
    order, _capture = paid_order
    message = error(staff_http.rest_refund(order, {"amount": "25.01"}), 409)
    assert message == "At most €25.00 remains to be refunded."
    assert checkout_shop.refunds == {}


def test_refunds_seen_makes_a_resent_request_refund_once(
    paid_order, staff_http, checkout_shop
):
    order, _capture = paid_order
    body = {"amount": "5.00", "refunds_seen": 0}
    assert staff_http.rest_refund(order, body).status_code == 200
    message = error(staff_http.rest_refund(order, body), 409)
    assert "nothing more was refunded" in message
    assert len(checkout_shop.refunds) == 1
    # Without refunds_seen, a second request is a second refund.
    assert staff_http.rest_refund(order, {"amount": "5.00"}).status_code == 200
    assert len(checkout_shop.refunds) == 2
    assert len(refund_records(order)) == 2


def test_paypal_unavailable_is_503_and_a_retry_refunds_once(
    paid_order, staff_http, checkout_shop
):
    order, _capture = paid_order
    checkout_shop.fail_next("refund_capture", "500")
    body = {"amount": "5.00", "refunds_seen": 0}
    assert "PayPal did not answer" in error(staff_http.rest_refund(order, body), 503)
    assert refund_records(order) == []
    assert staff_http.rest_refund(order, body).status_code == 200
    assert len(checkout_shop.refunds) == 1
    assert len(refund_records(order)) == 1


def test_paypal_refusing_is_409(paid_order, staff_http, checkout_shop, paypal_client):
    order, capture = paid_order
    paypal_client.refund_capture(capture["id"], request_id="in-the-dashboard")
    message = error(staff_http.rest_refund(order, {"amount": "5.00"}), 409)
    assert "refunded in full already" in message
    assert refund_records(order) == []


def test_standard_is_409_with_where_to_refund(standard_paid_order, staff_http):
    answer = staff_http.rest_refund(standard_paid_order, {"amount": "5.00"})
    assert error(answer, 409).startswith("Refund this payment in your PayPal account")
    assert staff_http.rest_order(standard_paid_order)["refund"]["possible"] is False


@pytest.fixture
def member(shop_site):
    with api.env.adopt_roles(["Manager"]):
        api.user.create(
            email="ada@example.org", username="ada", password="secret-ada-123"
        )
    transaction.commit()
    return ("ada", "secret-ada-123")


def test_anonymous_and_members_may_not(paid_order, member, checkout_shop):
    order, _capture = paid_order
    url = f"{order.absolute_url()}/@refund"
    headers = {"Accept": "application/json"}
    anonymous = requests.post(url, json={"amount": "5.00"}, headers=headers, timeout=30)
    assert anonymous.status_code == 401
    as_member = requests.post(
        url, json={"amount": "5.00"}, headers=headers, auth=member, timeout=30
    )
    assert as_member.status_code in (401, 403)
    assert checkout_shop.refunds == {}
    assert refund_records(order) == []
