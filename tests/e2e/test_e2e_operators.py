"""What shop operators do in a real browser: take a phone order, remind a
customer to pay, anonymise a customer's data on request, export the orders
for the accounts. Each journey checks the customer's side too (their mail,
its link), and the new pages pass the accessibility audit."""

from datetime import datetime
from datetime import UTC
from decimal import Decimal
from e2e_helpers import accessibility_violations
from e2e_helpers import link_in
from e2e_helpers import log_in
from e2e_helpers import mails_to
from e2e_helpers import plain_text
from e2e_helpers import screenshot
from getpaid.orders import api as shop
from getpaid.orders.api.erasure import anonymise
from getpaid.orders.api.export import columns
from getpaid.orders.api.export import ORDERS
from getpaid.orders.api.payments import PAYMENT
from getpaid.orders.mail.sending import shop_name
from getpaid.orders.workflow import SOURCE_MANAGER
from getpaid.orders.workflow import SOURCE_PROVIDER
from playwright.sync_api import expect
from plone import api
from plone.app.testing import setRoles

import csv
import io
import pytest
import time
import transaction


MANAGER = ("manager", "manager-secret-password")


@pytest.fixture
def operator(paying_shop, new_page):
    """A page logged in as a Shop Manager (not a site Manager) of a shop
    that speaks English and German."""
    api.portal.set_registry_record("plone.available_languages", ["en", "de"])
    api.user.create(
        username=MANAGER[0], email="manager@example.org", password=MANAGER[1]
    )
    setRoles(paying_shop, MANAGER[0], ["Member", "Shop Manager"])
    transaction.commit()
    page = new_page(accept_downloads=True)
    log_in(page, paying_shop.absolute_url(), *MANAGER)
    return page


def orders(shop_site) -> list:
    transaction.begin()  # see what the server committed
    return list(shop_site["orders"].objectValues())


def test_a_phone_order_is_taken_mailed_in_german_and_payable(
    paying_shop, operator, new_page, inbox
):
    page = operator
    mug, tee = paying_shop["mug"], paying_shop["tee"]
    page.goto(f"{paying_shop.absolute_url()}/orders")
    page.click("a.getpaid-new-order")
    expect(page).to_have_url(f"{paying_shop.absolute_url()}/orders/@@new-order")
    # The site's language unless staff choose another.
    expect(page.locator("#form-widgets-language")).to_have_value("en")
    page.select_option("#form-widgets-product_1", mug.UID())
    page.fill("#form-widgets-quantity_1", "2")
    page.select_option("#form-widgets-product_2", tee.UID())
    page.fill("#form-widgets-quantity_2", "1")
    page.fill("#form-widgets-first_name", "Greta")
    page.fill("#form-widgets-last_name", "Müller")
    page.fill("#form-widgets-email", "greta at example.org")
    page.fill("#form-widgets-phone", "+49 30 123456")
    page.select_option("#form-widgets-language", "de")
    page.fill("#form-widgets-comment", "Ordered by phone.")
    page.fill("#form-widgets-billing_street", "Unter den Linden 1")
    page.fill("#form-widgets-billing_postal_code", "10117")
    page.fill("#form-widgets-billing_city", "Berlin")
    page.select_option("#form-widgets-billing_country", "DE")
    # A mistake: the form says so, keeps what was typed, places nothing.
    page.click("#form-buttons-save")
    email = page.locator("#form-widgets-email")
    expect(email).to_have_attribute("aria-invalid", "true")
    assert accessibility_violations(page) == []
    assert orders(paying_shop) == []
    expect(page.locator("#form-widgets-last_name")).to_have_value("Müller")
    email.fill("greta@example.org")
    screenshot(page, "staff-new-order")
    assert accessibility_violations(page) == []
    page.click("#form-buttons-save")

    (order,) = orders(paying_shop)
    expect(page).to_have_url(order.absolute_url())
    expect(
        page.locator(
            ".portalMessage", has_text=f"Order {order.number} has been created"
        )
    ).to_be_visible()
    expect(page.locator(".getpaid-order-state")).to_contain_text("Created")
    expect(page.locator(".getpaid-order-total")).to_contain_text("50.00")
    expect(page.locator(".getpaid-history")).to_contain_text("manager (shop staff)")
    screenshot(page, "staff-order-created")
    assert [(line.snapshot.title, line.quantity) for line in order.lines] == [
        ("Mug", 2),
        ("Tee", 1),
    ]
    assert order.customer_language == "de"

    (mail,) = mails_to(inbox, "greta@example.org")
    assert mail["Subject"].startswith(f"Ihre Bestellung {order.number}")
    assert "Guten Tag Greta Müller" in plain_text(mail)
    customer_page = new_page()
    customer_page.goto(link_in(mail, "@@order-status/"))
    expect(customer_page.locator(".getpaid-order-state")).to_contain_text("Created")
    expect(
        customer_page.locator("form.getpaid-pay-paypal_standard button[type=submit]")
    ).to_be_visible()


def test_staff_remind_a_customer_who_has_not_paid(
    paying_shop, operator, new_page, customer, inbox
):
    page = operator
    with api.env.adopt_user(username=MANAGER[0]):  # taken by phone earlier
        placed = shop.enter_order([(paying_shop["mug"], 1)], customer, language="de")
    transaction.commit()
    order = placed.order
    mails_to(inbox, customer.email)  # the confirmation: out of the way

    page.goto(order.absolute_url())
    page.click("form.getpaid-send-reminder button[type=submit]")
    expect(
        page.locator(".portalMessage", has_text="The customer gets a reminder to pay")
    ).to_be_visible()
    expect(page.locator(".getpaid-reminded")).to_contain_text(
        "Reminders sent so far: 1"
    )
    screenshot(page, "staff-reminder-sent")

    reminder = mails_to(inbox, customer.email, count=2)[1]
    assert reminder["Subject"] == (
        f"Ihre Bestellung {order.number} bei {shop_name()} wartet auf die Zahlung"
    )
    assert "Ihre Bestellung bezahlen" in plain_text(reminder)  # German, as ordered
    customer_page = new_page()
    customer_page.goto(link_in(reminder, "@@order-status/"))
    expect(customer_page.locator(".getpaid-order-state")).to_contain_text("Created")
    expect(
        customer_page.locator("form.getpaid-pay-paypal_standard button[type=submit]")
    ).to_be_visible()

    page.goto(f"{paying_shop.absolute_url()}/orders")
    row = page.locator("table.getpaid-orders tbody tr", has_text=order.number)
    expect(row.locator(".getpaid-reminded")).to_have_text("Reminded once")
    transaction.begin()
    assert [entry.action for entry in order.history][-1] == "reminder"


def test_staff_anonymise_a_canceled_order_on_request(
    paying_shop, operator, customer, inbox
):
    page = operator
    placed = shop.checkout([(paying_shop["mug"], 1)], customer)
    with api.env.adopt_user(username=MANAGER[0]):
        shop.cancel_order(placed.order, source=SOURCE_MANAGER)
    transaction.commit()
    order = placed.order
    portal_url = paying_shop.absolute_url()

    # Before: the listing's search finds the order by the customer's e-mail.
    page.goto(f"{portal_url}/orders")
    rows = page.locator("table.getpaid-orders tbody tr")
    search(page, "ada@example.org")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(order.number)

    page.goto(order.absolute_url())
    expect(page.locator("#content")).to_contain_text("Lovelace")
    page.click("a.getpaid-anonymise-link")
    expect(page).to_have_url(f"{order.absolute_url()}/@@anonymise")
    screenshot(page, "staff-anonymise")
    assert accessibility_violations(page) == []

    # Not without the tick: nothing erased.
    page.click("form.getpaid-anonymise button[type=submit]")
    expect(page.locator(".getpaid-anonymise-error")).to_contain_text("Tick the box")
    assert accessibility_violations(page) == []
    transaction.begin()
    assert (order.email, order.anonymised) == ("ada@example.org", None)

    page.check("#getpaid-anonymise-confirm")
    page.click("form.getpaid-anonymise button[type=submit]")
    expect(page).to_have_url(order.absolute_url())
    expect(
        page.locator(".portalMessage", has_text=f"Order {order.number} is anonymised")
    ).to_be_visible()
    content = page.locator("#content")
    expect(content).to_contain_text(order.number)
    expect(content).to_contain_text("Mug")
    for erased in ("Lovelace", "Ada", "ada@example.org", "7946", "St James"):
        expect(content).not_to_contain_text(erased)
    expect(page.locator("a.getpaid-anonymise-link")).to_have_count(0)
    screenshot(page, "staff-anonymised")

    # The listing's search no longer finds it by the old e-mail or name;
    # by its number it does.
    page.goto(f"{portal_url}/orders")
    for text, found in (("ada@example.org", 0), ("Lovelace", 0), (order.number, 1)):
        search(page, text)
        expect(rows).to_have_count(found)


def search(page, text: str) -> None:
    page.fill("#getpaid-search-text", text)
    page.click("form.getpaid-orders-search button[type=submit]")


def paid_by_paypal(order, amount: str) -> None:
    payment = shop.record_payment(
        order,
        provider="paypal",
        txn_id="8MC585209K746392H",
        status="Completed",
        amount=Decimal(amount),
        currency=order.currency,
        kind=PAYMENT,
    )
    shop.apply_payment(order, payment, source=SOURCE_PROVIDER, label="PayPal 8MC58")


def per_order_csv(page) -> tuple[list, list]:
    """Download the listing's CSV as one row per order: its header, its rows.

    The listing offers no choice of rows: the per-order file is its link
    with ``rows=orders`` (docs/export.rst)."""
    link = page.locator("a.getpaid-csv")
    link.evaluate("(a) => { a.href += '&rows=orders'; }")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "orders.csv"
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, for spreadsheets
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    return header, rows


def test_staff_export_one_row_per_order_from_the_listing(
    paying_shop, operator, customer, inbox
):
    page = operator
    paid = shop.checkout([(paying_shop["mug"], 2), (paying_shop["tee"], 1)], customer)
    paid_by_paypal(paid.order, "50.00")
    other = shop.checkout([(paying_shop["tee"], 1)], customer)
    transaction.commit()
    today = datetime.now(UTC).date().isoformat()  # the file's days are UTC

    page.goto(f"{paying_shop.absolute_url()}/orders")
    page.fill("#getpaid-created-min", today)
    page.fill("#getpaid-created-max", today)
    page.check("input[name='review_state:list'][value=paid]")
    page.click("form.getpaid-orders-search button[type=submit]")
    href = page.locator("a.getpaid-csv").get_attribute("href")
    assert f"from={today}" in href and f"to={today}" in href
    header, rows = per_order_csv(page)
    # The documented order columns (docs/export.rst), no line columns.
    assert header[:8] == [
        "order",
        "created",
        "state",
        "currency",
        "order total",
        "paid",
        "refunded",
        "remaining",
    ]
    assert header == [column.header for column in columns(ORDERS)]
    assert "product" not in header
    (row,) = rows  # the paid order's; the other is not paid
    cells = dict(zip(header, row, strict=True))
    assert cells["order"] == paid.order.number != other.order.number
    assert (cells["state"], cells["currency"]) == ("paid", "EUR")
    assert (cells["order total"], cells["paid"], cells["remaining"]) == (
        "50.00",
        "50.00",
        "50.00",
    )
    assert cells["payments"] == "8MC585209K746392H"
    assert (cells["first name"], cells["surname"], cells["e-mail"]) == (
        "Ada",
        "Lovelace",
        "ada@example.org",
    )
    assert cells["created"].startswith(today)


def test_exported_amounts_have_the_minor_unit_also_when_nothing_was_paid(
    paying_shop, operator, customer, inbox
):
    page = operator
    unpaid = shop.checkout([(paying_shop["mug"], 1)], customer).order
    transaction.commit()
    page.goto(f"{paying_shop.absolute_url()}/orders")
    header, (row,) = per_order_csv(page)
    cells = dict(zip(header, row, strict=True))
    assert cells["order"] == unpaid.number
    amounts = ("order total", "paid", "refunded", "remaining")
    assert [cells[name] for name in amounts] == ["12.50", "0.00", "0.00", "0.00"]


def test_no_new_link_reaches_an_anonymised_order(
    paying_shop, operator, customer, inbox
):
    page = operator
    placed = shop.checkout([(paying_shop["mug"], 1)], customer)
    with api.env.adopt_roles(["Shop Manager"]):
        shop.cancel_order(placed.order, source=SOURCE_MANAGER)
    anonymise(placed.order, source=SOURCE_MANAGER, reason="Asked by phone.")
    transaction.commit()
    mails_to(inbox, customer.email, count=2)  # the confirmation, the cancel
    sent = len(inbox.received)
    page.goto(placed.order.absolute_url())
    replace = page.locator("form.getpaid-reissue-links button[type=submit]")
    if replace.count():
        replace.click()
    time.sleep(2)  # mails go after commit, from another thread
    new_mails = [message for _, _, message in inbox.received[sent:]]
    links = [
        (mail["To"], mail["Subject"])
        for mail in new_mails
        if "@@order-status/" in plain_text(mail)
    ]
    assert links == []  # no link mailed for an order nobody can be mailed about
