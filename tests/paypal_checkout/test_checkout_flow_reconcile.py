"""When the payer's return doesn't settle a PayPal Checkout payment: PayPal
failing or hanging at capture, a payer who never comes back, a lost
webhook, returns racing each other, and the sweeper that must not time out
an order paid at PayPal."""

from datetime import timedelta
from flow_fixtures import back_to_shop
from flow_fixtures import checkout_shop_fixture  # noqa: F401
from flow_fixtures import fresh
from flow_fixtures import on_paypal
from flow_fixtures import place
from flow_fixtures import press_pay
from flow_fixtures import short_timeouts_fixture  # noqa: F401
from flow_fixtures import token_of
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.api.sweeper import sweep
from getpaid.orders.payments.paypal_checkout.flow import APPROVAL_WINDOW
from getpaid.orders.payments.paypal_checkout.flow import RECONCILE_AFTER
from plone import api

import pytest
import requests
import threading
import time
import transaction


DAYS = timedelta(days=4)  # past the shop's unpaid timeout (3 days)


def begun(checkout_shop, customer, product="mug"):
    """An order whose payer is on PayPal's page: (order, browser, payer link)."""
    order, status_url = place(checkout_shop.site, customer, (product, 1))
    browser = requests.Session()
    to_paypal = press_pay(browser, status_url).headers["Location"]
    return fresh(order), browser, to_paypal


def began(order):
    return attempts_of(fresh(order))[-1].created


@pytest.mark.parametrize("fault", ["500", "hang"])
def test_capture_failing_is_reconciled_once(
    checkout_shop, customer, short_timeouts, fault
):
    order, browser, to_paypal = begun(checkout_shop, customer)
    checkout_shop.paypal.fail_next("capture_order", fault)
    back = on_paypal(browser, to_paypal, "approve")
    assert back_to_shop(browser, back) == "confirming"
    assert api.content.get_state(fresh(order)) == "created"
    assert order.payments() == []
    # 500: nothing captured; hang: PayPal captured, the answer was lost
    time.sleep(checkout_shop.paypal.hang_seconds)
    assert len(checkout_shop.paypal.captures) == (1 if fault == "hang" else 0)
    # Too early: nothing looked up
    assert sweep(began(order) + RECONCILE_AFTER / 2).reconciled == []
    report = sweep(began(order) + RECONCILE_AFTER)
    status = "completed" if fault == "hang" else "approved"
    assert report.reconciled == [
        f"{order.number}: {token_of(to_paypal)} {status}: paid"
    ]
    assert api.content.get_state(fresh(order)) == "paid"
    assert len(order.payments()) == 1 and len(checkout_shop.paypal.captures) == 1
    # Again: nothing more
    report = sweep(began(order) + 2 * RECONCILE_AFTER)
    assert report.reconciled == [] and report.payments_checked == 0
    assert len(fresh(order).payments()) == 1


def test_payer_who_never_came_back_is_not_timed_out(checkout_shop, customer):
    order, browser, to_paypal = begun(checkout_shop, customer)
    assert on_paypal(browser, to_paypal, "abandon") == ""  # no webhooks either
    report = sweep(began(order) + DAYS)
    assert report.timed_out == []
    assert report.reconciled == [
        f"{order.number}: {token_of(to_paypal)} approved: paid"
    ]
    assert api.content.get_state(fresh(order)) == "paid"


def test_payment_on_its_way_is_not_timed_out(checkout_shop, customer):
    order, _browser, to_paypal = begun(checkout_shop, customer)
    api.portal.set_registry_record("getpaid.orders.unpaid_timeout_minutes", 1)
    transaction.commit()
    # The payer is on PayPal's page: too fresh to ask, too soon to give up
    report = sweep(began(order) + timedelta(minutes=2))
    assert report.timed_out == [] and report.payments_checked == 1
    assert report.skipped == [f"{order.number}: payment open at paypal_checkout"]
    # Still waiting for the payer: asked, and not timed out
    report = sweep(began(order) + RECONCILE_AFTER)
    assert report.timed_out == [] and report.reconciled == []
    # PayPal's approval window is over: the attempt failed, the order times out
    report = sweep(began(order) + APPROVAL_WINDOW)
    assert report.reconciled == [
        f"{order.number}: {token_of(to_paypal)} not approved in time"
    ]
    assert report.timed_out == [order.number]
    (attempt,) = attempts_of(fresh(order))
    assert (attempt.status, attempt.detail) == ("failed", "not approved in time")


def test_paypal_unavailable_skips_the_order_this_time(checkout_shop, customer):
    order, browser, to_paypal = begun(checkout_shop, customer)
    on_paypal(browser, to_paypal, "abandon")
    checkout_shop.paypal.fail_next("get_order", "500")
    report = sweep(began(order) + DAYS)
    assert report.timed_out == [] and report.reconciled == []
    assert len(report.unreachable) == 1
    assert report.unreachable[0].startswith(f"{order.number}: paypal_checkout: ")
    assert "unreachable" in str(report)
    assert api.content.get_state(fresh(order)) == "created"
    # The next sweep asks again
    assert sweep(began(order) + DAYS).reconciled == [
        f"{order.number}: {token_of(to_paypal)} approved: paid"
    ]


def test_expired_paypal_order_fails_its_attempt(checkout_shop, customer):
    order, _browser, to_paypal = begun(checkout_shop, customer)
    checkout_shop.paypal.expire_order(token_of(to_paypal))
    report = sweep(began(order) + RECONCILE_AFTER)
    assert report.reconciled == [f"{order.number}: {token_of(to_paypal)} expired"]
    assert attempts_of(fresh(order))[0].status == "failed"


def test_lost_webhook_is_reconciled(checkout_shop, customer):
    """PayPal captured (the payer came back to a shop that was down, say),
    and its webhook never arrived: the sweeper records the capture."""
    order, browser, to_paypal = begun(checkout_shop, customer)
    checkout_shop.paypal.auto_events = False
    on_paypal(browser, to_paypal, "abandon")
    paypal_id = token_of(to_paypal)
    from getpaid.orders.payments.paypal_checkout.client import Client

    Client(
        checkout_shop.paypal.client_id,
        checkout_shop.paypal.client_secret,
        checkout_shop.base,
    ).capture_order(paypal_id, request_id="captured-elsewhere")
    report = sweep(began(order) + RECONCILE_AFTER)
    assert report.reconciled == [f"{order.number}: {paypal_id} completed: paid"]
    assert api.content.get_state(fresh(order)) == "paid"
    assert checkout_shop.paypal.deliveries == []


def test_returns_at_the_same_moment_pay_once(checkout_shop, customer):
    order, browser, to_paypal = begun(checkout_shop, customer)
    back = on_paypal(browser, to_paypal, "approve")
    said = []

    def come_back():
        said.append(back_to_shop(requests.Session(), back))

    returns = [threading.Thread(target=come_back) for _n in range(3)]
    for one in returns:
        one.start()
    for one in returns:
        one.join()
    assert said == ["paid"] * 3
    fresh(order)
    assert len(order.payments()) == 1
    assert [entry.new for entry in order.history].count("paid") == 1
    assert len(checkout_shop.paypal.captures) == 1
