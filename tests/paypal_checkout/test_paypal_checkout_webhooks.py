"""Webhooks: deliveries as PayPal makes them, and verification that only
the raw body passes."""

from decimal import Decimal
from getpaid.orders.payments.paypal_checkout.client import request_id
from getpaid.orders.payments.paypal_checkout.errors import InvalidWebhook

import checkout_helpers as shop
import json
import pytest


def events(listener, count: int) -> list[dict]:
    assert shop.wait_for(lambda: len(listener.received) >= count)
    return [json.loads(body) for _headers, body in listener.received]


def test_approval_is_a_verifiable_event(paypal, client, listener):
    order = shop.approved(client)
    (event,) = events(listener, 1)
    assert event["event_type"] == "CHECKOUT.ORDER.APPROVED"
    assert event["resource"]["id"] == order["id"]
    headers, body = listener.received[0]
    assert client.verify_webhook_signature(headers, body, paypal.webhook_id)


@pytest.mark.parametrize(
    "encode",
    [
        lambda body: json.dumps(json.loads(body)).encode(),
        lambda body: json.dumps(json.loads(body), separators=(",", ":")).encode(),
        lambda body: body.replace(b'":', b'": ', 1),
    ],
    ids=["json.dumps", "compact json.dumps", "one space more"],
)
def test_a_re_encoded_body_fails(paypal, client, listener, encode):
    shop.approved(client)
    events(listener, 1)
    headers, body = listener.received[0]
    assert json.loads(encode(body)) == json.loads(body)  # the same JSON …
    assert not client.verify_webhook_signature(headers, encode(body), paypal.webhook_id)


@pytest.mark.parametrize(
    "header",
    ["PAYPAL-TRANSMISSION-TIME", "PAYPAL-TRANSMISSION-SIG", "PAYPAL-CERT-URL"],
)
def test_a_changed_header_fails(paypal, client, listener, header):
    shop.approved(client)
    events(listener, 1)
    headers, body = listener.received[0]
    changed = {**headers, header: headers[header] + "0"}
    assert not client.verify_webhook_signature(changed, body, paypal.webhook_id)


def test_another_webhook_id_fails(paypal, client, listener):
    shop.approved(client)
    events(listener, 1)
    headers, body = listener.received[0]
    assert not client.verify_webhook_signature(headers, body, "OTHERWEBHOOK")


def test_an_event_not_sent_by_paypal_fails(paypal, client, listener):
    shop.approved(client)
    events(listener, 1)
    headers, body = listener.received[0]
    forged = body.replace(b"APPROVED", b"COMPLETED")
    assert not client.verify_webhook_signature(headers, forged, paypal.webhook_id)


def test_what_cant_be_a_delivery_is_refused_without_asking(paypal, client, listener):
    shop.approved(client)
    events(listener, 1)
    headers, body = listener.received[0]
    paypal.fail_next("verify_webhook", "500")  # would show as PayPalUnavailable
    missing = {k: v for k, v in headers.items() if k != "PAYPAL-TRANSMISSION-ID"}
    with pytest.raises(InvalidWebhook):
        client.verify_webhook_signature(missing, body, paypal.webhook_id)
    for bad in (b"not json", b"[1, 2]", '{"a": "\u00eb"}'.encode("latin-1")):
        with pytest.raises(InvalidWebhook):
            client.verify_webhook_signature(headers, bad, paypal.webhook_id)
    assert paypal.faults["verify_webhook"] == ["500"]


def test_retried_until_the_listener_takes_it(paypal, client, listener):
    listener.answers = [500, 503]
    shop.approved(client)
    deliveries = paypal.wait_for_deliveries(3)
    assert [d.status for d in deliveries] == [500, 503, 200]
    assert len({d.body for d in deliveries}) == 1
    assert len({d.headers["PAYPAL-TRANSMISSION-ID"] for d in deliveries}) == 3
    for headers, body in listener.received:
        assert client.verify_webhook_signature(headers, body, paypal.webhook_id)


def test_capture_and_refund_events(paypal, client, listener):
    capture = shop.capture(client, shop.approved(client))
    refunded = client.refund_capture(
        capture["id"],
        request_id=request_id("refund", "1"),
        amount=Decimal("5.00"),
        currency="EUR",
    )
    approved, completed, refund = events(listener, 3)
    assert completed["event_type"] == "PAYMENT.CAPTURE.COMPLETED"
    assert completed["resource_type"] == "capture"
    assert completed["resource"]["id"] == capture["id"]
    assert shop.link(completed["resource"], "up") == shop.link(
        approved["resource"], "self"
    )
    assert refund["event_type"] == "PAYMENT.CAPTURE.REFUNDED"
    assert refund["resource_type"] == "refund"
    assert refund["resource"]["id"] == refunded["id"]
    assert shop.link(refund["resource"], "up") == shop.link(capture, "self")


def test_pending_then_denied(paypal, client, listener):
    capture = shop.capture(client, shop.approved(client, "pending"))
    paypal.settle_pending(capture["id"], completed=False)
    kinds = [event["event_type"] for event in events(listener, 3)]
    assert kinds == [
        "CHECKOUT.ORDER.APPROVED",
        "PAYMENT.CAPTURE.PENDING",
        "PAYMENT.CAPTURE.DENIED",
    ]
    assert client.get_capture(capture["id"])["status"] == "DECLINED"


def test_reversed(paypal, client, listener):
    capture = shop.capture(client, shop.approved(client))
    paypal.reverse(capture["id"])
    reversal = events(listener, 3)[-1]
    assert reversal["event_type"] == "PAYMENT.CAPTURE.REVERSED"
    assert reversal["resource"]["amount"]["value"] == "30.00"
    assert client.get_capture(capture["id"])["status"] == "REFUNDED"


def test_duplicated_late_and_out_of_order(paypal, client, listener):
    paypal.auto_events = False
    order = shop.approved(client)
    capture = shop.capture(client, order)
    late = paypal.send_event("CHECKOUT.ORDER.APPROVED", order["id"], delay=0.3)
    paypal.send_event("PAYMENT.CAPTURE.COMPLETED", capture["id"], copies=2)
    received = events(listener, 3)
    assert [event["event_type"] for event in received] == [
        "PAYMENT.CAPTURE.COMPLETED",
        "PAYMENT.CAPTURE.COMPLETED",
        "CHECKOUT.ORDER.APPROVED",
    ]
    assert received[0]["id"] == received[1]["id"]  # one event, twice
    assert received[2]["id"] == late.id
    paypal.resend(late)
    assert events(listener, 4)[3]["id"] == late.id
    for headers, body in listener.received:
        assert client.verify_webhook_signature(headers, body, paypal.webhook_id)


def test_webhooks_go_to_loopback_only(paypal):
    with pytest.raises(ValueError):
        paypal.webhook_url = "https://shop.example/@@paypal-webhook"
