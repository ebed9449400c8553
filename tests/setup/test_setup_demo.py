"""The demo profile: products to try, and payments through the simulator."""

from decimal import Decimal
from getpaid.orders.controlpanel.settings import paypal_urls
from plone.app.testing import applyProfile


def test_demo_products_and_simulator(portal):
    applyProfile(portal, "getpaid.orders:demo")
    assert portal["shop"].getLayout() == "shop-view"  # prices and Add to cart
    products = portal["shop"].objectValues()
    assert len(products) >= 3
    assert len({product.price for product in products}) >= 2
    assert any(product.duration_days == 365 for product in products)
    assert all(product.price > Decimal(0) for product in products)
    assert paypal_urls() == (
        "http://localhost:8081/cgi-bin/webscr",
        "http://localhost:8081/cgi-bin/webscr",
    )
