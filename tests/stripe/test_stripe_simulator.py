"""The Stripe simulator through the official ``stripe`` library over real
HTTP: Checkout Sessions, the payer's page, idempotency, Stripe's refusals."""

from pathlib import Path
from stripe_fixtures import choose
from stripe_fixtures import listener_fixture  # noqa: F401
from stripe_fixtures import session_params
from stripe_fixtures import stripe_client_fixture  # noqa: F401
from stripe_fixtures import stripe_sim_fixture  # noqa: F401
from wsgiref.util import setup_testing_defaults

import pytest
import requests
import socket
import stripe
import subprocess
import sys
import time


TOOLS = Path(__file__).parents[2] / "tools"


def test_create_and_retrieve_a_session(stripe_client):
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert (session.amount_total, session.currency) == (2500, "eur")
    assert session.client_reference_id == "2024-0001"
    assert session.metadata.to_dict() == {"uid": "0123abcd"}
    assert session.livemode is False
    assert session.payment_intent is None  # made at the first try, as at Stripe
    assert session.url.endswith(f"/c/pay/{session.id}")
    again = stripe_client.v1.checkout.sessions.retrieve(session.id)
    assert again.to_dict() == session.to_dict()


def test_currency_is_written_lower_case(stripe_client):
    items = session_params()["line_items"]
    items[0]["price_data"]["currency"] = "EUR"
    session = stripe_client.v1.checkout.sessions.create(
        params=session_params(line_items=items)
    )
    assert session.currency == "eur"


def test_unknown_session(stripe_client):
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_client.v1.checkout.sessions.retrieve("cs_test_nope")
    assert error.value.http_status == 404
    assert error.value.code == "resource_missing"


def test_pay_by_card(stripe_sim, stripe_client):
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    page = requests.get(session.url, timeout=10)
    assert page.status_code == 200
    assert "Darjeeling" in page.text and "25.00 eur" in page.text
    answer = choose(session, "pay")
    assert answer.status_code == 302
    assert answer.headers["Location"] == (
        f"http://localhost:8080/Plone/o/pay-back?s={session.id}"
    )
    paid = stripe_client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent.latest_charge"]}
    )
    assert (paid.status, paid.payment_status, paid.url) == ("complete", "paid", None)
    intent = paid.payment_intent
    assert intent.id.startswith("pi_")
    assert (intent.status, intent.amount_received) == ("succeeded", 2500)
    assert intent.metadata.to_dict() == {"uid": "0123abcd"}
    charge = intent.latest_charge
    assert (charge.status, charge.paid, charge.amount) == ("succeeded", True, 2500)
    assert stripe_client.v1.payment_intents.retrieve(intent.id).latest_charge == (
        charge.id
    )
    assert stripe_client.v1.charges.retrieve(charge.id).payment_intent == intent.id
    assert requests.get(session.url, timeout=10).status_code == 409


def test_decline_keeps_the_session_open(stripe_client):
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    answer = choose(session, "decline")
    assert answer.status_code == 402
    assert "Your card was declined." in answer.text
    declined = stripe_client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent"]}
    )
    assert (declined.status, declined.payment_status) == ("open", "unpaid")
    assert declined.payment_intent.status == "requires_payment_method"
    assert declined.payment_intent.last_payment_error.code == "card_declined"
    choose(session, "pay")  # another card, the same PaymentIntent
    paid = stripe_client.v1.checkout.sessions.retrieve(session.id)
    assert paid.payment_status == "paid"
    assert paid.payment_intent == declined.payment_intent.id


def test_cancel_goes_back_to_the_shop(stripe_client):
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    answer = choose(session, "cancel")
    assert (answer.status_code, answer.headers["Location"]) == (
        302,
        "http://localhost:8080/Plone/o",
    )
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).status == "open"


def test_expire_a_session(stripe_sim, stripe_client, listener):
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    expired = stripe_client.v1.checkout.sessions.expire(session.id)
    assert (expired.status, expired.url) == ("expired", None)
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.checkout.sessions.expire(session.id)
    assert choose(session, "pay").status_code == 409
    assert [e.type for e in stripe_sim.events] == ["checkout.session.expired"]


def test_session_lapses_at_expires_at(stripe_sim, stripe_client):
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    stripe_sim.objects[session.id]["expires_at"] = int(time.time()) - 1
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).status == "expired"


def test_wrong_secret_key(stripe_sim):
    client = stripe.StripeClient(
        "sk_test_wrong_key", base_addresses={"api": stripe_sim.base}
    )
    with pytest.raises(stripe.AuthenticationError) as error:
        client.v1.checkout.sessions.create(params=session_params())
    assert error.value.http_status == 401
    assert error.value.json_body["error"]["type"] == "invalid_request_error"
    assert not stripe_sim.objects


def test_no_key(stripe_sim):
    answer = requests.get(f"{stripe_sim.base}/v1/charges/ch_x", timeout=10)
    assert answer.status_code == 401
    assert "did not provide an API key" in answer.json()["error"]["message"]


def test_idempotency_key_replays_the_answer(stripe_sim, stripe_client):
    options = {"idempotency_key": "attempt-2024-0001-1"}
    params = session_params()
    first = stripe_client.v1.checkout.sessions.create(params=params, options=options)
    second = stripe_client.v1.checkout.sessions.create(params=params, options=options)
    assert second.id == first.id
    assert len([o for o in stripe_sim.objects if o.startswith("cs_")]) == 1
    assert second.last_response.headers["Idempotent-Replayed"] == "true"


def test_idempotency_key_with_other_parameters(stripe_sim, stripe_client):
    options = {"idempotency_key": "attempt-2024-0001-1"}
    stripe_client.v1.checkout.sessions.create(params=session_params(), options=options)
    with pytest.raises(stripe.IdempotencyError) as error:
        stripe_client.v1.checkout.sessions.create(
            params=session_params(client_reference_id="2024-0002"), options=options
        )
    assert error.value.http_status == 400
    assert error.value.json_body["error"]["type"] == "idempotency_error"
    assert len(stripe_sim.objects) == 1


def test_a_refused_request_keeps_no_answer(stripe_sim, stripe_client):
    options = {"idempotency_key": "k"}
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.checkout.sessions.create(
            params=session_params(customer_email="not an address"), options=options
        )
    session = stripe_client.v1.checkout.sessions.create(
        params=session_params(), options={"idempotency_key": "k"}
    )
    assert session.status == "open"


def test_hang_then_retry_gets_the_kept_answer(stripe_sim):
    stripe_sim.hang_seconds = 1.5
    stripe_sim.fail_next("create_session", "hang")
    client = stripe.StripeClient(
        stripe_sim.secret_key,
        base_addresses={"api": stripe_sim.base},
        max_network_retries=1,
        http_client=stripe.RequestsClient(timeout=0.5),
    )
    session = client.v1.checkout.sessions.create(params=session_params())
    assert [o for o in stripe_sim.objects if o.startswith("cs_")] == [session.id]


def test_500_does_nothing(stripe_sim):
    stripe_sim.fail_next("create_session", "500", count=3)
    client = stripe.StripeClient(
        stripe_sim.secret_key,
        base_addresses={"api": stripe_sim.base},
        max_network_retries=0,
    )
    with pytest.raises(stripe.APIError) as error:
        client.v1.checkout.sessions.create(params=session_params())
    assert error.value.http_status == 500
    assert not stripe_sim.objects


def items(currency: str, unit_amount: int, quantity: int = 1) -> list[dict]:
    return [
        {
            "price_data": {
                "currency": currency,
                "unit_amount": unit_amount,
                "product_data": {"name": "Tea"},
            },
            "quantity": quantity,
        }
    ]


@pytest.mark.parametrize(
    ("currency", "unit_amount", "total"),
    [
        ("jpy", 1500, 1500),  # zero-decimal: 1500 yen
        ("krw", 20000, 20000),
        ("isk", 150000, 150000),  # 1500 ISK, written with two zero decimals
        ("bhd", 12340, 12340),  # 12.340 BHD
        ("eur", 50, 50),  # Stripe's minimum
    ],
)
def test_amounts_stripe_takes(stripe_client, currency, unit_amount, total):
    session = stripe_client.v1.checkout.sessions.create(
        params=session_params(line_items=items(currency, unit_amount))
    )
    assert (session.amount_total, session.currency) == (total, currency)


@pytest.mark.parametrize(
    ("currency", "unit_amount", "code"),
    [
        ("isk", 150050, "invalid_charge_amount"),  # not a multiple of 100
        ("kwd", 12345, "invalid_charge_amount"),  # three decimals end in 0
        ("eur", 49, "amount_too_small"),
        ("jpy", 49, "amount_too_small"),
        ("eur", 100000000, "amount_too_large"),
        ("xyz", 1000, "parameter_invalid_string"),
    ],
)
def test_amounts_stripe_refuses(stripe_sim, stripe_client, currency, unit_amount, code):
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_client.v1.checkout.sessions.create(
            params=session_params(line_items=items(currency, unit_amount))
        )
    assert (error.value.http_status, error.value.code) == (400, code)
    assert error.value.json_body["error"]["type"] == "invalid_request_error"
    assert not stripe_sim.objects


@pytest.mark.parametrize(
    ("seconds", "ok"), [(1790, False), (1860, True), (86300, True), (86500, False)]
)
def test_expires_at_between_30_minutes_and_24_hours(stripe_client, seconds, ok):
    params = session_params(expires_at=int(time.time()) + seconds)
    if ok:
        assert stripe_client.v1.checkout.sessions.create(params=params).status == "open"
        return
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_client.v1.checkout.sessions.create(params=params)
    assert error.value.param == "expires_at"


@pytest.mark.parametrize(
    ("changes", "param", "code"),
    [
        ({"mode": None}, "mode", "parameter_missing"),
        ({"line_items": None}, "line_items", "parameter_missing"),
        ({"colour": "blue"}, "colour", "parameter_unknown"),
        (
            {"line_items": [{"price_data": items("eur", 100)[0]["price_data"]}]},
            "line_items[0][quantity]",
            "parameter_missing",
        ),
        (
            {"client_reference_id": "x" * 201},
            "client_reference_id",
            "parameter_invalid_string",
        ),
    ],
)
def test_parameters_stripe_refuses(stripe_client, changes, param, code):
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_client.v1.checkout.sessions.create(params=session_params(**changes))
    assert (error.value.param, error.value.code) == (param, code)


def test_loopback_clients_only(stripe_sim):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/v1/charges/ch_x"}
    setup_testing_defaults(environ)
    environ["REMOTE_ADDR"] = "192.0.2.7"
    statuses = []
    body = stripe_sim(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["403 Forbidden"]
    assert b"Loopback" in b"".join(body)


def test_the_process_make_start_runs(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, str(TOOLS / "stripe_simulator.py"), "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "Stripe simulator (development only)" in process.stdout.readline()
        client = stripe.StripeClient(
            "sk_test_simulator", base_addresses={"api": f"http://127.0.0.1:{port}"}
        )
        session = client.v1.checkout.sessions.create(params=session_params())
        assert session.url.startswith(f"http://127.0.0.1:{port}/c/pay/cs_test_")
    finally:
        process.terminate()
        process.wait(10)
