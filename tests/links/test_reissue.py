"""Shop staff replace an order's leaked links; the customer gets the new one."""

from getpaid.orders import api as shop
from getpaid.orders.api.links import STATUS
from getpaid.orders.exceptions import OrderNotFound
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser

import pytest
import re
import transaction


def test_staff_reissue(shop_site, customer, functional_app, inbox):
    placed = shop.checkout([(shop_site["mug"], 1)], customer)
    share = shop.create_link(placed.order, STATUS)
    transaction.commit()
    inbox.wait_for(2)
    inbox.received.clear()

    browser = Browser(functional_app)
    browser.handleErrors = True
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    browser.open(placed.order.absolute_url())
    browser.getControl("Replace the customer's links").click()
    assert "links were replaced" in browser.contents

    transaction.begin()
    for old in (placed.owner_token, share):
        with pytest.raises(OrderNotFound):
            shop.find_by_token(old)
    ((_, recipients, message),) = inbox.wait_for(1)
    assert recipients == ["ada@example.org"]
    text = message.get_body(("plain",)).get_content()
    assert "no longer works" in text
    token = re.search(r"@@order-status/([\w-]{43})", text).group(1)
    assert shop.find_by_token(token)[0].number == placed.order.number
    assert placed.order.history[-1].action == "links reissued"


def test_customers_cannot_reissue(shop_site, customer, functional_app):
    placed = shop.checkout([(shop_site["mug"], 1)], customer)
    transaction.commit()
    browser = Browser(functional_app)
    browser.handleErrors = True
    browser.addHeader("Accept", "text/html")
    browser.open(f"{shop_site.absolute_url()}/@@order-status/{placed.owner_token}")
    assert "Replace the customer's links" not in browser.contents


def test_without_mail_the_links_are_kept_and_staff_told(
    shop_site, customer, functional_app, inbox
):
    from plone import api

    placed = shop.checkout([(shop_site["mug"], 1)], customer)
    api.portal.set_registry_record("plone.email_from_address", "")
    transaction.commit()
    browser = Browser(functional_app)
    browser.handleErrors = True
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    browser.open(placed.order.absolute_url())
    browser.getControl("Replace the customer's links").click()
    assert "The links were kept" in browser.contents
    assert "No e-mail was sent" in browser.contents

    transaction.begin()
    assert shop.find_by_token(placed.owner_token)[0].number == placed.order.number
    assert placed.order.history[-1].action != "links reissued"
