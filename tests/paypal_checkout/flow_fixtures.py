"""A shop that takes PayPal Checkout from the REST simulator, and a payer's
browser for it (tests/paypal_checkout/test_checkout_flow*.py).

Test modules import the fixtures by their module names
(``checkout_shop_fixture``); tests ask for them by their fixture names
(``checkout_shop``). The Zope server
runs in the test process, so the client secret goes in through the
environment as a real site would take it.
"""

from checkout_helpers import shop_pays_at
from dataclasses import dataclass
from datetime import datetime
from datetime import UTC
from getpaid.orders import api as shop
from plone import api
from shop_fixtures import paypal_simulator
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import lxml.html
import pytest
import requests
import time
import transaction


PAYEE_EMAIL = "merchant@example.com"  # the simulator's merchant account


@dataclass
class CheckoutShop:
    site: object
    paypal: object  # the simulator's RestSimulator
    base: str


@pytest.fixture(name="checkout_shop")
def checkout_shop_fixture(shop_site, monkeypatch):
    """``shop_site`` taking PayPal Checkout only, from a simulator of its
    own, sending no webhooks unless a test sets ``paypal.webhook_url``."""
    simulator, server, url = paypal_simulator.serve(0)
    rest = simulator.rest
    rest.retry_seconds = 0.05
    rest.hang_seconds = 1.5
    shop_pays_at(rest, url, monkeypatch)
    # The shop is the simulator merchant's, by its e-mail too.
    api.portal.set_registry_record("getpaid.orders.paypal_receiver_email", PAYEE_EMAIL)
    transaction.commit()
    yield CheckoutShop(shop_site, rest, url)
    server.shutdown()


@pytest.fixture(name="short_timeouts")
def short_timeouts_fixture(monkeypatch):
    """The client gives up after a second (the simulator's hang is 1.5)."""
    from getpaid.orders.payments.paypal_checkout import client

    original = client.Client.__init__

    def init(self, *args, **kw):
        kw["timeout"] = (1.0, 1.0)
        original(self, *args, **kw)

    monkeypatch.setattr(client.Client, "__init__", init)


def place(site, customer, *items):
    """An order of ``items`` ((product id, quantity)…): (order, owner link)."""
    placed = shop.checkout([(site[id], quantity) for id, quantity in items], customer)
    transaction.commit()
    return placed.order, f"{site.absolute_url()}/@@order-status/{placed.owner_token}"


def page(browser: requests.Session, url: str) -> lxml.html.HtmlElement:
    answer = browser.get(url, timeout=30)
    assert answer.status_code == 200, answer.text
    return lxml.html.fromstring(answer.text)


def pay_form(document) -> tuple[str, list]:
    (form,) = document.cssselect("form.getpaid-pay-paypal_checkout")
    fields = [(i.get("name"), i.get("value")) for i in form.inputs if i.get("name")]
    return form.get("action"), fields


def press_pay(browser, status_url: str, fields=None) -> requests.Response:
    """Press "Pay with PayPal" on the order page (or POST ``fields``); the
    answer unfollowed."""
    action, found = pay_form(page(browser, status_url))
    return browser.post(
        action,
        data=found if fields is None else fields,
        allow_redirects=False,
        timeout=30,
    )


def on_paypal(browser, url: str, choice: str) -> str:
    """On the simulator's page at ``url``, press ``choice``; where PayPal
    sends the browser ("" when nowhere)."""
    document = page(browser, url)
    (form,) = [f for f in document.forms if f.get("action").endswith(f"/{choice}")]
    base = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    answer = browser.post(base + form.get("action"), allow_redirects=False, timeout=30)
    return answer.headers.get("Location", "")


def back_to_shop(browser, url: str) -> str:
    """Follow the return to the shop: the order page's ``payment`` outcome."""
    answer = browser.get(url, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    return parse_qs(urlsplit(location).query).get("payment", [""])[0]


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def created_at(order) -> datetime:
    return order.created().asdatetime().astimezone(UTC)


def fresh(order):
    """The order as committed now."""
    transaction.begin()
    return order


def wait_for_state(order, state: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while True:
        transaction.begin()
        current = api.content.get_state(order)
        if current == state or time.monotonic() > deadline:
            return current
        time.sleep(0.05)
