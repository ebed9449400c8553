"""Anonymous buyers in a real browser: pay now, or pay later from the mail."""

from e2e_helpers import accessibility_violations
from e2e_helpers import link_in
from e2e_helpers import mails_to
from e2e_helpers import screenshot
from playwright.sync_api import expect

import re


BUYER = {
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@example.org",
    "billing_street": "1 Navy Yard",
    "billing_postal_code": "20374",
    "billing_city": "Washington",
}


def add_to_cart(page, product_url: str, quantity: int) -> None:
    page.goto(product_url)
    page.fill("#getpaid-quantity", str(quantity))
    page.click("form.getpaid-add-to-cart button[type=submit]")
    expect(page.locator(".portalMessage").first).to_be_visible()


def fill_checkout(page, fields: dict) -> None:
    for name, value in fields.items():
        page.fill(f"#form-widgets-{name}", value)


def place_order(page, portal_url: str) -> str:
    """Cart → checkout (with mistakes, then right) → the order page; its number."""
    page.goto(f"{portal_url}/@@cart")
    page.click("a.getpaid-to-checkout")
    page.click("#form-buttons-place")  # nothing filled in yet
    errors = page.locator("#content .invalid-feedback, #content .error")
    expect(errors.first).to_be_visible()
    fill_checkout(page, {**BUYER, "email": "grace-at-example.org"})
    page.select_option("#form-widgets-billing_country", "US")
    page.check("#form-widgets-accept_terms-0")
    page.click("#form-buttons-place")
    expect(page.locator("#formfield-form-widgets-email")).to_contain_text("e-mail")
    screenshot(page, "checkout-errors")
    page.fill("#form-widgets-email", BUYER["email"])
    page.click("#form-buttons-place")
    created = page.locator(".portalMessage", has_text="has been created")
    expect(created).to_be_visible()
    return re.search(r"Order (\S+)", page.locator("h1").inner_text()).group(1)


def wait_until_paid(page, portal_url: str) -> None:
    """Back from the simulator, reload until the IPN has landed (on its own time)."""
    page.wait_for_url(re.compile(re.escape(portal_url)))
    for _ in range(50):
        if "Paid" in page.locator(".getpaid-order-state").inner_text():
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(page.locator(".getpaid-order-state")).to_contain_text("Paid")


def test_anonymous_buyer_pays_and_shares(paying_shop, new_page, inbox):
    portal_url = paying_shop.absolute_url()
    page = new_page()
    add_to_cart(page, f"{portal_url}/mug", 2)
    add_to_cart(page, f"{portal_url}/tee", 1)
    expect(page.locator("body")).to_contain_text("Cart (3)")  # 2 mugs, 1 tee
    page.goto(f"{portal_url}/@@cart")
    expect(page.locator(".getpaid-cart-total")).to_contain_text("50.00")
    screenshot(page, "cart")

    number = place_order(page, portal_url)
    order_url = page.url
    assert "/@@order-status/" in order_url
    expect(page.locator(".getpaid-order-total")).to_contain_text("50.00")
    screenshot(page, "order-created")
    page.goto(f"{portal_url}/@@cart")
    expect(page.locator(".getpaid-cart-empty")).to_be_visible()  # the cart is gone

    page.goto(order_url)
    page.click("form.getpaid-pay-paypal_standard button")
    expect(page.locator("h1")).to_have_text("PayPal simulator")
    expect(page.locator("body")).to_contain_text(f"Invoice {number}")
    screenshot(page, "paypal-simulator")
    page.click("button[name=pay]")
    wait_until_paid(page, portal_url)
    screenshot(page, "order-paid")

    # The owner link in the confirmation mail opens the order in any browser.
    (confirmation, *_) = mails_to(inbox, BUYER["email"])
    owner_link = link_in(confirmation, "@@order-status/")
    phone = new_page()
    phone.goto(owner_link)
    expect(phone.locator("h1")).to_contain_text(number)
    expect(phone.locator(".getpaid-order-state")).to_contain_text("Paid")
    phone.click("section.getpaid-share form:not(:has(.btn-link)) button")
    share_url = phone.locator(".getpaid-new-share code").inner_text()

    # The gift's recipient sees what and where, never who or how much.
    recipient = new_page()
    recipient.goto(share_url)
    expect(recipient.locator("#content")).to_contain_text("Mug")
    content = recipient.locator("#content").inner_text()
    for private in ("Grace", "Hopper", BUYER["email"], "Navy Yard", "50.00", "12.50"):
        assert private not in content
    expect(recipient.locator("form")).to_have_count(
        recipient.locator("#portal-searchbox form, #portal-header form").count()
    )
    screenshot(recipient, "share-link")
    assert accessibility_violations(recipient) == []


def test_buyer_pays_later_from_the_mail(paying_shop, new_page, inbox):
    portal_url = paying_shop.absolute_url()
    page = new_page()
    add_to_cart(page, f"{portal_url}/mug", 1)
    number = place_order(page, portal_url)
    page.context.close()  # the buyer leaves without paying

    (confirmation, *_) = mails_to(inbox, BUYER["email"])
    assert number in confirmation["Subject"]
    later = new_page()  # days later, another browser
    later.goto(link_in(confirmation, "@@order-status/"))
    expect(later.locator(".getpaid-order-state")).to_contain_text("Created")
    later.click("form.getpaid-pay-paypal_standard button")
    later.click("button[name=pay]")
    wait_until_paid(later, portal_url)
