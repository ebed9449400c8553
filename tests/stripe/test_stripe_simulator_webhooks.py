"""The Stripe simulator's webhooks, checked by the official library's
``Webhook.construct_event``: signed as Stripe signs them, retried until
2xx, replayed, late, stale, tampered with."""

from stripe_fixtures import choose
from stripe_fixtures import listener_fixture  # noqa: F401
from stripe_fixtures import session_params
from stripe_fixtures import stripe_client_fixture  # noqa: F401
from stripe_fixtures import stripe_sim_fixture  # noqa: F401

import json
import pytest
import stripe
import time


def verified(stripe_sim, delivery: tuple[dict, bytes]):
    headers, body = delivery
    return stripe.Webhook.construct_event(
        body, headers["Stripe-Signature"], stripe_sim.webhook_secret
    )


def paid_session(stripe_client, how: str = "pay"):
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    choose(session, how)
    return session


def test_completed_event_is_signed_as_stripe_signs(stripe_sim, stripe_client, listener):
    session = paid_session(stripe_client)
    (delivery,) = listener.wait(1)
    event = verified(stripe_sim, delivery)
    assert event.type == "checkout.session.completed"
    assert event.id.startswith("evt_")
    assert (event.object, event.livemode) == ("event", False)
    assert event.api_version == stripe_sim.api_version
    assert isinstance(event.created, int)
    completed = event.data.object
    assert (completed.id, completed.payment_status) == (session.id, "paid")
    assert completed.client_reference_id == "2024-0001"
    assert completed.payment_intent.startswith("pi_")
    headers, _body = delivery
    timestamp, signature = headers["Stripe-Signature"].split(",")
    assert timestamp.startswith("t=") and signature.startswith("v1=")
    assert abs(int(timestamp[2:]) - time.time()) < 10


def test_tampered_body_is_refused(stripe_sim, stripe_client, listener):
    paid_session(stripe_client)
    ((headers, body),) = listener.wait(1)
    tampered = body.replace(b'"paid"', b'"unpaid"')
    assert tampered != body
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            tampered, headers["Stripe-Signature"], stripe_sim.webhook_secret
        )
    reencoded = json.dumps(json.loads(body)).encode()  # same data, other bytes
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            reencoded, headers["Stripe-Signature"], stripe_sim.webhook_secret
        )
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            body, headers["Stripe-Signature"], "whsec_another_endpoint"
        )


def test_stale_signature_is_refused(stripe_sim, stripe_client, listener):
    session = paid_session(stripe_client)
    listener.wait(1)
    event = stripe_sim.send_event("checkout.session.completed", session.id, stale=600)
    received = listener.wait(2)
    headers, body = received[1]
    assert json.loads(body)["id"] == event.id
    with pytest.raises(stripe.SignatureVerificationError) as error:
        verified(stripe_sim, received[1])
    assert "tolerance" in str(error.value)


def test_retried_until_2xx_each_try_signed_anew(stripe_sim, stripe_client, listener):
    listener.answers = [500, 503]
    paid_session(stripe_client)
    received = listener.wait(3)
    assert len(received) == 3
    assert len({body for _headers, body in received}) == 1
    assert [d.status for d in stripe_sim.wait_for_deliveries(3)] == [500, 503, 200]
    for delivery in received:
        verified(stripe_sim, delivery)


def test_resend_same_event_and_out_of_order(stripe_sim, stripe_client, listener):
    session = paid_session(stripe_client)
    listener.wait(1)
    (completed,) = stripe_sim.events
    stripe_sim.resend(completed, copies=2)
    late = stripe_sim.send_event("checkout.session.completed", session.id, delay=0.5)
    expired_session = stripe_client.v1.checkout.sessions.create(params=session_params())
    stripe_sim.expire(expired_session.id)
    received = listener.wait(5)
    ids = [json.loads(body)["id"] for _headers, body in received]
    types = [json.loads(body)["type"] for _headers, body in received]
    assert ids[:3] == [completed.id] * 3
    assert types[3:] == ["checkout.session.expired", "checkout.session.completed"]
    assert ids[4] == late.id


def test_livemode_event_for_the_refusal_test(stripe_sim, stripe_client, listener):
    session = paid_session(stripe_client)
    listener.wait(1)
    stripe_sim.send_event("checkout.session.completed", session.id, livemode=True)
    event = verified(stripe_sim, listener.wait(2)[1])
    assert event.livemode is True


def test_webhooks_go_to_loopback_only(stripe_sim):
    with pytest.raises(ValueError):
        stripe_sim.webhook_url = "http://example.com/@@stripe-webhook"
