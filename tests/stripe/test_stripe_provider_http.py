"""Paying with Stripe over real HTTP: the order page offering PayPal and
Stripe, the simulator's payer page and its signed webhooks, refunds."""

from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.api.attention import flags_of
from getpaid.orders.api.refunds import refund
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api
from stripe_shop import stripe_shop_fixture  # noqa: F401
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import lxml.html
import requests
import time
import transaction


def place(site, customer, quantity=2):
    placed = shop.checkout([(site["mug"], quantity)], customer)
    transaction.commit()
    return placed.order, f"{site.absolute_url()}/@@order-status/{placed.owner_token}"


def fresh(order):
    transaction.begin()
    return order


def wait_for(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        transaction.begin()
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def to_stripe(browser, status_url) -> str:
    """Press "Pay by card or bank": where the browser is sent."""
    document = lxml.html.fromstring(browser.get(status_url, timeout=30).text)
    (form,) = document.cssselect("form.getpaid-pay-stripe")
    fields = [(i.get("name"), i.get("value")) for i in form.inputs if i.get("name")]
    answer = browser.post(
        form.get("action"), data=fields, allow_redirects=False, timeout=30
    )
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def on_stripe(url, how="pay") -> str:
    answer = requests.post(f"{url}/{how}", allow_redirects=False, timeout=30)
    return answer.headers.get("Location", "")


def back(browser, url) -> str:
    answer = browser.get(url, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text
    return parse_qs(urlsplit(answer.headers["Location"]).query).get("payment", [""])[0]


def session_of(order):
    (attempt,) = attempts_of(fresh(order))
    return attempt


def test_both_offered_pay_by_card(stripe_shop, customer):
    order, status_url = place(stripe_shop.site, customer)
    browser = requests.Session()
    document = lxml.html.fromstring(browser.get(status_url, timeout=30).text)
    assert document.cssselect("form.getpaid-pay-paypal_checkout")
    assert document.cssselect("form.getpaid-pay-stripe")
    url = to_stripe(browser, status_url)
    assert url.startswith(stripe_shop.stripe.base)
    attempt = session_of(order)
    assert attempt.payer_url == url and attempt.provider == "stripe"
    success = on_stripe(url)
    assert f"session_id={attempt.ref}" in success
    assert back(browser, success) == "paid"
    assert api.content.get_state(fresh(order)) == "paid"
    # Its checkout.session.completed comes too, and changes nothing
    stripe_shop.stripe.wait_for_deliveries(1)
    time.sleep(0.3)
    (payment,) = fresh(order).payments()
    assert (payment.provider, payment.status, payment.amount) == (
        "stripe",
        "succeeded",
        Decimal("25.00"),
    )
    assert session_of(order).payment_ref == payment.txn_id


def test_async_succeeds(stripe_shop, customer):
    order, status_url = place(stripe_shop.site, customer)
    browser = requests.Session()
    url = to_stripe(browser, status_url)
    assert back(browser, on_stripe(url, "sepa")) == "pending"
    assert fresh(order).payment_pending == "processing"
    stripe_shop.stripe.settle_async(session_of(order).ref, succeeded=True)
    assert wait_for(lambda: api.content.get_state(order) == "paid")
    assert fresh(order).payment_pending == ""


def test_async_fails(stripe_shop, customer):
    order, status_url = place(stripe_shop.site, customer)
    browser = requests.Session()
    back(browser, on_stripe(to_stripe(browser, status_url), "sepa"))
    stripe_shop.stripe.settle_async(session_of(order).ref, succeeded=False)
    assert wait_for(lambda: api.content.get_state(order) == "payment_failed")
    assert session_of(order).status == "failed"


def test_expired_session(stripe_shop, customer):
    order, status_url = place(stripe_shop.site, customer)
    to_stripe(requests.Session(), status_url)
    stripe_shop.stripe.expire(session_of(order).ref)
    assert wait_for(lambda: session_of(order).status == "failed")
    assert session_of(order).detail == "expired"
    assert api.content.get_state(order) == "created"


def test_replayed_out_of_order_stale_and_forged(stripe_shop, customer):
    sim = stripe_shop.stripe
    order, status_url = place(stripe_shop.site, customer)
    url = to_stripe(requests.Session(), status_url)
    sim.auto_events = False
    sim.attempts = 1  # a refused delivery is not tried again here
    on_stripe(url)
    ref = session_of(order).ref
    sim.send_event("checkout.session.completed", ref, stale=600)
    sim.send_event("checkout.session.completed", ref, livemode=True)
    refused = sim.wait_for_deliveries(2)
    assert [d.status for d in refused] == [400, 400]
    assert fresh(order).payments() == []
    body = b'{"type": "checkout.session.completed"}'
    forged = requests.post(
        stripe_shop.site.absolute_url() + "/@@stripe-webhook",
        data=body,
        headers={"Stripe-Signature": sim.signature_header(b"{}")},
        timeout=30,
    )
    assert forged.status_code == 400
    # Sent three times, late: paid once
    sim.send_event("checkout.session.completed", ref, copies=3, delay=0.2)
    delivered = sim.wait_for_deliveries(5)
    assert [d.status for d in delivered[2:]] == [200, 200, 200]
    assert api.content.get_state(fresh(order)) == "paid"
    assert len(fresh(order).payments()) == 1


def test_refund_twice_and_dispute(stripe_shop, customer):
    sim = stripe_shop.stripe
    order, status_url = place(stripe_shop.site, customer)
    browser = requests.Session()
    assert back(browser, on_stripe(to_stripe(browser, status_url))) == "paid"
    sent = len(sim.wait_for_deliveries(1))
    # The echoes are sent below, not while this test process commits
    sim.auto_events = False
    fresh(order)
    refund(order, Decimal("10.00"), "sorry", source=SOURCE_MANAGER, seen=0)
    transaction.commit()
    refund(order, Decimal("15.00"), "", source=SOURCE_MANAGER, seen=1)
    transaction.commit()
    assert api.content.get_state(order) == "refunded"
    intent = session_of(order).payment_ref
    charge = sim.objects[intent]["latest_charge"]
    assert sim.objects[charge]["amount_refunded"] == 2500
    # Stripe's echoes (refund.created, charge.refunded) are duplicates
    refund_ids = [p.txn_id for p in fresh(order).payments() if p.kind == "refund"]
    for refund_id in refund_ids:
        sim.send_event("refund.created", refund_id, copies=2)
    sim.send_event("charge.refunded", charge)
    delivered = sim.wait_for_deliveries(sent + 5)
    assert [d.status for d in delivered[sent:]] == [200] * 5
    refunds = sorted(p.amount for p in fresh(order).payments() if p.kind == "refund")
    assert refunds == [Decimal("-15.00"), Decimal("-10.00")]
    # A chargeback
    sim.auto_events = True
    sim.dispute(charge)
    assert wait_for(lambda: [f.ref for f in flags_of(order)] == [intent])
