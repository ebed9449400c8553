"""Paying with PayPal Checkout over real HTTP: the order page, the
simulator's payer page, the return, the capture."""

from decimal import Decimal
from flow_fixtures import back_to_shop
from flow_fixtures import checkout_shop_fixture  # noqa: F401
from flow_fixtures import fresh
from flow_fixtures import on_paypal
from flow_fixtures import page
from flow_fixtures import pay_form
from flow_fixtures import place
from flow_fixtures import press_pay
from flow_fixtures import token_of
from getpaid.orders import api as shop
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.api.payments import PAYMENT
from getpaid.orders.api.sweeper import sweep
from getpaid.orders.payments.paypal_checkout.client import Client
from getpaid.orders.payments.paypal_checkout.flow import RECONCILE_AFTER
from plone import api

import requests
import threading
import transaction


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


def test_decline_then_pay_on_the_same_paypal_order(checkout_shop, customer):
    order, status_url = place(checkout_shop.site, customer, ("mug", 1))
    browser = requests.Session()
    to_paypal = press_pay(browser, status_url).headers["Location"]
    back = on_paypal(browser, to_paypal, "decline")
    assert back_to_shop(browser, back) == "declined"
    (attempt,) = attempts_of(fresh(order))
    assert (attempt.status, attempt.detail) == ("open", "INSTRUMENT_DECLINED")
    assert api.content.get_state(order) == "created" and order.payments() == []
    text = browser.get(status_url + "?payment=declined", timeout=30).text
    assert "The payment was declined" in text
    # Pay again: back to PayPal, to choose another way to pay the same order
    again = press_pay(browser, status_url).headers["Location"]
    assert again == attempt.payer_url and token_of(again) == attempt.ref
    assert back_to_shop(browser, on_paypal(browser, again, "approve")) == "paid"
    assert api.content.get_state(fresh(order)) == "paid"
    assert len(order.payments()) == 1 and len(checkout_shop.paypal.orders) == 1


def test_declined_attempt_for_an_order_changed_since_begins_anew(
    checkout_shop, customer
):
    order, status_url = place(checkout_shop.site, customer, ("mug", 1))
    browser = requests.Session()
    to_paypal = press_pay(browser, status_url).headers["Location"]
    back_to_shop(browser, on_paypal(browser, to_paypal, "decline"))
    with api.env.adopt_roles(["Manager"]):
        shop.set_lines(fresh(order), [(checkout_shop.site["mug"], 2)], source="manager")
    transaction.commit()
    again = press_pay(browser, status_url).headers["Location"]
    assert token_of(again) != token_of(to_paypal)
    assert checkout_shop.paypal.orders[token_of(again)].amount == Decimal("25.00")
    assert len(attempts_of(fresh(order))) == 2


def test_double_click_creates_one_paypal_order(checkout_shop, customer):
    order, status_url = place(checkout_shop.site, customer, ("tee", 1))
    browser = requests.Session()
    action, fields = pay_form(page(browser, status_url))
    assert dict(fields)["attempt"] == "1"
    answers = []

    def click():
        answers.append(browser.post(action, data=fields, allow_redirects=False))

    clicks = [threading.Thread(target=click) for _n in range(2)]
    for one in clicks:
        one.start()
    for one in clicks:
        one.join()
    click()  # and once more from the same (stale) page, later
    assert {answer.status_code for answer in answers} == {302}
    assert len({answer.headers["Location"] for answer in answers}) == 1
    assert len(checkout_shop.paypal.orders) == 1
    assert len(attempts_of(fresh(order))) == 1


def test_pending_capture_is_paid_when_it_completes(checkout_shop, customer):
    order, status_url = place(checkout_shop.site, customer, ("mug", 1))
    browser = requests.Session()
    to_paypal = press_pay(browser, status_url).headers["Location"]
    assert back_to_shop(browser, on_paypal(browser, to_paypal, "pending")) == "pending"
    fresh(order)
    assert order.payment_pending == "PENDING_REVIEW"
    assert api.content.get_state(order) == "created"
    text = browser.get(status_url + "?payment=pending", timeout=30).text
    assert "Your payment is pending" in text
    assert "getpaid-pay-paypal_checkout" not in text  # no second payment
    (capture_id,) = checkout_shop.paypal.captures
    checkout_shop.paypal.settle_pending(capture_id)
    # No webhook: reconciliation learns it
    report = sweep(attempts_of(order)[0].created + RECONCILE_AFTER)
    assert report.reconciled == [
        f"{order.number}: {token_of(to_paypal)} completed: paid"
    ]
    assert api.content.get_state(fresh(order)) == "paid"
    assert [p.status for p in order.payments()] == ["PENDING", "COMPLETED"]
    assert order.payment_pending == "" and attempts_of(order)[0].status == "paid"


def test_order_already_captured_is_looked_up_and_recorded(checkout_shop, customer):
    order, status_url = place(checkout_shop.site, customer, ("mug", 1))
    browser = requests.Session()
    to_paypal = press_pay(browser, status_url).headers["Location"]
    checkout_shop.paypal.approve(token_of(to_paypal))
    # Captured by someone else, with another request id
    other = Client(
        checkout_shop.paypal.client_id,
        checkout_shop.paypal.client_secret,
        checkout_shop.base,
    )
    other.capture_order(token_of(to_paypal), request_id="someone-else")
    back = f"{status_url}/return/paypal_checkout?token={token_of(to_paypal)}"
    assert back_to_shop(browser, back) == "paid"
    assert api.content.get_state(fresh(order)) == "paid"
    assert len(order.payments()) == 1


def test_create_failing_writes_nothing(checkout_shop, customer):
    order, status_url = place(checkout_shop.site, customer, ("mug", 1))
    checkout_shop.paypal.fail_next("create_order", "500")
    browser = requests.Session()
    answer = press_pay(browser, status_url)
    assert answer.status_code == 302 and answer.headers["Location"] == status_url
    text = browser.get(status_url, timeout=30).text
    assert "PayPal can&#x27;t be reached just now" in text or (
        "PayPal can't be reached just now" in text
    )
    assert attempts_of(fresh(order)) == [] and checkout_shop.paypal.orders == {}
    # The next press works
    assert (
        press_pay(browser, status_url)
        .headers["Location"]
        .startswith(checkout_shop.base)
    )


def test_an_expired_token_is_renewed_once(checkout_shop, customer):
    browser = requests.Session()
    for product in ("mug", "tee"):
        _order, status_url = place(checkout_shop.site, customer, (product, 1))
        assert press_pay(browser, status_url).status_code == 302
        checkout_shop.paypal.expire_tokens()
    assert len(checkout_shop.paypal.orders) == 2
    assert checkout_shop.paypal.token_requests == 2


def test_not_offered_for_a_currency_paypal_does_not_take(checkout_shop, customer):
    with api.env.adopt_roles(["Manager"]):
        api.content.create(
            container=checkout_shop.site,
            type="Product",
            id="saga",
            title="Saga",
            price=Decimal("4900"),
            currency="ISK",
        )
    transaction.commit()
    order, status_url = place(checkout_shop.site, customer, ("saga", 1))
    browser = requests.Session()
    document = page(browser, status_url)
    assert document.cssselect("form.getpaid-pay-paypal_checkout") == []
    assert document.cssselect(".getpaid-no-payment-choice")
    # Posting to its pay URL anyway begins nothing
    (token,) = document.cssselect(".getpaid-cancel-order input[name=_authenticator]")
    answer = browser.post(
        f"{status_url}/pay/paypal_checkout",
        data={"attempt": "1", "_authenticator": token.get("value")},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302 and answer.headers["Location"] == status_url
    assert checkout_shop.paypal.orders == {} and attempts_of(fresh(order)) == []
