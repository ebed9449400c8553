"""PayPal Checkout in a real browser, against the REST simulator: a buyer
pays (and is declined first), a shop manager refunds."""

from decimal import Decimal
from e2e_helpers import log_in
from e2e_helpers import screenshot
from flow_fixtures import back_to_shop
from flow_fixtures import on_paypal as approve_at_paypal
from flow_fixtures import place
from flow_fixtures import press_pay
from getpaid.orders import api as shop
from getpaid.orders.api.attempts import attempts_of
from playwright.sync_api import expect
from plone import api
from plone.app.testing import setRoles
from test_e2e_buyer import add_to_cart
from test_e2e_buyer import place_order

import re
import requests
import transaction


PAY = "form.getpaid-pay-paypal_checkout button"


def order_of(site, number: str):
    """Our order ``number``, as committed now."""
    transaction.begin()
    return shop.get_order(number)


def on_paypal(page, checkout_shop, number: str, total: str) -> None:
    """The payer is on the simulator's page for our order ``number``."""
    expect(page.locator("h1")).to_have_text("PayPal simulator")
    assert page.url.startswith(f"{checkout_shop.base}/checkoutnow?token=")
    expect(page.locator("body")).to_contain_text(number)
    expect(page.locator("body")).to_contain_text(f"Total: {total} EUR")


def test_buyer_pays_with_paypal_checkout(checkout_shop, new_page):
    portal_url = checkout_shop.site.absolute_url()
    # PayPal's webhooks too, racing the payer's return, as in a real shop.
    paypal = checkout_shop.paypal
    paypal.webhook_url = f"{portal_url}/@@paypal-webhook"
    page = new_page()
    add_to_cart(page, f"{portal_url}/mug", 2)
    add_to_cart(page, f"{portal_url}/tee", 1)
    number = place_order(page, portal_url)
    order_url = page.url
    expect(page.locator(".getpaid-order-state")).to_contain_text("Created")
    expect(page.locator("form.getpaid-pay-paypal_standard")).to_have_count(0)
    expect(page.locator(PAY)).to_be_visible()
    screenshot(page, "checkout-order")

    page.click(PAY)
    on_paypal(page, checkout_shop, number, "50.00")
    screenshot(page, "checkout-paypal")
    page.click("button[name=approve]")

    page.wait_for_url(re.compile(re.escape(order_url) + r"\?payment=paid"))
    expect(page.locator(".getpaid-order-state")).to_contain_text("Paid")
    expect(page.locator(".getpaid-order-notice")).to_contain_text(
        "Your payment is complete"
    )
    expect(page.locator(PAY)).to_have_count(0)
    screenshot(page, "checkout-paid")

    order = order_of(checkout_shop.site, number)
    assert api.content.get_state(order) == "paid"
    (payment,) = order.payments()
    assert (payment.provider, payment.status, str(payment.amount)) == (
        "paypal_checkout",
        "COMPLETED",
        "50.00",
    )
    assert len(paypal.captures) == 1
    # CHECKOUT.ORDER.APPROVED and PAYMENT.CAPTURE.COMPLETED, both taken well,
    # neither paying a second time.
    deliveries = paypal.wait_for_deliveries(2)
    assert [d.status for d in deliveries] == [200, 200]
    order = order_of(checkout_shop.site, number)
    assert len(order.payments()) == 1 and len(paypal.captures) == 1
    pays = [entry for entry in order.history if entry.action == "pay"]
    assert len(pays) == 1


def test_buyer_declined_then_pays(checkout_shop, new_page):
    portal_url = checkout_shop.site.absolute_url()
    page = new_page()
    add_to_cart(page, f"{portal_url}/mug", 1)
    number = place_order(page, portal_url)
    order_url = page.url

    page.click(PAY)
    on_paypal(page, checkout_shop, number, "12.50")
    page.click("button[name=decline]")
    page.wait_for_url(re.compile(re.escape(order_url) + r"\?payment=declined"))
    expect(page.locator(".getpaid-order-notice")).to_contain_text(
        "The payment was declined"
    )
    expect(page.locator(".getpaid-order-state")).to_contain_text("Created")

    # "Pay with PayPal" again: back to the same PayPal order, to pay otherwise.
    paypal_orders = list(checkout_shop.paypal.orders)
    page.click(PAY)
    on_paypal(page, checkout_shop, number, "12.50")
    page.click("button[name=approve]")
    page.wait_for_url(re.compile(re.escape(order_url) + r"\?payment=paid"))
    expect(page.locator(".getpaid-order-state")).to_contain_text("Paid")

    order = order_of(checkout_shop.site, number)
    assert api.content.get_state(order) == "paid"
    assert len(order.payments()) == 1
    assert list(checkout_shop.paypal.orders) == paypal_orders
    assert [a.status for a in attempts_of(order)] == ["paid"]


def test_shop_manager_refunds_in_two_steps(checkout_shop, new_page, customer):
    site = checkout_shop.site
    api.user.create(
        username="manager",
        email="manager@example.org",
        password="manager-secret-password",
    )
    setRoles(site, "manager", ["Member", "Shop Manager"])
    transaction.commit()
    # A customer paid two mugs with PayPal Checkout (over HTTP, as above).
    order, status_url = place(site, customer, ("mug", 2))
    buyer = requests.Session()
    to_paypal = press_pay(buyer, status_url).headers["Location"]
    assert back_to_shop(buyer, approve_at_paypal(buyer, to_paypal, "approve")) == (
        "paid"
    )

    page = new_page()
    log_in(page, site.absolute_url(), "manager", "manager-secret-password")
    page.goto(order.absolute_url())
    expect(page.locator(".getpaid-order-state")).to_contain_text("Paid")
    form = page.locator("form.getpaid-refund-form")
    expect(page.locator("section.getpaid-refund")).to_contain_text(
        "Up to €25.00 can be refunded."
    )
    expect(form.locator("#getpaid-refund-amount")).to_have_value("25.00")

    # Part of it, with a note PayPal shows the customer.
    form.locator("#getpaid-refund-amount").fill("10.00")
    form.locator("#getpaid-refund-note").fill("One mug arrived broken, sorry.")
    form.locator("button[type=submit]").click()
    expect(page.locator(".portalMessage", has_text="was refunded")).to_contain_text(
        "€10.00 was refunded."
    )
    expect(page.locator(".getpaid-order-state")).to_contain_text("Paid")
    expect(page.locator("tr.getpaid-order-refunded td").last).to_have_text("€10.00")
    expect(page.locator("tr.getpaid-order-remaining td").last).to_have_text("€15.00")
    expect(form.locator("#getpaid-refund-amount")).to_have_value("15.00")
    screenshot(page, "checkout-refund")

    # The rest: the order is Refunded, and nothing more can be refunded.
    form.locator("button[type=submit]").click()
    expect(page.locator(".portalMessage", has_text="was refunded")).to_contain_text(
        "€15.00 was refunded."
    )
    expect(page.locator(".getpaid-order-state")).to_contain_text("Refunded")
    expect(page.locator("tr.getpaid-order-refunded td").last).to_have_text("€25.00")
    expect(page.locator("tr.getpaid-order-remaining td").last).to_have_text("€0.00")
    expect(page.locator(".getpaid-refund-elsewhere")).to_have_text(
        "Nothing remains to be refunded."
    )
    expect(form).to_have_count(0)

    first, second = checkout_shop.paypal.refunds.values()
    assert first.fields["note_to_payer"] == "One mug arrived broken, sorry."
    assert (first.amount, second.amount) == (Decimal("10.00"), Decimal("15.00"))
    transaction.begin()
    assert api.content.get_state(order) == "refunded"
    assert sorted(p.amount for p in order.payments()) == [
        Decimal("-15.00"),
        Decimal("-10.00"),
        Decimal("25.00"),
    ]
