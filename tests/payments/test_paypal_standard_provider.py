"""Payments Standard as a provider: what it takes, and how it writes amounts."""

from getpaid.orders import api as shop
from getpaid.orders.payments.interfaces import PaymentUrls
from getpaid.orders.payments.registry import get_provider
from plone import api

import pytest


URLS = PaymentUrls(
    page="https://shop.example/o",
    pay="https://shop.example/o/@@pay/paypal_standard",
    back="https://shop.example/o/@@payment-return/paypal_standard",
    cancel="https://shop.example/o",
    site="https://shop.example",
)


@pytest.fixture
def standard(integration):
    api.portal.set_registry_record(
        "getpaid.orders.paypal_receiver_email", "shop@example.org"
    )
    return get_provider("paypal_standard")


def order_of(make_product, customer, price, currency):
    product = make_product(f"p-{currency.lower()}", price, currency)
    return shop.checkout([(product, 2)], customer).order


@pytest.mark.parametrize(
    "price, currency, written",
    [
        ("1000", "HUF", "1000"),  # ISO 4217 says 2 decimals; PayPal takes none
        ("300", "TWD", "300"),
        ("500", "JPY", "500"),
        ("12.50", "EUR", "12.50"),
    ],
)
def test_amounts_with_paypals_decimals(
    standard, make_product, customer, price, currency, written
):
    order = order_of(make_product, customer, price, currency)
    assert standard.accepts(order)
    fields = dict(standard.payment_form(order, URLS).fields)
    assert fields["amount_1"] == written
    assert fields["notify_url"] == "https://shop.example/@@paypal-ipn"
    assert fields["return"] == URLS.back


@pytest.mark.parametrize(
    "price, currency",
    [
        ("100.50", "HUF"),  # cents PayPal can't take in forints
        ("10.00", "ISK"),  # a currency PayPal doesn't take at all
    ],
)
def test_orders_paypal_cannot_take_are_not_offered(
    standard, make_product, customer, price, currency
):
    assert not standard.accepts(order_of(make_product, customer, price, currency))


def test_unusable_without_a_receiver(standard):
    assert standard.unusable() == ""
    api.portal.set_registry_record("getpaid.orders.paypal_receiver_email", "")
    assert "receiver" in str(standard.unusable())
