"""@@paypal-webhook over real HTTP: what it answers, and that nothing is
written before PayPal has verified the delivery byte for byte."""

from getpaid.orders.payments.paypal_checkout.settings import SECRET_VARIABLE
from plone import api
from webhook_fixtures import captured
from webhook_fixtures import deliver
from webhook_fixtures import event_body
from webhook_fixtures import fresh
from webhook_fixtures import post
from webhook_fixtures import records
from webhook_fixtures import send
from webhook_fixtures import state_of
from webhook_fixtures import transitions

import json
import logging
import pytest
import requests
import transaction


# The shop's fixtures (the lead moves them to conftest.py when merging).
pytest_plugins = ["webhook_fixtures"]


def set_webhook_id(value: str) -> None:
    transaction.begin()
    api.portal.set_registry_record("getpaid.orders.paypal_webhook_id", value)
    transaction.commit()


@pytest.fixture
def refused(checkout_shop, checkout_order):
    """A genuine COMPLETED delivery for ``order`` that the shop refused
    (400: it was set up with another webhook id); the shop set up right
    again. (headers, body)."""
    capture = captured(checkout_shop, checkout_order)
    set_webhook_id("ANOTHERWEBHOOK")
    checkout_shop.attempts = 1
    assert send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"]) == [400]
    set_webhook_id(checkout_shop.webhook_id)
    delivery = checkout_shop.deliveries[-1]
    return delivery.headers, delivery.body


def test_another_webhook_id_changes_nothing(refused, checkout_order, shop_site):
    headers, body = refused
    assert state_of(checkout_order) == "created"
    assert records(checkout_order) == []
    # The same transmission, once the shop has the right id: it verifies.
    assert post(shop_site, body, headers).status_code == 200
    assert state_of(checkout_order) == "paid"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body: body.replace(b'"value":"50.00"', b'"value":"5.00"', 1),
        lambda body: json.dumps(json.loads(body)).encode(),
        lambda body: body.replace(b'":', b'": ', 1),
    ],
    ids=["amount", "re-encoded", "a space more"],
)
def test_a_tampered_body_changes_nothing(refused, checkout_order, shop_site, tamper):
    headers, body = refused
    assert tamper(body) != body
    answer = post(shop_site, tamper(body), headers)
    assert answer.status_code == 400
    assert answer.headers["Content-Type"].startswith("text/plain")
    assert state_of(checkout_order) == "created"
    assert records(checkout_order) == []


@pytest.mark.parametrize(
    "header", ["PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-SIG", "PAYPAL-CERT-URL"]
)
def test_a_missing_header_changes_nothing(refused, checkout_order, shop_site, header):
    headers, body = refused
    missing = {name: value for name, value in headers.items() if name != header}
    assert post(shop_site, body, missing).status_code == 400
    assert state_of(checkout_order) == "created"
    assert records(checkout_order) == []


def test_no_json_is_refused(checkout_shop, shop_site):
    headers = {name: "x" for name in ("PAYPAL-TRANSMISSION-ID", "PAYPAL-CERT-URL")}
    assert post(shop_site, b"not json", headers).status_code == 400


def test_paypal_unavailable_for_verification(checkout_shop, checkout_order):
    capture = captured(checkout_shop, checkout_order)
    checkout_shop.fail_next("verify_webhook", "500")
    statuses = send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"])
    # Nothing written after the 503; PayPal sent it again, and it paid once.
    assert statuses == [503, 200]
    assert state_of(checkout_order) == "paid"
    assert len(records(checkout_order)) == 1
    assert len(transitions(checkout_order, "pay")) == 1


@pytest.mark.parametrize("missing", ["webhook id", "client secret"])
def test_not_set_up_is_a_503(
    checkout_shop, checkout_order, monkeypatch, caplog, missing
):
    capture = captured(checkout_shop, checkout_order)
    if missing == "webhook id":
        set_webhook_id("")
    else:
        monkeypatch.delenv(SECRET_VARIABLE)
    checkout_shop.attempts = 1
    caplog.set_level(logging.ERROR, logger="getpaid.orders")
    assert send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"]) == [503]
    assert records(checkout_order) == []
    assert any("not verified" in r.getMessage() for r in caplog.records)


def test_get_is_not_allowed(checkout_shop, shop_site):
    answer = requests.get(shop_site.absolute_url() + "/@@paypal-webhook", timeout=30)
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "POST"
    assert answer.headers["Content-Type"].startswith("text/plain")


def test_a_huge_body_is_refused_unread(checkout_shop, checkout_order, shop_site):
    body = b'{"id": "WH-1", "pad": "' + b"x" * (300 * 1024) + b'"}'
    headers = {"PAYPAL-TRANSMISSION-ID": "x"}
    checkout_shop.fail_next("verify_webhook", "500")
    assert post(shop_site, body, headers).status_code == 413
    assert checkout_shop.faults["verify_webhook"] == ["500"]  # not asked


def test_unknown_order_is_a_200_and_logged(checkout_shop, checkout_order, caplog):
    caplog.set_level(logging.INFO, logger="getpaid.orders")
    capture = captured(checkout_shop, checkout_order, invoice_id="NO-SUCH-ORDER")
    assert send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"]) == [200]
    assert records(checkout_order) == []
    assert any(
        "unknown order" in r.getMessage() and capture["id"] in r.getMessage()
        for r in caplog.records
    )


def test_another_event_type_is_a_200(checkout_shop, checkout_order):
    capture = captured(checkout_shop, checkout_order)
    send(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"])
    data = json.loads(checkout_shop.deliveries[-1].body)
    data.update(id="WH-OTHER", event_type="PAYMENT.SALE.COMPLETED")
    history = len(transitions(checkout_order))
    assert deliver(checkout_shop, json.dumps(data).encode()) == [200]
    assert len(transitions(checkout_order)) == history
    assert len(records(checkout_order)) == 1


def test_the_body_is_verified_as_it_came(checkout_shop, checkout_order):
    """A body with a number PayPal writes as 1.10, unicode escapes and odd
    spacing verifies: it goes to PayPal byte for byte (re-encoding it
    would make 1.1 and "€" of it, and FAILURE)."""
    capture = captured(checkout_shop, checkout_order)
    data = json.loads(
        event_body(checkout_shop, "PAYMENT.CAPTURE.COMPLETED", capture["id"])
    )
    assert "€" in data["summary"]
    odd = json.dumps(data, ensure_ascii=True, indent="\t", separators=(" ,", " :  "))
    odd = odd.replace("{", '{ "rate" : 1.10 ,', 1).encode()
    assert b"\\u20ac" in odd and b"1.10" in odd
    assert json.dumps(json.loads(odd)).encode() != odd
    assert deliver(checkout_shop, odd) == [200]
    assert state_of(checkout_order) == "paid"
    (payment,) = fresh(checkout_order).payments()
    assert payment.raw == odd
