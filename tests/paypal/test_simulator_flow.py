"""The whole payment, offline: order page → PayPal simulator → IPN → paid.

Everything crosses real HTTP: the browser side (requests) posts the order
page's "Pay with PayPal" form to the simulator, the simulator posts the IPN
to the shop's @@paypal-ipn, and the shop verifies it with the simulator.
"""

from getpaid.orders import api as shop
from plone import api

import lxml.html
import pytest
import requests
import time
import transaction


@pytest.fixture
def status_page(shop_site, simulator, customer):
    placed = shop.checkout([(shop_site["mug"], 2)], customer)
    transaction.commit()
    return (
        placed.order,
        f"{shop_site.absolute_url()}/@@order-status/{placed.owner_token}",
    )


def go_to_paypal(status_url: str) -> tuple[requests.Session, lxml.html.HtmlElement]:
    browser = requests.Session()
    page = lxml.html.fromstring(browser.get(status_url, timeout=30).text)
    (form,) = page.cssselect("form.getpaid-pay-paypal_standard")
    fields = [(i.get("name"), i.get("value")) for i in form.inputs if i.get("name")]
    answer = browser.post(form.get("action"), data=fields, timeout=30)
    assert answer.status_code == 200
    return browser, lxml.html.fromstring(answer.text)


def click(browser, simulator_page, action: str, base: str, **query) -> str:
    (form,) = [f for f in simulator_page.forms if f.get("action").endswith(action)]
    url = (
        base
        + form.get("action")
        + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    )
    answer = browser.post(url, allow_redirects=False, timeout=30)
    assert answer.status_code == 302
    return answer.headers["Location"]


def wait_for_state(order, state: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while True:
        transaction.begin()
        current = api.content.get_state(order)
        if current == state or time.monotonic() > deadline:
            return current
        time.sleep(0.1)


def test_pay(status_page, simulator, inbox):
    order, status_url = status_page
    browser, page = go_to_paypal(status_url)
    assert "25.00" in page.text_content() and "no money moves" in page.text_content()
    base = simulator.base
    back = click(browser, page, "/pay", base)
    assert back == status_url + "/return/paypal_standard"
    assert browser.get(back, timeout=30).url == status_url + "?payment=confirming"
    assert wait_for_state(order, "paid") == "paid"
    (payment,) = order.payments()
    assert payment.status == "Completed" and str(payment.amount) == "25.00"


def test_fail(status_page, simulator):
    order, status_url = status_page
    browser, page = go_to_paypal(status_url)
    base = simulator.base
    click(browser, page, "/fail", base)
    assert wait_for_state(order, "payment_failed") == "payment_failed"


def test_cancel_sends_nothing(status_page, simulator):
    order, status_url = status_page
    browser, page = go_to_paypal(status_url)
    base = simulator.base
    assert click(browser, page, "/cancel", base) == status_url
    time.sleep(0.5)
    assert simulator.sent == []
    assert wait_for_state(order, "created", timeout=0) == "created"


def test_duplicates_pay_once(status_page, simulator):
    order, status_url = status_page
    browser, page = go_to_paypal(status_url)
    base = simulator.base
    click(browser, page, "/pay", base, duplicates=2)
    assert wait_for_state(order, "paid") == "paid"
    deadline = time.monotonic() + 10
    while len(simulator.sent) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [status for _, _, status in simulator.sent] == [200, 200, 200]
    transaction.begin()
    assert len(order.payments()) == 1


def test_simulator_verifies_only_its_own(simulator):
    base = simulator.base
    answer = requests.post(
        base + "/cgi-bin/webscr",
        data=b"cmd=_notify-validate&payment_status=Completed&txn_id=FORGED",
        timeout=30,
    )
    assert answer.text == "INVALID"
