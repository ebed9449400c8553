"""Staff's notes in a real browser: a shop manager adds one for the customer
and an internal one; the customer's page shows theirs only, and the mail
brings it."""

from e2e_helpers import accessibility_violations
from e2e_helpers import log_in
from e2e_helpers import mails_to
from e2e_helpers import plain_text
from e2e_helpers import screenshot
from getpaid.orders import api as shop
from playwright.sync_api import expect
from plone import api
from plone.app.testing import setRoles

import transaction


def test_a_manager_writes_notes_and_the_customer_reads_theirs(
    paying_shop, new_page, customer, inbox
):
    api.user.create(
        username="manager",
        email="manager@example.org",
        password="manager-secret-password",
    )
    setRoles(paying_shop, "manager", ["Member", "Shop Manager"])
    placed = shop.checkout([(paying_shop["mug"], 1)], customer)
    transaction.commit()
    portal_url = paying_shop.absolute_url()

    page = new_page()
    log_in(page, portal_url, "manager", "manager-secret-password")
    page.goto(placed.order.absolute_url())
    page.fill("#getpaid-note-text", "Your mug ships on Monday.")
    page.check("#getpaid-note-for-customer")
    page.click("form.getpaid-add-note button[type=submit]")
    expect(page.locator(".portalMessage", has_text="Note added")).to_be_visible()
    page.fill("#getpaid-note-text", "Asked by phone to wrap it.")
    page.click("form.getpaid-add-note button[type=submit]")
    expect(page.locator(".getpaid-note")).to_have_count(2)
    expect(page.locator(".getpaid-note-internal")).to_contain_text("wrap it")
    page.locator("#notes").scroll_into_view_if_needed()
    screenshot(page, "order-notes")
    assert accessibility_violations(page) == []

    (mail,) = mails_to(inbox, "ada@example.org", count=2)[1:]  # after the order's
    assert "Your mug ships on Monday." in plain_text(mail)
    assert "wrap it" not in plain_text(mail)

    customer_page = new_page()
    customer_page.goto(f"{portal_url}/@@order-status/{placed.owner_token}")
    expect(customer_page.locator(".getpaid-note")).to_have_count(1)
    expect(customer_page.locator(".getpaid-notes")).to_contain_text("ships on Monday")
    expect(customer_page.locator("form.getpaid-add-note")).to_have_count(0)
    assert accessibility_violations(customer_page) == []
