"""orders/@@new-order: a shop manager takes a phone order in the back office."""

from plone import api
from plone.app.testing import setRoles
from plone.testing.zope import Browser

import lxml.html
import pytest
import re
import transaction


SAM = ("sam", "secret-pw-1234")


@pytest.fixture
def manager(shop_site, functional_app):
    """A browser logged in as Sam, a Shop Manager (not a site Manager)."""
    api.portal.set_registry_record("plone.available_languages", ["en", "de"])
    api.user.create(email="sam@example.org", username=SAM[0], password=SAM[1])
    setRoles(shop_site, SAM[0], ["Member", "Shop Manager"])
    transaction.commit()
    browser = Browser(functional_app)
    browser.handleErrors = True
    browser.addHeader("Authorization", "Basic {}:{}".format(*SAM))
    return browser


def orders(shop_site) -> list:
    transaction.begin()  # see what the server committed
    return list(shop_site["orders"].objectValues())


def fill(browser, shop_site, **changes):
    values = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "phone": "+49 30 123456",
        "billing_street": "Unter den Linden 1",
        "billing_postal_code": "10117",
        "billing_city": "Berlin",
        "comment": "Ordered by phone.",
        "quantity_1": "2",
        "quantity_2": "1",
    }
    values.update(changes)
    browser.getControl(name="form.widgets.product_1:list").value = [
        shop_site["mug"].UID()
    ]
    browser.getControl(name="form.widgets.product_2:list").value = [
        shop_site["tee"].UID()
    ]
    browser.getControl(name="form.widgets.billing_country:list").value = ["DE"]
    for name, value in values.items():
        browser.getControl(name=f"form.widgets.{name}").value = value


def test_new_order_from_the_listing(shop_site, manager, inbox):
    manager.open(shop_site["orders"].absolute_url())
    manager.getLink("New order").click()
    assert manager.url.endswith("/orders/@@new-order")
    legends = lxml.html.fromstring(manager.contents).xpath("//form//legend")
    assert [legend.text_content().strip() for legend in legends] == [
        "Products",
        "Customer",
        "Billing address",
        "Shipping address",
    ]
    # The site's language unless staff choose another.
    assert manager.getControl(name="form.widgets.language:list").value == ["en"]
    fill(manager, shop_site)
    manager.getControl(name="form.widgets.language:list").value = ["de"]
    manager.getControl("Save order").click()

    (order,) = orders(shop_site)
    assert manager.url == order.absolute_url()
    assert f"Order {order.number} has been created" in manager.contents
    assert [(line.snapshot.title, line.quantity) for line in order.lines] == [
        ("Mug", 2),
        ("Tee", 1),
    ]
    assert str(order.total) == "50.00"
    assert (order.email, order.customer_language, order.buyer_id) == (
        "ada@example.org",
        "de",
        None,
    )
    (placed,) = order.history
    assert (placed.action, placed.source, placed.actor) == ("place", "manager", "sam")
    # The order's page says so: who, and that it was the shop.
    page = lxml.html.fromstring(manager.contents)
    history = " ".join(page.xpath("//table//td/text()"))
    assert "sam (shop staff)" in history

    mails = {tuple(to): mail for _, to, mail in inbox.wait_for(2)}
    confirmation = mails[("ada@example.org",)]
    assert confirmation["Subject"].startswith(f"Ihre Bestellung {order.number}")
    text = confirmation.get_body(("plain",)).get_content()
    link = re.search(r"\S+/@@order-status/\S+", text).group(0)
    customer = Browser(shop_site.aq_parent)
    customer.open(link)
    assert lxml.html.fromstring(customer.contents).cssselect(
        "form.getpaid-pay-paypal_standard"
    )


def test_a_member_can_be_given_the_order(shop_site, manager, inbox):
    api.user.create(email="g@example.org", username="grace", password="secret-pw-12")
    transaction.commit()
    manager.open(shop_site["orders"].absolute_url() + "/@@new-order")
    fill(manager, shop_site, buyer_id="grace")
    manager.getControl("Save order").click()
    (order,) = orders(shop_site)
    assert order.buyer_id == "grace"


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"first_name": ""}, "First name"),
        ({"email": "not-an-address"}, "E-mail"),
        ({"quantity_1": "0"}, "Quantity"),
        ({"quantity_1": "two"}, "Quantity"),
        ({"buyer_id": "nobody-here"}, "There is no member"),
        ({"billing_city": ""}, "City"),
    ],
)
def test_bad_input_shows_errors_and_places_nothing(
    shop_site, manager, inbox, changes, error
):
    manager.open(shop_site["orders"].absolute_url() + "/@@new-order")
    fill(manager, shop_site, **changes)
    manager.getControl("Save order").click()
    assert manager.url.endswith("/@@new-order")
    page = lxml.html.fromstring(manager.contents)
    assert page.cssselect("[aria-invalid=true]"), manager.contents
    assert error in page.text_content()
    assert orders(shop_site) == []
    assert inbox.wait_for(1, timeout=0.5) == []


def test_no_product_places_nothing(shop_site, manager, inbox):
    manager.open(shop_site["orders"].absolute_url() + "/@@new-order")
    fill(manager, shop_site)
    manager.getControl(name="form.widgets.product_1:list").value = ["--NOVALUE--"]
    manager.getControl(name="form.widgets.product_2:list").value = ["--NOVALUE--"]
    manager.getControl("Save order").click()
    assert manager.url.endswith("/@@new-order")
    assert orders(shop_site) == []


def test_products_in_two_currencies_place_nothing(shop_site, manager, inbox):
    manager.open(shop_site["orders"].absolute_url() + "/@@new-order")
    fill(manager, shop_site)
    manager.getControl(name="form.widgets.product_2:list").value = [
        shop_site["book"].UID()
    ]
    manager.getControl("Save order").click()
    assert "can't mix currencies" in manager.contents
    assert orders(shop_site) == []


def test_saving_twice_places_one_order(shop_site, manager, inbox):
    manager.open(shop_site["orders"].absolute_url() + "/@@new-order")
    fill(manager, shop_site)
    manager.getControl("Save order").click()
    (order,) = orders(shop_site)
    manager.goBack()
    manager.getControl("Save order").click()
    assert manager.url == order.absolute_url()
    assert [o.number for o in orders(shop_site)] == [order.number]


@pytest.mark.parametrize("who", [None, ("grace", "secret-pw-12")])
def test_anonymous_and_members_may_not(shop_site, functional_app, who):
    api.user.create(email="g@example.org", username="grace", password="secret-pw-12")
    setRoles(shop_site, "grace", ["Member"])
    transaction.commit()
    browser = Browser(functional_app)
    browser.raiseHttpErrors = False
    if who:
        browser.addHeader("Authorization", "Basic {}:{}".format(*who))
    browser.open(shop_site["orders"].absolute_url() + "/@@new-order")
    refused = "/login?" if who is None else "/insufficient-privileges"
    assert refused in browser.url
    assert "form.widgets.first_name" not in browser.contents
    assert orders(shop_site) == []
