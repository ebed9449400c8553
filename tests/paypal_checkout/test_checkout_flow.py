"""Paying with PayPal Checkout over real HTTP: the order page, the
simulator's payer page, the return, the capture."""

from flow_fixtures import back_to_shop
from flow_fixtures import checkout_shop_fixture  # noqa: F401
from flow_fixtures import fresh
from flow_fixtures import on_paypal
from flow_fixtures import place
from flow_fixtures import press_pay
from flow_fixtures import token_of
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.api.payments import PAYMENT
from plone import api

import requests


def test_pay(checkout_shop, customer):
    order, status_url = place(checkout_shop.site, customer, ("mug", 2))
    browser = requests.Session()
    answer = press_pay(browser, status_url)
    assert answer.status_code == 302
    to_paypal = answer.headers["Location"]
    assert to_paypal.startswith(checkout_shop.base + "/checkoutnow?token=")
    paypal_id = token_of(to_paypal)
    (attempt,) = attempts_of(fresh(order))
    assert (attempt.ref, attempt.payer_url, attempt.nonce) == (
        paypal_id,
        to_paypal,
        "1",
    )

    back = on_paypal(browser, to_paypal, "approve")
    assert back.startswith(status_url + "/return/paypal_checkout?token=" + paypal_id)
    assert back_to_shop(browser, back) == "paid"

    fresh(order)
    assert api.content.get_state(order) == "paid"
    (payment,) = order.payments()
    assert (payment.provider, payment.kind, payment.status) == (
        "paypal_checkout",
        PAYMENT,
        "COMPLETED",
    )
    assert str(payment.amount) == "25.00" and payment.parent_txn_id == paypal_id
    assert attempts_of(order)[0].status == "paid"
    text = browser.get(status_url + "?payment=paid", timeout=30).text
    assert "Your payment is complete" in text
    # What PayPal was sent
    unit = checkout_shop.paypal.orders[paypal_id].unit
    assert unit["invoice_id"] == order.number and unit["custom_id"] == order.UID()
    assert unit["amount"]["value"] == "25.00"
    # Coming back again (a reload) changes nothing
    assert back_to_shop(browser, back) == "paid"
    assert len(fresh(order).payments()) == 1
    assert len(checkout_shop.paypal.captures) == 1
