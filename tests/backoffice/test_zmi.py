"""Orders and payments browse cleanly in the ZMI."""

from getpaid.orders import api as shop
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser

import transaction


def test_zmi_lists_orders_and_payments(shop_site, customer, functional_app):
    order = shop.place_order([(shop_site["mug"], 1)], customer)
    payment = shop.record_payment(
        order,
        provider="paypal",
        txn_id="T9",
        status="Completed",
        amount="12.50",
        currency="EUR",
    )
    transaction.commit()
    browser = Browser(functional_app)
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    browser.open(shop_site["orders"].absolute_url() + "/manage_main")
    assert order.number in browser.contents
    browser.open(order.absolute_url() + "/manage_main")
    assert "paypal~T9~Completed" in browser.contents
    for url in (order.absolute_url(), payment.absolute_url()):
        browser.open(url + "/manage_workspace")
        assert browser.headers["Status"].startswith("200")
        assert "Traceback" not in browser.contents
