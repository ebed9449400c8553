"""Accessibility basics of the customer pages, audited in the browser.

axe-core (WCAG 2.1 A and AA rules) runs on what getpaid.orders renders;
keyboard order and the announced error summary are checked by hand.
"""

from e2e_helpers import accessibility_violations
from getpaid.orders import api as shop
from playwright.sync_api import expect
from test_e2e_buyer import add_to_cart

import pytest
import transaction


@pytest.fixture
def placed(paying_shop, customer):
    placed = shop.checkout([(paying_shop["mug"], 2)], customer)
    transaction.commit()
    return placed


def test_customer_pages_pass_the_audit(paying_shop, new_page, placed):
    portal_url = paying_shop.absolute_url()
    page = new_page()
    add_to_cart(page, f"{portal_url}/mug", 1)
    pages = {
        "product": f"{portal_url}/mug",
        "cart": f"{portal_url}/@@cart",
        "checkout": f"{portal_url}/@@checkout",
        "order": f"{portal_url}/@@order-status/{placed.owner_token}",
        "lost link": f"{portal_url}/@@order-lookup",
    }
    found = {}
    for name, url in pages.items():
        page.goto(url)
        found[name] = accessibility_violations(page)
    page.goto(f"{portal_url}/@@checkout")
    page.click("#form-buttons-place")
    found["checkout with errors"] = accessibility_violations(page)
    assert found == {name: [] for name in found}


def test_checkout_errors_are_announced_and_linked(paying_shop, new_page):
    portal_url = paying_shop.absolute_url()
    page = new_page()
    add_to_cart(page, f"{portal_url}/mug", 1)
    page.goto(f"{portal_url}/@@checkout")
    page.click("#form-buttons-place")
    summary = page.locator("#content [role=alert]").first
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("First name")
    # Each error names its field, and each invalid field says so.
    first_name = page.locator("#form-widgets-first_name")
    expect(first_name).to_have_attribute("aria-invalid", "true")
    described = first_name.get_attribute("aria-describedby")
    assert described and page.locator(f"#{described}").is_visible()
    # The summary's links lead to the fields.
    summary.locator("a", has_text="First name").click()
    expect(first_name).to_be_focused()


def test_checkout_keyboard_order_follows_the_form(paying_shop, new_page):
    portal_url = paying_shop.absolute_url()
    page = new_page()
    add_to_cart(page, f"{portal_url}/mug", 1)
    page.goto(f"{portal_url}/@@checkout")
    page.focus("#form-widgets-first_name")
    visited = [page.evaluate("document.activeElement.id")]
    for _ in range(8):
        page.keyboard.press("Tab")
        visited.append(page.evaluate("document.activeElement.id"))
    assert visited == [
        "form-widgets-first_name",
        "form-widgets-last_name",
        "form-widgets-email",
        "form-widgets-phone",
        "form-widgets-billing_street",
        "form-widgets-billing_postal_code",
        "form-widgets-billing_city",
        "form-widgets-billing_country",
        "form-widgets-billing_region",
    ]
