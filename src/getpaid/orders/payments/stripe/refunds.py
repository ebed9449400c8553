"""Refunds through Stripe's Refunds API, from the back office.

``api.refunds`` decides what may be refunded and of which payment (a
PaymentIntent); this asks Stripe to refund it and records Stripe's answer
through ``recording.record_refund``, the path a webhook's refund.created
takes too: the echo of our own refund is then a duplicate. Our metadata
(the order's UID and number) goes on the refund, so its events name the
order.

The idempotency key is derived from the order, the PaymentIntent, how many
refunds of it are recorded, and the amount, as PayPal's request id is: a
request Zope runs again, or a refund asked again after Stripe didn't
answer, makes one refund (Stripe keeps keys for 24 hours); the next genuine
refund of the same amount comes after the first is recorded, with another
key.
"""

from getpaid.orders import _
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.exceptions import RefundNotPossible
from getpaid.orders.payments.stripe import client as stripe_client
from getpaid.orders.payments.stripe import recording
from getpaid.orders.payments.stripe.amounts import minor
from getpaid.orders.payments.stripe.client import key
from getpaid.orders.payments.stripe.client import StripeRefused
from getpaid.orders.payments.stripe.client import StripeUnavailable

import logging


logger = logging.getLogger(__name__)

# What Stripe's refusals mean for staff; any other is named as Stripe did.
REFUSALS = {
    "charge_already_refunded": _(
        "Stripe refused: the payment is refunded in full already (in your "
        "Stripe Dashboard?). Stripe's notification records that refund here."
    ),
    "charge_disputed": _(
        "Stripe refused: the payment is disputed. Answer the dispute in your "
        "Stripe Dashboard."
    ),
    "amount_too_large": _(
        "Stripe refused: the refund is more than remains of the payment at "
        "Stripe (was part of it refunded in your Stripe Dashboard?)."
    ),
}


def refund_key(order, payment, amount) -> str:
    """The idempotency key of refunding ``amount`` of ``payment`` now."""
    done = sum(
        1
        for record in order.payments()
        if record.provider == payment.provider
        and record.parent_txn_id == payment.txn_id
        and record.amount < 0
    )
    return key("refund", order.UID(), payment.txn_id, str(done), str(amount))


def refund(order, payment, amount, note):
    """Refund ``amount`` of the PaymentIntent ``payment`` records, and
    record Stripe's answer. Stripe's refunds carry no note for the payer;
    ``note`` is kept in the refund's metadata. Returns the
    ``recording.Outcome``."""
    try:
        stripe = stripe_client.client()
    except ValueError as error:  # no key
        raise RefundNotPossible(str(error)) from error
    params = {
        "payment_intent": payment.txn_id,
        "amount": minor(amount, order.currency),
        "metadata": {"uid": order.UID(), "number": order.number},
    }
    if note:
        params["metadata"]["note"] = note
    try:
        answer = stripe.create_refund(
            params, idempotency_key=refund_key(order, payment, amount)
        )
    except StripeRefused as error:
        logger.warning(
            "Refund of %s on order %s: %s", payment.txn_id, order.number, error
        )
        raise RefundNotPossible(
            REFUSALS.get(error.code)
            or _(
                "Stripe refused the refund: ${problem}",
                mapping={"problem": error.code or str(error)[:200]},
            )
        ) from error
    except StripeUnavailable as error:
        logger.warning(
            "Refund of %s on order %s: %s", payment.txn_id, order.number, error
        )
        raise ProviderUnavailable(
            _(
                "Stripe did not answer; the refund may or may not have been "
                "made. Try again later: the same refund is sent again, and "
                "Stripe answers with what it did, so nothing is refunded twice."
            )
        ) from error
    return recording.record_refund(order, answer)
