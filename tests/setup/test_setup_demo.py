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


def test_the_demo_speaks_the_visitors_language(functional_portal):
    from plone.testing.zope import Browser

    import transaction

    applyProfile(functional_portal, "getpaid.orders:demo")
    transaction.commit()
    browser = Browser(functional_portal.aq_parent)
    browser.addHeader("Accept-Language", "de-DE,de;q=0.9,en;q=0.5")
    browser.open(f"{functional_portal.absolute_url()}/@@cart")
    assert "Ihr Warenkorb ist leer." in browser.contents
