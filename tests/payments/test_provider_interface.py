"""A third provider joins with no change to the shop or to the other two:
registered, enabled, offered on the order page, paid through it."""

from example_provider import CounterPayments
from getpaid.orders import api as shop
from getpaid.orders.payments.interfaces import IPaymentProvider
from getpaid.orders.payments.registry import all_providers
from getpaid.orders.payments.registry import enabled_providers
from getpaid.orders.payments.registry import providers_for
from plone import api
from zope.component import getGlobalSiteManager
from zope.interface.verify import verifyObject

import lxml.html
import pytest
import requests
import transaction


@pytest.fixture
def counter():
    provider = CounterPayments()
    registry = getGlobalSiteManager()
    registry.registerUtility(provider, IPaymentProvider, name=provider.id)
    yield provider
    registry.unregisterUtility(provider, IPaymentProvider, name=provider.id)


@pytest.fixture
def counter_shop(shop_site, counter):
    api.portal.set_registry_record(
        "getpaid.orders.payment_providers", ["counter", "paypal_standard"]
    )
    transaction.commit()
    return shop_site


def test_the_shipped_providers_keep_the_interface():
    for provider in all_providers().values():
        assert verifyObject(IPaymentProvider, provider)
    assert {"paypal_checkout", "paypal_standard"} <= set(all_providers())


def test_the_example_keeps_it(counter):
    assert verifyObject(IPaymentProvider, counter)


def test_enabled_in_the_shops_order(counter_shop, counter):
    assert [p.id for p in enabled_providers()] == ["counter", "paypal_standard"]
    api.portal.set_registry_record(
        "getpaid.orders.payment_providers", ["paypal_standard", "counter"]
    )
    assert [p.id for p in enabled_providers()] == ["paypal_standard", "counter"]
    # A provider whose add-on was removed is passed over, not an error.
    getGlobalSiteManager().unregisterUtility(counter, IPaymentProvider, name="counter")
    assert [p.id for p in enabled_providers()] == ["paypal_standard"]


def test_a_site_from_before_providers_keeps_payments_standard(shop_site):
    registry = api.portal.get_tool("portal_registry")
    del registry.records["getpaid.orders.payment_providers"]
    assert [p.id for p in enabled_providers()] == ["paypal_standard"]


def test_offered_only_for_orders_it_takes(counter_shop, customer):
    euros = shop.checkout([(counter_shop["mug"], 1)], customer).order
    dollars = shop.checkout([(counter_shop["book"], 1)], customer).order
    assert [p.id for p in providers_for(euros)] == ["counter", "paypal_standard"]
    assert [p.id for p in providers_for(dollars)] == ["paypal_standard"]


def test_paid_through_the_order_page(counter_shop, customer):
    placed = shop.checkout([(counter_shop["mug"], 2)], customer)
    transaction.commit()
    url = f"{counter_shop.absolute_url()}/@@order-status/{placed.owner_token}"
    browser = requests.Session()
    page = lxml.html.fromstring(browser.get(url, timeout=30).text)
    buttons = [form.get("class") for form in page.cssselect("form.getpaid-pay")]
    assert [b.split()[1] for b in buttons] == [
        "getpaid-pay-counter",
        "getpaid-pay-paypal_standard",
    ]
    (form,) = page.cssselect("form.getpaid-pay-counter")
    assert form.get("action") == f"{url}/pay/counter"
    fields = {i.get("name"): i.get("value") for i in form.inputs if i.get("name")}
    assert "_authenticator" in fields  # our own POST is CSRF-checked

    answer = browser.post(form.get("action"), data=fields, timeout=30)
    assert answer.url == f"{url}?payment=paid"
    assert "Your payment is complete" in answer.text
    transaction.begin()
    assert api.content.get_state(placed.order) == "paid"
    (payment,) = placed.order.payments()
    assert (payment.provider, payment.amount) == ("counter", placed.order.total)

    # Back again (a reload): recorded once, still paid.
    browser.get(f"{url}/return/counter?receipt={placed.order.number}-counter")
    transaction.begin()
    assert len(placed.order.payments()) == 1


def test_pay_without_the_token_changes_nothing(counter_shop, customer):
    placed = shop.checkout([(counter_shop["mug"], 1)], customer)
    transaction.commit()
    url = f"{counter_shop.absolute_url()}/@@order-status/{placed.owner_token}"
    answer = requests.post(f"{url}/pay/counter", timeout=30)
    assert answer.status_code == 403
    transaction.begin()
    assert api.content.get_state(placed.order) == "created"


def test_a_provider_not_enabled_is_not_paid_with(counter_shop, customer):
    placed = shop.checkout([(counter_shop["mug"], 1)], customer)
    api.portal.set_registry_record(
        "getpaid.orders.payment_providers", ["paypal_standard"]
    )
    transaction.commit()
    url = f"{counter_shop.absolute_url()}/@@order-status/{placed.owner_token}"
    browser = requests.Session()
    page = lxml.html.fromstring(browser.get(url, timeout=30).text)
    assert not page.cssselect("form.getpaid-pay-counter")
    (standard,) = page.cssselect("form.getpaid-pay-paypal_standard")
    # The same form, sent to the disabled provider: refused, nothing paid.
    token = page.cssselect("input[name=_authenticator]")
    fields = {"_authenticator": token[0].get("value")} if token else {}
    answer = browser.post(f"{url}/pay/counter", data=fields, timeout=30)
    assert answer.url == url
    assert "can't be paid that way" in answer.text
    transaction.begin()
    assert api.content.get_state(placed.order) == "created"
