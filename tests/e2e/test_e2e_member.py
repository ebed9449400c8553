"""A member in a real browser: checkout prefilled, then "My orders"."""

from e2e_helpers import log_in
from e2e_helpers import screenshot
from getpaid.orders import api as shop
from playwright.sync_api import expect
from plone import api
from test_e2e_buyer import add_to_cart

import transaction


def test_member_checks_out_and_finds_the_order_in_my_orders(
    paying_shop, new_page, customer
):
    for username, email in (("ada", "ada@example.org"), ("eve", "eve@example.org")):
        api.user.create(
            username=username,
            email=email,
            password=f"{username}-secret-password",
            properties={"fullname": username.title() + " Member"},
        )
    others = shop.checkout([(paying_shop["tee"], 4)], customer, buyer_id="eve").order
    transaction.commit()
    portal_url = paying_shop.absolute_url()

    page = new_page()
    log_in(page, portal_url, "ada", "ada-secret-password")
    add_to_cart(page, f"{portal_url}/mug", 3)
    page.goto(f"{portal_url}/@@checkout")
    expect(page.locator("#form-widgets-email")).to_have_value("ada@example.org")
    page.fill("#form-widgets-first_name", "Ada")
    page.fill("#form-widgets-last_name", "Lovelace")
    page.fill("#form-widgets-billing_street", "12 St James's Square")
    page.fill("#form-widgets-billing_postal_code", "SW1Y 4JH")
    page.fill("#form-widgets-billing_city", "London")
    page.select_option("#form-widgets-billing_country", "GB")
    page.check("#form-widgets-accept_terms-0")
    page.click("#form-buttons-place")
    expect(page.locator(".portalMessage", has_text="has been created")).to_be_visible()
    number = page.locator("h1").inner_text().split()[-1]
    assert "/orders/" in page.url  # the member's own order, not a secret link

    page.click("#portal-personaltools a, #personaltools-menulink", strict=False)
    page.click("text=My orders")
    listing = page.locator("#content")
    expect(listing).to_contain_text(number)
    expect(listing).not_to_contain_text(others.number)
    screenshot(page, "my-orders")
    page.click(f"text={number}")
    expect(page.locator(".getpaid-order-total")).to_contain_text("37.50")

    # Another member's order is not theirs to open.
    page.goto(others.absolute_url())
    assert page.url.endswith("/insufficient-privileges")  # Plone's own refusal
    expect(page.locator("#content")).not_to_contain_text("Tee")
    transaction.begin()
    assert api.content.get_state(others) == "created"
    assert shop.get_order(number).buyer_id == "ada"
