"""The payer's return and PayPal's webhooks at the same moment: the
approval's webhook captures while the payer's return captures, and the
capture's own webhook follows. One capture at PayPal, one payment record,
one transition."""

from flow_fixtures import back_to_shop
from flow_fixtures import checkout_shop_fixture  # noqa: F401
from flow_fixtures import fresh
from flow_fixtures import on_paypal
from flow_fixtures import place
from flow_fixtures import press_pay
from flow_fixtures import wait_for_state
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.api.payments import kind_of

import requests
import threading


def test_return_and_webhooks_at_once_pay_once(checkout_shop, customer):
    paypal = checkout_shop.paypal
    paypal.webhook_url = f"{checkout_shop.site.absolute_url()}/@@paypal-webhook"
    order, status_url = place(checkout_shop.site, customer, ("mug", 2))
    browser = requests.Session()
    to_paypal = press_pay(browser, status_url).headers["Location"]

    # Approving sends CHECKOUT.ORDER.APPROVED to the shop at once, which
    # captures; the payer comes back in the same moment, twice over.
    back = on_paypal(browser, to_paypal, "approve")
    said = []
    returns = [
        threading.Thread(
            target=lambda: said.append(back_to_shop(requests.Session(), back))
        )
        for _n in range(2)
    ]
    for one in returns:
        one.start()
    for one in returns:
        one.join()

    assert wait_for_state(order, "paid") == "paid"
    deliveries = paypal.wait_for_deliveries(2)
    kinds = sorted(
        d.body.split(b'"event_type":"', 1)[1].split(b'"', 1)[0] for d in deliveries
    )
    assert kinds == [b"CHECKOUT.ORDER.APPROVED", b"PAYMENT.CAPTURE.COMPLETED"]
    assert {d.status for d in deliveries} == {200}
    assert said == ["paid", "paid"]
    fresh(order)
    assert len(paypal.captures) == 1
    (payment,) = order.payments()
    assert kind_of(payment) == "payment" and payment.amount == order.total
    assert [entry.new for entry in order.history].count("paid") == 1
    assert [attempt.status for attempt in attempts_of(order)] == ["paid"]
