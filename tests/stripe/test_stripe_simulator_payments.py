"""After the payer's page: refunds, delayed payments (SEPA debit) and
disputes at the Stripe simulator, through the official ``stripe`` library
and its webhooks."""

from stripe_fixtures import choose
from stripe_fixtures import listener_fixture  # noqa: F401
from stripe_fixtures import session_params
from stripe_fixtures import stripe_client_fixture  # noqa: F401
from stripe_fixtures import stripe_sim_fixture  # noqa: F401

import json
import pytest
import stripe


def paid(stripe_client, how: str = "pay"):
    """A session paid on the page, with its PaymentIntent and charge."""
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    choose(session, how)
    return stripe_client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent.latest_charge"]}
    )


def events(stripe_sim, listener, count: int) -> list:
    """The first ``count`` events delivered, verified by the library."""
    return [
        stripe.Webhook.construct_event(
            body, headers["Stripe-Signature"], stripe_sim.webhook_secret
        )
        for headers, body in listener.wait(count)
    ]


def test_partial_then_full_refund(stripe_sim, stripe_client, listener):
    session = paid(stripe_client)
    intent = session.payment_intent
    first = stripe_client.v1.refunds.create(
        params={"payment_intent": intent.id, "amount": 1000}
    )
    assert (first.amount, first.status, first.currency) == (1000, "succeeded", "eur")
    assert (first.charge, first.payment_intent) == (intent.latest_charge.id, intent.id)
    rest = stripe_client.v1.refunds.create(params={"charge": intent.latest_charge.id})
    assert rest.amount == 1500  # all that remains
    assert stripe_client.v1.refunds.retrieve(rest.id).to_dict() == rest.to_dict()
    charge = stripe_client.v1.charges.retrieve(intent.latest_charge.id)
    assert (charge.amount_refunded, charge.refunded) == (2500, True)
    received = events(stripe_sim, listener, 5)
    assert [e.type for e in received] == [
        "checkout.session.completed",
        "refund.created",
        "charge.refunded",
        "refund.created",
        "charge.refunded",
    ]
    # charge.refunded carries the Charge with the cumulative amount, no refund id
    assert [e.data.object.amount_refunded for e in received[2::2]] == [1000, 2500]
    assert [e.data.object.id for e in received[1::2]] == [first.id, rest.id]


def test_refund_more_than_remains(stripe_sim, stripe_client):
    intent = paid(stripe_client).payment_intent
    stripe_client.v1.refunds.create(
        params={"payment_intent": intent.id, "amount": 2000}
    )
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_client.v1.refunds.create(
            params={"payment_intent": intent.id, "amount": 501}
        )
    assert (error.value.code, error.value.param) == ("amount_too_large", "amount")
    assert error.value.json_body["error"]["type"] == "invalid_request_error"
    stripe_client.v1.refunds.create(params={"payment_intent": intent.id})
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_client.v1.refunds.create(params={"payment_intent": intent.id})
    assert error.value.code == "charge_already_refunded"
    charge = stripe_client.v1.charges.retrieve(intent.latest_charge.id)
    assert charge.amount_refunded == 2500


def test_refund_twice_with_one_idempotency_key(stripe_sim, stripe_client):
    intent = paid(stripe_client).payment_intent
    params = {"payment_intent": intent.id, "amount": 700}
    options = {"idempotency_key": "refund-2024-0001-1"}
    first = stripe_client.v1.refunds.create(params=params, options=options)
    again = stripe_client.v1.refunds.create(params=params, options=options)
    assert again.id == first.id
    assert stripe_client.v1.charges.retrieve(
        intent.latest_charge.id
    ).amount_refunded == (700)


def test_nothing_to_refund_before_payment(stripe_client):
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    choose(session, "decline")
    intent = stripe_client.v1.checkout.sessions.retrieve(session.id).payment_intent
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_client.v1.refunds.create(params={"payment_intent": intent})
    assert error.value.code == "charge_not_refundable"


def test_refund_needs_a_charge_or_payment_intent(stripe_client):
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_client.v1.refunds.create(params={"amount": 100})
    assert error.value.code == "parameter_missing"
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_client.v1.refunds.create(params={"payment_intent": "pi_nope"})
    assert (error.value.http_status, error.value.code) == (404, "resource_missing")


def test_pending_refund_fails(stripe_sim, stripe_client, listener):
    stripe_sim.refunds_pending = True
    intent = paid(stripe_client).payment_intent
    refund = stripe_client.v1.refunds.create(params={"payment_intent": intent.id})
    assert refund.status == "pending"
    stripe_sim.settle_refund(refund.id, succeeded=False)
    again = stripe_client.v1.refunds.retrieve(refund.id)
    assert (again.status, again.failure_reason) == (
        "failed",
        "expired_or_canceled_card",
    )
    charge = stripe_client.v1.charges.retrieve(intent.latest_charge.id)
    assert (charge.amount_refunded, charge.refunded) == (0, False)
    received = events(stripe_sim, listener, 5)
    assert [e.type for e in received[1:]] == [
        "refund.created",
        "charge.refunded",
        "refund.updated",
        "refund.failed",
    ]
    assert received[3].data.previous_attributes.status == "pending"


def test_pending_refund_succeeds(stripe_sim, stripe_client, listener):
    stripe_sim.refunds_pending = True
    intent = paid(stripe_client).payment_intent
    refund = stripe_client.v1.refunds.create(params={"payment_intent": intent.id})
    stripe_sim.settle_refund(refund.id)
    assert stripe_client.v1.refunds.retrieve(refund.id).status == "succeeded"
    assert events(stripe_sim, listener, 4)[3].type == "refund.updated"


@pytest.mark.parametrize("succeeded", [True, False])
def test_sepa_debit_confirms_later(stripe_sim, stripe_client, listener, succeeded):
    session = stripe_client.v1.checkout.sessions.create(params=session_params())
    answer = choose(session, "sepa")
    assert answer.headers["Location"].endswith(f"?s={session.id}")
    later = stripe_client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent"]}
    )
    assert (later.status, later.payment_status) == ("complete", "unpaid")
    assert later.payment_intent.status == "processing"
    stripe_sim.settle_async(session.id, succeeded=succeeded)
    settled = stripe_client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent.latest_charge"]}
    )
    charge = settled.payment_intent.latest_charge
    assert charge.payment_method_details.type == "sepa_debit"
    if succeeded:
        assert settled.payment_status == "paid"
        assert (settled.payment_intent.status, charge.status) == (
            "succeeded",
            "succeeded",
        )
    else:
        assert settled.payment_status == "unpaid"
        assert settled.payment_intent.status == "requires_payment_method"
        assert charge.status == "failed"
    received = events(stripe_sim, listener, 2)
    assert received[0].type == "checkout.session.completed"
    assert received[0].data.object.payment_status == "unpaid"
    outcome = "succeeded" if succeeded else "failed"
    assert received[1].type == f"checkout.session.async_payment_{outcome}"
    assert received[1].data.object.id == session.id
    with pytest.raises(ValueError):
        stripe_sim.settle_async(session.id)  # nothing pending any more


def test_sepa_takes_eur_only(stripe_client):
    items = session_params()["line_items"]
    items[0]["price_data"]["currency"] = "usd"
    session = stripe_client.v1.checkout.sessions.create(
        params=session_params(line_items=items)
    )
    assert choose(session, "sepa").status_code == 409
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).status == "open"


def test_dispute_created_and_closed(stripe_sim, stripe_client, listener):
    intent = paid(stripe_client).payment_intent
    stripe_client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 500})
    dispute = stripe_sim.dispute(intent.latest_charge.id)
    stripe_sim.close_dispute(dispute["id"], won=False)
    received = events(stripe_sim, listener, 5)
    created, closed = received[3:]
    assert created.type == "charge.dispute.created"
    assert created.data.object.id.startswith("du_")
    assert (created.data.object.charge, created.data.object.payment_intent) == (
        intent.latest_charge.id,
        intent.id,
    )
    assert (created.data.object.amount, created.data.object.status) == (
        2000,
        "needs_response",
    )
    assert (closed.type, closed.data.object.status) == ("charge.dispute.closed", "lost")
    assert stripe_client.v1.charges.retrieve(intent.latest_charge.id).disputed is True
    with pytest.raises(stripe.InvalidRequestError) as error:
        stripe_client.v1.refunds.create(params={"payment_intent": intent.id})
    assert error.value.code == "charge_disputed"


def test_event_retrieved_by_id(stripe_sim, stripe_client, listener):
    paid(stripe_client)
    (delivery,) = listener.wait(1)
    sent = json.loads(delivery[1])
    event = stripe_client.v1.events.retrieve(sent["id"])
    assert event.to_dict()["data"]["object"]["id"] == sent["data"]["object"]["id"]
