"""A shop manager in a real browser: listing, filter, sort, edit, deliver, CSV."""

from e2e_helpers import log_in
from e2e_helpers import screenshot
from getpaid.orders import api as shop
from playwright.sync_api import expect
from plone import api
from plone.app.testing import setRoles

import csv
import io
import transaction


def customer_named(customer, first_name: str, email: str):
    from dataclasses import replace

    return replace(customer, first_name=first_name, email=email)


def test_shop_manager_works_through_the_orders(paying_shop, new_page, customer):
    api.user.create(
        username="manager",
        email="manager@example.org",
        password="manager-secret-password",
    )
    setRoles(paying_shop, "manager", ["Member", "Shop Manager"])
    mug, tee = paying_shop["mug"], paying_shop["tee"]
    paid = shop.checkout(
        [(mug, 1), (tee, 2)], customer_named(customer, "Paula", "paula@example.org")
    ).order
    shop.mark_paid(paid)
    small = shop.checkout(
        [(mug, 1)], customer_named(customer, "Sam", "sam@example.org")
    ).order
    large = shop.checkout(
        [(tee, 5)], customer_named(customer, "Lara", "lara@example.org")
    ).order
    transaction.commit()
    portal_url = paying_shop.absolute_url()

    page = new_page(accept_downloads=True)
    log_in(page, portal_url, "manager", "manager-secret-password")
    page.goto(f"{portal_url}/orders")
    rows = page.locator("table.getpaid-orders tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator(".getpaid-count[data-state=paid]")).to_have_text("1")
    expect(page.locator(".getpaid-count[data-state=created]")).to_have_text("2")
    screenshot(page, "listing")

    # Filter: paid orders only.
    page.check("input[name='review_state:list'][value=paid]")
    page.click("form.getpaid-orders-search button[type=submit]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(paid.number)
    page.uncheck("input[name='review_state:list'][value=paid]")

    # Search and sort: "mug" finds two orders; by total, cheapest first.
    page.fill("form.getpaid-orders-search input[name=SearchableText]", "mug")
    page.click("form.getpaid-orders-search button[type=submit]")
    expect(rows).to_have_count(2)
    page.click("table.getpaid-orders th a:text-is('Total')")
    page.click("table.getpaid-orders th a:text-is('Total')")  # again: ascending
    expect(rows.first).to_contain_text(small.number)
    expect(rows.nth(1)).to_contain_text(paid.number)

    # CSV of the current result: one row per line item.
    with page.expect_download() as download:
        page.click("a.getpaid-csv")
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, for spreadsheets
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert sorted(row[0] for row in table[1:]) == sorted(
        [paid.number, paid.number, small.number]
    )

    # Edit the unpaid large order: fewer tees, a mug added, total recalculated.
    page.goto(f"{large.absolute_url()}/@@edit-order")
    page.fill(f"input[name='quantity.{tee.UID()}']", "2")
    page.select_option("select[name=add_product]", mug.UID())
    page.fill("input[name=add_quantity]", "2")
    page.fill("textarea[name=message]", "Two tees left in stock, sorry.")
    screenshot(page, "editor")
    page.click("button[name=save]")
    expect(page.locator(".portalMessage", has_text="Order saved")).to_be_visible()
    expect(page.locator(".getpaid-order-total")).to_contain_text("75.00")

    # Deliver the paid order with a tracking number.
    page.goto(paid.absolute_url())
    page.fill("#getpaid-fulfil-message", "Parcel 1Z999 on its way")
    page.click("form.getpaid-fulfil button[value=deliver]")
    expect(page.locator(".getpaid-order-state")).to_contain_text("Delivered")
    expect(page.locator(".getpaid-order-message")).to_contain_text("Parcel 1Z999")

    transaction.begin()
    assert api.content.get_state(paid) == "delivered"
    assert str(large.total) == "75.00"
    assert [(line.snapshot.name, line.quantity) for line in large.lines] == [
        ("tee", 2),
        ("mug", 2),
    ]
