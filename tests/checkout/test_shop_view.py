"""A folder shown as a shop: products with image, price and "Add to cart",
which puts one in the cart and comes back to the same page."""

from decimal import Decimal
from getpaid.orders.cart.cookie import COOKIE
from getpaid.orders.setuphandlers.install import SHOP_VIEW
from plone import api
from plone.testing.zope import Browser
from urllib.parse import quote
from urllib.parse import urlencode

import lxml.html
import pytest
import transaction


@pytest.fixture
def browser(functional_app):
    browser = Browser(functional_app)
    browser.handleErrors = True
    return browser


def cards(html: str) -> dict[str, dict]:
    found = {}
    for card in lxml.html.fromstring(html).cssselect("article.getpaid-shop-item"):
        price = card.cssselect(".getpaid-price")
        found[card.cssselect("h2 a")[0].text] = {
            "price": price[0].text if price else None,
            "image": [img.get("src") for img in card.cssselect("img")],
            "text": card.text_content(),
        }
    return found


def test_products_show_their_price_and_cart_button(shop_folder, browser):
    browser.open(shop_folder.absolute_url())
    shown = cards(browser.contents)
    assert list(shown) == ["Mug", "Tee", "Old-Hat", "Shipping"]  # folder order
    assert shown["Mug"]["price"] == "€12.50"
    assert shown["Mug"]["image"] == [
        shop_folder["mug"].absolute_url() + "/@@images/image/preview"
    ]
    assert shown["Tee"]["image"] == [] and "Organic cotton." in shown["Tee"]["text"]
    assert shown["Old-Hat"]["price"] is None  # not for sale: no price, no button
    assert shown["Shipping"]["price"] is None  # a page is just listed
    assert "Add to cart" not in shown["Old-Hat"]["text"]
    assert "Not for sale at the moment." in shown["Old-Hat"]["text"]
    assert "Not for sale" not in shown["Shipping"]["text"]


def test_add_to_cart_comes_back_to_the_same_page(shop_folder, browser):
    page = shop_folder.absolute_url() + "?b_start=0"
    browser.open(page)
    tee = shop_folder["tee"].absolute_url()
    browser.getForm(action=tee + "/@@add-to-cart").submit()
    assert browser.url == page
    assert "Tee is in your cart." in browser.contents
    assert COOKIE in browser.cookies


def test_add_to_cart_never_leaves_the_site(shop_folder, browser):
    tee = shop_folder["tee"].absolute_url()
    browser.open(shop_folder.absolute_url())
    form = browser.getForm(action=tee + "/@@add-to-cart")
    token = form.getControl(name="_authenticator").value
    for elsewhere in ("https://evil.example/", "//evil.example", "javascript:alert(1)"):
        fields = {"_authenticator": token, "quantity": "1", "came_from": elsewhere}
        browser.post(tee + "/@@add-to-cart", urlencode(fields))
        assert browser.url == tee
    # Bytes that aren't UTF-8 (and a line break): no Location header carries
    # them, so back to the product rather than a 500.
    browser.raiseHttpErrors = False
    for odd in ("%FF%FE", "%ED%A0%80", "%0D%0ASet-Cookie:x=1"):
        came_from = quote(shop_folder.absolute_url(), safe=":/") + odd
        browser.post(
            tee + "/@@add-to-cart",
            f"_authenticator={token}&quantity=1&came_from={came_from}",
        )
        assert (browser.headers["status"], browser.url) == ("200 OK", tee)


def test_many_products_are_shown_a_page_at_a_time(shop_folder, browser):
    with api.env.adopt_roles(["Manager"]):
        for n in range(25):
            api.content.create(
                container=shop_folder, type="Product", id=f"p{n}", price=Decimal(1)
            )
    transaction.commit()
    browser.open(shop_folder.absolute_url())
    assert len(cards(browser.contents)) == 24
    browser.getLink("Next").click()
    assert len(cards(browser.contents)) == 29 - 24
    browser.open(shop_folder.absolute_url() + "?b_start=10000")  # an old link
    assert len(cards(browser.contents)) == 29 - 24  # the last page


def test_offered_for_folders_and_gone_with_the_add_on(portal, installer):
    folder_type = api.portal.get_tool("portal_types")["Folder"]
    assert SHOP_VIEW in folder_type.view_methods
    installer.uninstall_product("getpaid.orders")
    assert SHOP_VIEW not in folder_type.view_methods
    assert "listing_view" in folder_type.view_methods


def test_a_shop_folder_falls_back_to_the_standard_view_after_uninstall(
    portal, installer
):
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(container=portal, type="Folder", id="shop")
    folder.setLayout(SHOP_VIEW)
    assert folder.getTypeInfo().defaultView(folder) == SHOP_VIEW
    # An integrator's choices: every folder a shop, and one more type offers it.
    types = api.portal.get_tool("portal_types")
    types["Folder"].default_view = SHOP_VIEW
    types["Collection"].view_methods = (*types["Collection"].view_methods, SHOP_VIEW)
    installer.uninstall_product("getpaid.orders")
    assert folder.getTypeInfo().defaultView(folder) == "listing_view"
    assert types["Folder"].default_view == "listing_view"
    assert SHOP_VIEW not in types["Collection"].view_methods


def test_a_product_taken_off_sale_meanwhile_is_not_added(shop_folder, browser):
    tee = shop_folder["tee"]
    browser.open(shop_folder.absolute_url())
    form = browser.getForm(action=tee.absolute_url() + "/@@add-to-cart")
    tee.for_sale = False  # by the shop, while the customer's page is open
    transaction.commit()
    form.submit()
    assert "'Tee' is no longer for sale." in browser.contents
    assert COOKIE not in browser.cookies  # nothing was added
    browser.open(tee.absolute_url())
    assert "Not for sale at the moment." in browser.contents
    assert "Add to cart" not in browser.contents
