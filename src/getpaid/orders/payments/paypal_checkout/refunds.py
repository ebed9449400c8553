"""Refunds through PayPal's API, from the back office.

``api.refunds`` decides what may be refunded and of which capture; this
sends it to PayPal's capture-refund API and records PayPal's answer through
``recording.record_refund``, the path a webhook's PAYMENT.CAPTURE.REFUNDED
takes too: the echo of our own refund is then a duplicate.

The ``PayPal-Request-Id`` is derived from the order, the capture, how many
refunds of that capture are recorded, and the amount. A request Zope runs
again after a ConflictError, or a refund tried again after PayPal didn't
answer, sends the same id, and PayPal answers with the refund it made (for
about 6 hours); a second genuine refund of the same amount comes after the
first is recorded, so it gets another id. Two clicks on the same form are
told apart by the form itself (``api.refunds``: the refunds it has seen),
since our records, not PayPal's memory of ids, are the lasting guard.
"""

from getpaid.orders import _
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.exceptions import RefundNotPossible
from getpaid.orders.payments.paypal_checkout import recording
from getpaid.orders.payments.paypal_checkout import settings
from getpaid.orders.payments.paypal_checkout.client import request_id
from getpaid.orders.payments.paypal_checkout.errors import PayPalError
from getpaid.orders.payments.paypal_checkout.errors import PayPalUnavailable

import logging


logger = logging.getLogger(__name__)

# What PayPal's refusals mean for staff; any other is named as PayPal did.
REFUSALS = {
    "REFUND_AMOUNT_EXCEEDED": _(
        "PayPal refused: the refund is more than remains of the payment at "
        "PayPal (was part of it refunded in your PayPal account?)."
    ),
    "CAPTURE_FULLY_REFUNDED": _(
        "PayPal refused: the payment is refunded in full already (in your "
        "PayPal account?). PayPal's notification records that refund here."
    ),
    "TRANSACTION_REFUSED": _(
        "PayPal refused the refund (TRANSACTION_REFUSED): the payment may be "
        "disputed or too old. See the payment in your PayPal account."
    ),
    "REFUND_TIME_LIMIT_EXCEEDED": _(
        "PayPal refused: the payment is too old to be refunded through the "
        "API. Refund it in your PayPal account."
    ),
    "PENDING_CAPTURE": _(
        "PayPal refused: the payment is still pending at PayPal; refund it "
        "once it has completed."
    ),
}


def refund_key(order, payment, amount) -> str:
    """The PayPal-Request-Id of refunding ``amount`` of ``payment`` now."""
    done = sum(
        1
        for record in order.payments()
        if record.provider == payment.provider
        and record.parent_txn_id == payment.txn_id
        and record.amount < 0
    )
    return request_id("refund", order.UID(), payment.txn_id, str(done), str(amount))


def refund(order, payment, amount, note):
    """Refund ``amount`` of the capture ``payment`` records, with ``note``
    for the payer (``note_to_payer``), and record PayPal's answer. Returns
    the ``recording.Outcome``."""
    capture_id = payment.txn_id
    try:
        client = settings.client()
    except ValueError as error:  # the app isn't set up
        raise RefundNotPossible(str(error)) from error
    try:
        answer = client.refund_capture(
            capture_id,
            request_id=refund_key(order, payment, amount),
            amount=amount,
            currency=order.currency,
            note_to_payer=note,
        )
    except PayPalError as error:
        logger.warning("Refund of %s on order %s: %s", capture_id, order.number, error)
        raise RefundNotPossible(
            REFUSALS.get(error.issue)
            or _(
                "PayPal refused the refund: ${problem}",
                mapping={"problem": error.issue or error.name or str(error.status)},
            )
        ) from error
    except PayPalUnavailable as error:
        logger.warning("Refund of %s on order %s: %s", capture_id, order.number, error)
        raise ProviderUnavailable(
            _(
                "PayPal did not answer; the refund may or may not have been "
                "made. Try again later: the same refund is sent again, and "
                "PayPal answers with what it did, so nothing is refunded twice."
            )
        ) from error
    return recording.record_refund(
        order, answer, capture_id=recording.up_id(answer) or capture_id
    )
