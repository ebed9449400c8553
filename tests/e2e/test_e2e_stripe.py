"""Stripe in a real browser, against the Stripe simulator: the order page
offers PayPal and Stripe; a buyer pays by card, another by SEPA debit that
settles later."""

from decimal import Decimal
from e2e_helpers import screenshot
from getpaid.orders import api as shop
from getpaid.orders.api.attempts import attempts_of
from pathlib import Path
from playwright.sync_api import expect
from plone import api
from test_e2e_buyer import add_to_cart
from test_e2e_buyer import place_order

import re
import sys
import transaction


# The shop of tests/stripe (stripe_shop.stripe_shop: PayPal Checkout and
# Stripe enabled, each at its simulator).
sys.path.insert(0, str(Path(__file__).parents[1] / "stripe"))
from stripe_shop import stripe_shop_fixture  # noqa: E402, F401


STRIPE = "form.getpaid-pay-stripe button"
PAYPAL = "form.getpaid-pay-paypal_checkout button"


def order_of(number: str):
    """Our order ``number``, as committed now."""
    transaction.begin()
    return shop.get_order(number)


def order_with_both_offered(page, stripe_shop) -> tuple[str, str]:
    """A buyer orders two mugs; the order page offers PayPal and Stripe.
    The order's number and page."""
    portal_url = stripe_shop.site.absolute_url()
    add_to_cart(page, f"{portal_url}/mug", 2)
    number = place_order(page, portal_url)
    expect(page.locator(".getpaid-order-state")).to_contain_text("Created")
    expect(page.locator(PAYPAL)).to_have_text("Pay with PayPal")
    expect(page.locator(STRIPE)).to_have_text("Pay by card or bank")
    return number, page.url


def on_stripe(page, stripe_shop, number: str, total: str) -> None:
    """The payer is on the simulator's page for our order ``number``."""
    expect(page.locator("h1")).to_have_text("Stripe simulator")
    assert page.url.startswith(f"{stripe_shop.stripe.base}/c/pay/cs_")
    expect(page.locator("body")).to_contain_text(number)
    expect(page.locator("body")).to_contain_text(f"Total: {total}")


def test_buyer_pays_by_card(stripe_shop, new_page):
    page = new_page()
    number, order_url = order_with_both_offered(page, stripe_shop)
    screenshot(page, "stripe-order")

    page.click(STRIPE)
    on_stripe(page, stripe_shop, number, "25.00")
    screenshot(page, "stripe-payer")
    page.click("button[name=pay]")

    page.wait_for_url(re.compile(re.escape(order_url) + r"\?payment=paid"))
    expect(page.locator(".getpaid-order-state")).to_contain_text("Paid")
    expect(page.locator(".getpaid-order-notice")).to_contain_text(
        "Your payment is complete"
    )
    expect(page.locator(STRIPE)).to_have_count(0)
    expect(page.locator(PAYPAL)).to_have_count(0)

    order = order_of(number)
    assert api.content.get_state(order) == "paid"
    (payment,) = order.payments()
    assert (payment.provider, payment.status, payment.amount) == (
        "stripe",
        "succeeded",
        Decimal("25.00"),
    )
    # Its checkout.session.completed, racing the payer's return, pays nothing
    # more.
    (delivery,) = stripe_shop.stripe.wait_for_deliveries(1)
    assert delivery.status == 200
    order = order_of(number)
    assert len(order.payments()) == 1
    assert [a.provider for a in attempts_of(order)] == ["stripe"]
    assert len([e for e in order.history if e.action == "pay"]) == 1


def test_buyer_pays_later_by_sepa_debit(stripe_shop, new_page):
    page = new_page()
    number, order_url = order_with_both_offered(page, stripe_shop)

    page.click(STRIPE)
    on_stripe(page, stripe_shop, number, "25.00")
    page.click("button[name=sepa]")

    page.wait_for_url(re.compile(re.escape(order_url) + r"\?payment=pending"))
    expect(page.locator(".getpaid-order-state")).to_contain_text("Created")
    expect(page.locator(".getpaid-order-notice")).to_contain_text("pending")
    # A payment is on its way: no second one is offered.
    expect(page.locator(STRIPE)).to_have_count(0)
    expect(page.locator(PAYPAL)).to_have_count(0)
    screenshot(page, "stripe-pending")
    order = order_of(number)
    assert api.content.get_state(order) == "created"
    # Stripe's PaymentIntent is recorded as it stands: processing, not paid.
    (pending,) = order.payments()
    assert (pending.provider, pending.status, pending.kind) == (
        "stripe",
        "processing",
        "",
    )

    # The bank settles the debit days later; Stripe tells the shop.
    # (checkout.session.completed, unpaid, first; then
    # checkout.session.async_payment_succeeded.)
    (attempt,) = attempts_of(order)
    assert len(stripe_shop.stripe.wait_for_deliveries(1)) == 1
    stripe_shop.stripe.settle_async(attempt.ref, succeeded=True)
    delivered = stripe_shop.stripe.wait_for_deliveries(2)
    assert [d.status for d in delivered] == [200, 200]

    page.goto(order_url)
    expect(page.locator(".getpaid-order-state")).to_contain_text("Paid")
    order = order_of(number)
    assert api.content.get_state(order) == "paid"
    assert order.payment_pending == ""
    # The PaymentIntent's two states, each recorded once; only the second
    # is money (kind "payment"), and it paid the order once.
    assert [(p.txn_id, p.status, p.kind) for p in order.payments()] == [
        (pending.txn_id, "processing", ""),
        (pending.txn_id, "succeeded", "payment"),
    ]
    assert order.payments()[-1].amount == Decimal("25.00")
    assert len([e for e in order.history if e.action == "pay"]) == 1
