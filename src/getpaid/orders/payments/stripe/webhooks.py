"""What a verified Stripe event does: one handler per event type.

``browser/stripe_webhook.py`` checks the signature (and the mode) first;
then ``handle`` passes the event's object to the handler of its type. A
Checkout Session names our order (``client_reference_id`` and metadata);
refunds, charges and disputes name only the PaymentIntent, whose order is
found by our metadata on a refund we made, by the payment recorded here,
or else by the PaymentIntent's metadata at Stripe. Everything is recorded
through ``recording``, so webhooks, the payer's return and reconciliation
can race and still give one record and one transition; a delivery sent
again (Stripe retries for three days until it gets a 2xx) finds its
record and does nothing.

An event about an order we don't know, or of a type we don't handle, is
logged and done with. ``StripeUnavailable`` (a look-up a handler needs)
goes to the caller, which answers 503 so that Stripe sends it again.
"""

from getpaid.orders.api.attempts import find_attempt
from getpaid.orders.api.attempts import update_attempt
from getpaid.orders.api.history import add_history
from getpaid.orders.api.payments import find_payment
from getpaid.orders.content.attempt import FAILED
from getpaid.orders.payments.stripe import client as stripe_client
from getpaid.orders.payments.stripe import recording
from getpaid.orders.payments.stripe.recording import find_order
from getpaid.orders.payments.stripe.recording import id_of
from getpaid.orders.payments.stripe.recording import Outcome
from getpaid.orders.payments.stripe.recording import PROVIDER
from getpaid.orders.payments.stripe.recording import SUCCEEDED
from getpaid.orders.workflow import SOURCE_PROVIDER


def handle(event: dict, raw: bytes) -> Outcome:
    """Act on a verified event; ``raw`` is its body as delivered (kept as
    the record's evidence)."""
    handler = HANDLERS.get(str(event.get("type") or ""))
    data = event.get("data")
    resource = data.get("object") if isinstance(data, dict) else None
    if handler is None:
        return Outcome("ignored: not an event we handle")
    if not isinstance(resource, dict):
        return Outcome("ignored: no object")
    return handler(resource, raw)


# Checkout Sessions


def _order_of_session(session: dict):
    """(order, attempt) a session of ours is about; order None if none."""
    metadata = recording.metadata_of(session)
    order = find_order(
        str(session.get("client_reference_id") or ""), str(metadata.get("uid") or "")
    )
    if order is None or not metadata.get("uid"):
        return None, None  # named by our number only: not known to be ours
    return order, find_attempt(order, PROVIDER, str(session.get("id") or ""))


def session_completed(session: dict, raw: bytes) -> Outcome:
    """checkout.session.completed and .async_payment_succeeded: paid when
    its ``payment_status`` is paid, else pending (an async method)."""
    order, _attempt = _order_of_session(session)
    if order is None:
        return Outcome("unknown order")
    return recording.record_session(order, session, raw=raw)


def session_failed(session: dict, raw: bytes) -> Outcome:
    """checkout.session.async_payment_failed: the debit didn't go through."""
    order, _attempt = _order_of_session(session)
    if order is None:
        return Outcome("unknown order")
    return recording.record_session(order, session, raw=raw, failed=True)


def session_expired(session: dict, raw: bytes) -> Outcome:
    """checkout.session.expired: nobody paid in it; the attempt failed."""
    order, attempt = _order_of_session(session)
    if order is None:
        return Outcome("unknown order")
    if attempt is None or attempt.settled:
        return Outcome("duplicate" if attempt is not None else "no such attempt")
    update_attempt(order, attempt, status=FAILED, detail="expired")
    add_history(
        order,
        source=SOURCE_PROVIDER,
        action="payment session expired",
        comment=f"Stripe {attempt.ref}",
    )
    return Outcome("failed")


# Refunds, charges, disputes: named by their PaymentIntent


def order_of_intent(intent_id: str, metadata=None):
    """The order of a PaymentIntent: by our metadata on the object, by the
    payment recorded here, else by the PaymentIntent's metadata at Stripe
    (None when it is none of ours)."""
    order = recording.order_of_metadata(metadata)
    if order is None:
        order = recording.order_of_payment(intent_id)
    if order is None and intent_id:
        try:
            intent = stripe_client.client().get_payment_intent(intent_id)
        except stripe_client.StripeRefused:
            return None
        order = recording.order_of_metadata(intent.get("metadata"))
    return order


def _paid_first(order, intent_id: str) -> None:
    """A refund or dispute came before the payment's own news (deliveries
    come in any order): record the payment as Stripe has it now, so that
    the refund is judged against what was paid."""
    if find_payment(order, PROVIDER, intent_id, SUCCEEDED) is None:
        intent = stripe_client.client().get_payment_intent(intent_id)
        recording.record_intent(order, intent)


def refund_changed(refund: dict, raw: bytes) -> Outcome:
    """refund.created / .updated / .failed: the refund as it is now, made
    from our back office (then recorded already: a duplicate) or at
    Stripe."""
    intent_id = id_of(refund.get("payment_intent"))
    order = order_of_intent(intent_id, refund.get("metadata"))
    if order is None:
        return Outcome("unknown order")
    if intent_id:
        _paid_first(order, intent_id)
    return recording.record_refund(order, refund, raw=raw)


def charge_refunded(charge: dict, raw: bytes) -> Outcome:
    """charge.refunded: the charge's ``amount_refunded`` is cumulative and
    names no refund. Each refund is recorded by its own id (the charge's
    list, or Stripe's), never an amount: refunds recorded already from
    their own events or our back office are duplicates, so nothing counts
    twice."""
    intent_id = id_of(charge.get("payment_intent"))
    order = order_of_intent(intent_id, charge.get("metadata"))
    if order is None or not intent_id:
        return Outcome("unknown order")
    _paid_first(order, intent_id)
    amount, _currency = recording.money_of(charge, "amount_refunded")
    if amount is not None and amount <= recording.refunded_by_id(order, intent_id):
        return Outcome("duplicate")  # every refund is recorded already
    listed = charge.get("refunds") if isinstance(charge.get("refunds"), dict) else {}
    refunds = listed.get("data") if not listed.get("has_more") else None
    if not refunds:
        refunds = stripe_client.client().list_refunds(intent_id)
    actions = [
        recording.record_refund(order, refund).action
        for refund in refunds
        if isinstance(refund, dict)
    ]
    done = [action for action in actions if action != "duplicate"]
    return Outcome(", ".join(done) or "duplicate")


def dispute_changed(dispute: dict, raw: bytes) -> Outcome:
    """charge.dispute.created / .closed: a chargeback opened (flagged and
    alerted) or closed (won: the flag goes)."""
    intent_id = id_of(dispute.get("payment_intent"))
    order = order_of_intent(intent_id, dispute.get("metadata"))
    if order is None:
        return Outcome("unknown order")
    return recording.record_dispute(order, dispute, raw=raw)


HANDLERS = {
    "checkout.session.completed": session_completed,
    "checkout.session.async_payment_succeeded": session_completed,
    "checkout.session.async_payment_failed": session_failed,
    "checkout.session.expired": session_expired,
    "refund.created": refund_changed,
    "refund.updated": refund_changed,
    "refund.failed": refund_changed,
    "charge.refunded": charge_refunded,
    "charge.dispute.created": dispute_changed,
    "charge.dispute.closed": dispute_changed,
}
