"""The whole path in a browser: product → cart → checkout → order page."""

from getpaid.orders.cart.cookie import COOKIE
from plone import api
from plone.app.testing import setRoles
from plone.testing.zope import Browser
from urllib.error import HTTPError
from urllib.parse import quote_plus
from urllib.parse import urlencode

import lxml.html
import pytest
import transaction


CUSTOMER = {
    "First name": "Ada",
    "Surname": "Lovelace",
    "E-mail": "ada@example.org",
    "Street": "12 St James's Square",
    "Postal code": "SW1Y 4JH",
    "City": "London",
}


@pytest.fixture
def browser(functional_app):
    browser = Browser(functional_app)
    browser.handleErrors = True
    browser.addHeader("Accept", "text/html,application/xhtml+xml")
    return browser


def add_to_cart(browser, product, quantity=1):
    browser.open(product.absolute_url())
    form = browser.getForm(action=product.absolute_url() + "/@@add-to-cart")
    form.getControl(name="quantity").value = str(quantity)
    form.submit()


def fill_checkout(browser, **changes):
    values = {**CUSTOMER, **changes}
    for label, value in values.items():
        browser.getControl(name=f"form.widgets.{FIELDS[label]}").value = value
    browser.getControl(name="form.widgets.billing_country:list").value = ["GB"]
    browser.getControl(name="form.widgets.accept_terms:list").value = ["selected"]


FIELDS = {
    "First name": "first_name",
    "Surname": "last_name",
    "E-mail": "email",
    "Street": "billing_street",
    "Postal code": "billing_postal_code",
    "City": "billing_city",
}


def orders(shop_site) -> list:
    transaction.begin()
    return list(shop_site["orders"].objectValues())


def test_anonymous_path(shop_site, browser, inbox):
    add_to_cart(browser, shop_site["mug"], 2)
    assert "Mug is in your cart." in browser.contents
    add_to_cart(browser, shop_site["tee"])
    assert "Cart (3)" in browser.contents

    browser.open(shop_site.absolute_url() + "/@@cart")
    totals = lxml.html.fromstring(browser.contents).cssselect(".getpaid-cart-total")
    assert [t.text for t in totals] == ["€50.00"]
    browser.getLink("Check out").click()
    assert "2 × Mug, 1 × Tee: €50.00." in browser.contents

    fill_checkout(browser)
    browser.getControl("Place order").click()
    (order,) = orders(shop_site)
    assert f"Your order {order.number} has been created." in browser.contents
    assert "/@@order-status/" in browser.url
    assert "Pay with PayPal" in browser.contents
    assert "Cart (0)" in browser.contents  # the cart is gone
    assert (order.first_name, order.total) == ("Ada", order.lines[0].total * 2)
    assert len(inbox.wait_for(2)) == 2


def test_a_product_page_shows_what_customers_read(shop_site, browser):
    mug = shop_site["mug"]
    mug.detail, mug.duration_days, mug.sku = "Holds 300 ml.", 30, "MUG-1"
    transaction.commit()
    browser.open(mug.absolute_url())
    text = lxml.html.fromstring(browser.contents).text_content()
    for shown in ("€12.50", "Add to cart", "Holds 300 ml.", "Lasts 30 days"):
        assert shown in text
    for field in ("Short name", "Lead Image Caption", "For sale", "Name on orders"):
        assert field not in text
    mug.duration_days = 1
    transaction.commit()
    browser.open(mug.absolute_url())
    assert "Lasts a day from payment." in browser.contents


def filled_form(shop_site, browser) -> tuple[str, list]:
    """The checkout form's action and what "Place order" sends, filled in."""
    add_to_cart(browser, shop_site["mug"])
    browser.open(shop_site.absolute_url() + "/@@checkout")
    fill_checkout(browser)
    form = browser.getForm(id="form")
    fields = form._form.submit_fields() + [("form.buttons.place", "Place order")]
    return form.action, fields


def active_links(shop_site) -> list:
    (order,) = orders(shop_site)
    return [link for link in order.secret_links if link.active]


def test_double_submit_places_one_order(shop_site, browser):
    # What the browser sends for "Place order", sent twice: a double click,
    # or the back button and the same form again.
    action, fields = filled_form(shop_site, browser)
    browser.post(action, urlencode(fields))
    first = browser.url
    browser.post(action, urlencode(fields))
    assert len(orders(shop_site)) == 1
    assert "/@@order-status/" in first
    assert browser.url == first  # the same link, not a new one
    assert "Pay with PayPal" in browser.contents
    assert len(active_links(shop_site)) == 1


def test_a_used_form_sent_from_another_browser_opens_nothing(
    shop_site, browser, functional_app
):
    action, fields = filled_form(shop_site, browser)
    browser.post(action, urlencode(fields))
    (order,) = orders(shop_site)

    # Someone else with the key (and the CSRF token, the same for every
    # anonymous visitor), their own details and cart.
    theirs = {
        "form.widgets.last_name": "Mallory",
        "form.widgets.billing_street": "1 Other Street",
    }
    fields = [(name, theirs.get(name, value)) for name, value in fields]
    other = Browser(functional_app)
    other.handleErrors = True
    add_to_cart(other, shop_site["tee"])
    other.post(action, urlencode(fields))
    assert "/@@order-status/" not in other.url
    assert "This order form has been used already." in other.contents
    for private in (order.number, "Lovelace", "St James", "Pay with PayPal"):
        assert private not in other.contents
    assert len(orders(shop_site)) == 1
    assert len(active_links(shop_site)) == 1


def test_a_form_key_is_no_idempotency_key_over_rest(shop_site, browser, rest):
    action, fields = filled_form(shop_site, browser)
    browser.post(action, urlencode(fields))
    (order,) = orders(shop_site)
    key = dict(fields)["form.widgets.checkout_key"]
    same = {
        "lines": [{"product": shop_site["mug"].UID(), "quantity": 1}],
        "customer": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "billing_address": {
                "street": "12 St James's Square",
                "postal_code": "SW1Y 4JH",
                "city": "London",
                "country": "GB",
            },
        },
        "accept_terms": True,
    }
    answer = rest.post("@checkout", json=same, headers={"Idempotency-Key": key})
    assert answer.status_code == 201, answer.text  # a checkout of its own
    assert answer.json()["order_number"] != order.number
    assert len(orders(shop_site)) == 2


def test_the_checkout_secret_is_a_cookie_pages_cant_read(shop_site, browser):
    add_to_cart(browser, shop_site["mug"])
    browser.open(shop_site.absolute_url() + "/@@checkout")
    cookie = browser.cookies.getinfo("getpaid_checkout")
    assert len(cookie["value"]) == 43
    header = [
        value
        for name, value in browser.headers.items()
        if name.lower() == "set-cookie" and value.startswith("getpaid_checkout=")
    ]
    assert header
    assert "HttpOnly" in header[0] and "SameSite=Lax" in header[0]
    assert "Max-Age=86400" in header[0]
    browser.open(shop_site.absolute_url() + "/@@checkout")
    assert browser.cookies["getpaid_checkout"] == cookie["value"]  # kept


def test_price_change_asks_again(shop_site, browser):
    add_to_cart(browser, shop_site["mug"])
    browser.open(shop_site.absolute_url() + "/@@checkout")
    fill_checkout(browser)
    shop_site["mug"].price = shop_site["mug"].price * 2
    transaction.commit()
    browser.getControl("Place order").click()
    assert "the total is now €25.00" in browser.contents
    assert orders(shop_site) == []
    fill_checkout(browser)
    browser.getControl("Place order").click()
    assert len(orders(shop_site)) == 1


def test_field_errors_keep_the_cart(shop_site, browser):
    add_to_cart(browser, shop_site["mug"])
    browser.open(shop_site.absolute_url() + "/@@checkout")
    fill_checkout(browser, **{"E-mail": "not an address", "City": ""})
    browser.getControl("Place order").click()
    page = lxml.html.fromstring(browser.contents)
    errors = page.cssselect(".invalid-feedback, .fieldErrorBox, .error")
    assert errors, browser.contents
    assert "not an e-mail address" in browser.contents or "Required" in (
        browser.contents
    )
    assert orders(shop_site) == []
    assert "Cart (1)" in browser.contents


def test_a_country_is_chosen_not_preset(shop_site, browser):
    add_to_cart(browser, shop_site["mug"])
    browser.open(shop_site.absolute_url() + "/@@checkout")
    page = lxml.html.fromstring(browser.contents)
    (select,) = page.cssselect("select[name='form.widgets.billing_country:list']")
    first = select.cssselect("option")[0]
    assert (first.get("value"), first.text.strip()) == (
        "--NOVALUE--",
        "Choose a country",
    )
    chosen = [option.get("value") for option in select.cssselect("option[selected]")]
    assert chosen == ["--NOVALUE--"]

    fill_checkout(browser)
    browser.getControl(name="form.widgets.billing_country:list").value = ["--NOVALUE--"]
    browser.getControl("Place order").click()
    assert "Required input is missing." in browser.contents
    assert orders(shop_site) == []


def test_hostile_names_are_shown_escaped(shop_site, browser):
    add_to_cart(browser, shop_site["mug"])
    browser.open(shop_site.absolute_url() + "/@@checkout")
    fill_checkout(
        browser, **{"First name": "<script>alert(1)</script>", "Surname": "Ōtsuka"}
    )
    browser.getControl("Place order").click()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ōtsuka" in browser.contents
    assert "<script>alert(1)</script>" not in browser.contents


def test_cart_reports_vanished_products(shop_site, browser):
    add_to_cart(browser, shop_site["mug"])
    add_to_cart(browser, shop_site["tee"])
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(shop_site["tee"])
    transaction.commit()
    browser.open(shop_site.absolute_url() + "/@@cart")
    assert browser.contents.count("no longer available") == 1  # said once
    assert "Check out" not in browser.contents
    browser.getControl("Remove unavailable products").click()
    assert "no longer available" not in browser.contents
    assert "Check out" in browser.contents


def test_cart_refuses_mixed_currencies(shop_site, browser):
    add_to_cart(browser, shop_site["mug"])
    add_to_cart(browser, shop_site["book"])
    browser.open(shop_site.absolute_url() + "/@@cart")
    assert "more than one currency" in browser.contents
    assert "Check out" not in browser.contents


def test_cart_quantities_and_removal(shop_site, browser):
    add_to_cart(browser, shop_site["mug"])
    uid = shop_site["mug"].UID()
    browser.open(shop_site.absolute_url() + "/@@cart")
    browser.getControl(name=f"quantity.{uid}").value = "4"
    browser.getControl("Update quantities").click()
    assert "Cart (4)" in browser.contents and "€50.00" in browser.contents
    browser.getControl("Remove").click()
    assert "Your cart is empty." in browser.contents


@pytest.mark.parametrize("typed", ["", " ", "-3", "0", "two", "1.5"])
def test_a_quantity_that_is_no_count_adds_nothing_and_says_so(
    shop_site, browser, typed
):
    add_to_cart(browser, shop_site["mug"], typed)
    assert browser.headers["status"].startswith("200")
    assert "Enter a quantity of 1 or more." in browser.contents
    assert "Cart (0)" in browser.contents


def test_too_many_are_capped_and_said(shop_site, browser):
    add_to_cart(browser, shop_site["mug"], 5000)
    assert "Cart (999)" in browser.contents
    assert "At most 999 of one product fit in a cart." in browser.contents


def test_cart_quantities_typed_wrong_are_said_and_kept(shop_site, browser):
    add_to_cart(browser, shop_site["mug"], 2)
    add_to_cart(browser, shop_site["tee"], 3)
    mug, tee = shop_site["mug"].UID(), shop_site["tee"].UID()
    browser.open(shop_site.absolute_url() + "/@@cart")
    browser.getControl(name=f"quantity.{mug}").value = ""
    browser.getControl(name=f"quantity.{tee}").value = "5000"
    browser.getControl("Update quantities").click()
    assert browser.headers["status"].startswith("200")
    assert "A quantity is a whole number; 0 takes the product out." in browser.contents
    assert "At most 999 of one product fit in a cart." in browser.contents
    assert "Cart (1001)" in browser.contents  # the mug kept its 2

    browser.getControl(name=f"quantity.{tee}").value = "0"
    browser.getControl("Update quantities").click()
    assert "Cart (2)" in browser.contents  # 0 took the tee out


def test_tampered_cookie_is_an_empty_cart(shop_site, browser):
    browser.open(shop_site.absolute_url())
    browser.cookies[COOKIE] = '{"not-a-uid": 5, "x": "y"}'
    browser.open(shop_site.absolute_url() + "/@@cart")
    assert "Your cart is empty." in browser.contents


def test_cart_writes_nothing(shop_site, browser, functional):
    db = functional["zodbDB"]
    browser.open(shop_site.absolute_url() + "/@@cart")
    before = db.lastTransaction()
    add_to_cart(browser, shop_site["mug"], 3)
    browser.open(shop_site.absolute_url() + "/@@cart")
    assert db.lastTransaction() == before


def test_member_path(shop_site, browser):
    api.user.create(
        email="grace@example.org",
        username="grace",
        password="secret-password-1",
        properties={"fullname": "Grace Brewster Hopper"},
    )
    setRoles(shop_site, "grace", ["Member"])
    transaction.commit()
    browser.addHeader("Authorization", "Basic grace:secret-password-1")
    add_to_cart(browser, shop_site["mug"])
    browser.open(shop_site.absolute_url() + "/@@checkout")
    assert browser.getControl(name="form.widgets.first_name").value == "Grace Brewster"
    assert browser.getControl(name="form.widgets.last_name").value == "Hopper"
    assert browser.getControl(name="form.widgets.email").value == "grace@example.org"
    fill_checkout(
        browser,
        **{"First name": "Grace", "Surname": "Hopper", "E-mail": "grace@example.org"},
    )
    browser.getControl("Place order").click()
    (order,) = orders(shop_site)
    assert browser.url == order.absolute_url()
    assert order.buyer_id == "grace"
    assert "Pay with PayPal" in browser.contents


def test_empty_checkout_goes_to_cart(shop_site, browser):
    browser.open(shop_site.absolute_url() + "/@@checkout")
    fill_checkout(browser)
    browser.getControl("Place order").click()
    assert browser.url.endswith("/@@cart")
    assert orders(shop_site) == []


def test_add_to_cart_posted_without_its_form_token_changes_nothing(shop_site, browser):
    with pytest.raises(HTTPError):
        browser.post(shop_site["mug"].absolute_url() + "/@@add-to-cart", "quantity=1")
    browser.open(shop_site.absolute_url() + "/@@cart")
    assert "Your cart is empty." in browser.contents


def test_cart_reports_products_made_private(shop_site, browser):
    add_to_cart(browser, shop_site["tee"])
    for permission in ("View", "Access contents information"):
        shop_site["tee"].manage_permission(permission, ["Manager"], acquire=False)
    transaction.commit()
    browser.open(shop_site.absolute_url() + "/@@cart")
    assert "no longer available" in browser.contents


def test_checkout_without_csrf_token_refused(shop_site, browser):
    add_to_cart(browser, shop_site["mug"])
    browser.open(shop_site.absolute_url() + "/@@checkout")
    fill_checkout(browser)
    form = browser.getForm(id="form")
    fields = [
        (name, value)
        for name, value in form._form.submit_fields()
        if name != "_authenticator"
    ] + [("form.buttons.place", "Place order")]
    assert len(fields) < len(form._form.submit_fields()) + 1  # it had one
    with pytest.raises(HTTPError) as error:
        browser.post(form.action, urlencode(fields))
    assert error.value.code == 403
    assert orders(shop_site) == []


def test_terms_link_from_the_settings(shop_site, browser):
    api.portal.set_registry_record(
        "getpaid.orders.terms_url", "https://shop.example.org/terms"
    )
    transaction.commit()
    add_to_cart(browser, shop_site["mug"])
    browser.open(shop_site.absolute_url() + "/@@checkout")
    link = browser.getLink("Terms and conditions")
    assert link.url == "https://shop.example.org/terms"


def checkout_fields(shop_site, browser) -> tuple[str, list]:
    """The filled checkout form's action and fields, as a browser sends them."""
    add_to_cart(browser, shop_site["mug"])
    browser.open(shop_site.absolute_url() + "/@@checkout")
    fill_checkout(browser)
    form = browser.getForm(id="form")
    return form.action, form._form.submit_fields() + [
        ("form.buttons.place", "Place order")
    ]


@pytest.mark.parametrize("raw", ["%FF%FE", "%ED%A0%80"], ids=["latin", "surrogate"])
@pytest.mark.parametrize(
    "field, title",
    [
        ("first_name", "First name"),
        ("billing_city", "City"),
        ("phone", "Phone"),
        ("comment", "Customer's comment"),
    ],
)
def test_bytes_that_arent_utf8_are_a_field_error(
    shop_site, browser, inbox, field, title, raw
):
    action, fields = checkout_fields(shop_site, browser)
    name = f"form.widgets.{field}"
    body = "&".join(
        f"{key}={raw if key == name else quote_plus(value)}" for key, value in fields
    )
    browser.raiseHttpErrors = False
    browser.post(action, body)
    assert browser.headers["status"] == "200 OK"
    assert f"{title} contains a character that can't be printed." in browser.contents
    assert orders(shop_site) == []
    assert inbox.received == []


def test_a_checkout_key_in_bytes_that_arent_utf8_places_nothing(
    shop_site, browser, inbox
):
    action, fields = checkout_fields(shop_site, browser)
    name = "form.widgets.checkout_key"
    key = "a" * 24 + "%FF"  # long enough to be looked up
    body = "&".join(
        f"{k}={key if k == name else quote_plus(value)}" for k, value in fields
    )
    browser.raiseHttpErrors = False
    browser.post(action, body)
    assert browser.headers["status"] == "200 OK"
    assert orders(shop_site) == []
    assert inbox.received == []


def test_the_terms_error_names_the_terms(shop_site, browser):
    add_to_cart(browser, shop_site["mug"])
    browser.open(shop_site.absolute_url() + "/@@checkout")
    fill_checkout(browser)
    browser.getControl(name="form.widgets.accept_terms:list").value = []
    browser.getControl("Place order").click()
    summary = lxml.html.fromstring(browser.contents).cssselect(
        ".getpaid-error-summary li"
    )
    assert [item.text_content() for item in summary] == [
        "I accept the terms and conditions: Please accept the terms to place the order."
    ]
    assert orders(shop_site) == []
