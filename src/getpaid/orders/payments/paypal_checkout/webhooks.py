"""What a verified PayPal Checkout webhook does: one handler per event type.

``browser/paypal_webhook.py`` verifies a delivery with PayPal first; then
``handle`` passes its resource to the handler of its ``event_type``. Each
finds our order from the resource (``invoice_id``, checked against
``custom_id``) and records through ``recording`` (captures, refunds) or
``flow.capture`` (an approval the payer never came back from), so a
webhook, the payer's return and reconciliation can race and still give one
record and one transition. A delivery sent again (PayPal retries until it
gets a 2xx, and sometimes sends twice) finds its record and does nothing.

An event about an order we don't know, or of a type we don't handle, is
logged and done with: PayPal must not send it again. ``PayPalUnavailable``
(a look-up the handler needs) and ``ProviderUnavailable`` (from
``flow.capture``) go to the caller, which answers 503 so that PayPal
tries again later.
"""

from decimal import Decimal
from getpaid.orders import logger
from getpaid.orders.api.attempts import find_attempt
from getpaid.orders.api.attempts import update_attempt
from getpaid.orders.api.attention import raise_attention
from getpaid.orders.api.attention import REVERSAL
from getpaid.orders.api.history import add_history
from getpaid.orders.api.payments import find_payment
from getpaid.orders.api.payments import record_payment
from getpaid.orders.content.attempt import FAILED
from getpaid.orders.exceptions import DuplicatePayment
from getpaid.orders.money import currency_codes
from getpaid.orders.payments.paypal_checkout import flow
from getpaid.orders.payments.paypal_checkout import recording
from getpaid.orders.payments.paypal_checkout import settings
from getpaid.orders.payments.paypal_checkout.errors import PayPalError
from getpaid.orders.payments.paypal_checkout.recording import find_order
from getpaid.orders.payments.paypal_checkout.recording import Outcome
from getpaid.orders.payments.paypal_checkout.recording import PROVIDER
from getpaid.orders.workflow import SOURCE_PROVIDER


# The status a chargeback's record is kept under: the resource PayPal sends
# is a refund (status COMPLETED), but no refund of ours.
REVERSED = "REVERSED"


def handle(event: dict, raw: bytes) -> Outcome:
    """Act on a verified event; ``raw`` is its body as delivered (kept as
    the record's evidence)."""
    handler = HANDLERS.get(str(event.get("event_type") or ""))
    resource = event.get("resource")
    if handler is None:
        return Outcome("ignored: not an event we handle")
    if not isinstance(resource, dict):
        return Outcome("ignored: no resource")
    return handler(resource, raw)


def order_approved(resource: dict, raw: bytes) -> Outcome:
    """CHECKOUT.ORDER.APPROVED: the payer approved, and may never come back
    to the shop; capture it as their return would have."""
    order = _order_of_checkout(resource)
    paypal_order_id = str(resource.get("id") or "")
    if order is None or not paypal_order_id:
        return Outcome("unknown order")
    attempt = find_attempt(order, PROVIDER, paypal_order_id)
    if attempt is None and not _unit(resource).get("custom_id"):
        # Named by our invoice number only: not known to be this order's.
        return Outcome("no such attempt")
    if attempt is not None and attempt.settled:
        return Outcome("duplicate")
    # flow.capture takes no payment an order paid meanwhile, or canceled,
    # can't take ("not payable").
    return flow.capture(order, paypal_order_id)


def approval_reversed(resource: dict, raw: bytes) -> Outcome:
    """CHECKOUT.PAYMENT-APPROVAL.REVERSED: PayPal cancels an approval that
    was never captured; the order stays unpaid, ready to be paid again."""
    order = _order_of_checkout(resource)
    if order is None:
        return Outcome("unknown order")
    paypal_order_id = str(resource.get("id") or "")
    attempt = find_attempt(order, PROVIDER, paypal_order_id)
    if attempt is None or attempt.settled:
        return Outcome("duplicate" if attempt is not None else "no such attempt")
    update_attempt(order, attempt, status=FAILED, detail="PAYMENT-APPROVAL.REVERSED")
    add_history(
        order,
        source=SOURCE_PROVIDER,
        action="payment approval reversed",
        comment=f"PayPal {paypal_order_id}",
    )
    return Outcome("failed")


def capture_changed(resource: dict, raw: bytes) -> Outcome:
    """PAYMENT.CAPTURE.COMPLETED / PENDING / DENIED / DECLINED: the capture
    as it is now, recorded (and checked against the order) once."""
    order = find_order(
        str(resource.get("invoice_id") or ""), str(resource.get("custom_id") or "")
    )
    if order is None:
        return Outcome("unknown order")
    return recording.record_capture(order, resource, raw=raw)


def capture_refunded(resource: dict, raw: bytes) -> Outcome:
    """PAYMENT.CAPTURE.REFUNDED: a refund, made at PayPal or echoing one
    from our back office (then recorded already: a duplicate)."""
    capture_id = recording.up_id(resource)
    order, capture = _order_of_refund(resource, capture_id)
    if order is None:
        return Outcome("unknown order")
    if find_payment(order, PROVIDER, capture_id, "COMPLETED") is None:
        # The refund came first (deliveries come in any order): record the
        # capture it refunds, as PayPal has it now, so that the refund is
        # judged against what was paid.
        capture = capture or settings.client().get_capture(capture_id)
        recording.record_capture(order, capture)
    return recording.record_refund(order, resource, capture_id=capture_id, raw=raw)


def capture_reversed(resource: dict, raw: bytes) -> Outcome:
    """PAYMENT.CAPTURE.REVERSED: a chargeback or reversal took the money
    back. Kept as evidence and flagged for a person (as IPN's Reversed):
    whether the order was refunded is theirs to decide."""
    capture_id = recording.up_id(resource)
    order, _capture = _order_of_refund(resource, capture_id)
    if order is None:
        return Outcome("unknown order")
    amount, currency = recording.money_of(resource)
    try:
        payment = record_payment(
            order,
            provider=PROVIDER,
            txn_id=str(resource.get("id") or ""),
            status=REVERSED,
            amount=-amount if amount is not None else Decimal(0),
            currency=currency if currency in currency_codes() else "XXX",
            kind="",
            parent_txn_id=capture_id,
            raw=raw,
            charset="utf-8",
        )
    except DuplicatePayment:
        return Outcome("duplicate")
    raise_attention(
        order,
        f"PayPal {capture_id}: the payment was reversed (a chargeback)",
        source=SOURCE_PROVIDER,
        kind=REVERSAL,
        ref=capture_id,
        new=REVERSED,
    )
    return Outcome("flagged", payment)


def _order_of_checkout(resource: dict):
    """Our order named by a PayPal order's purchase unit."""
    unit = _unit(resource)
    invoice, custom = unit.get("invoice_id"), unit.get("custom_id")
    return find_order(str(invoice or ""), str(custom or ""))


def _unit(resource: dict) -> dict:
    units = resource.get("purchase_units")
    unit = units[0] if isinstance(units, list) and units else {}
    return unit if isinstance(unit, dict) else {}


def _order_of_refund(resource: dict, capture_id: str):
    """(order, capture) for a refund: by its own invoice_id when it has
    one (ours carry none: ``client.refund_capture``), else by its capture's
    at PayPal (the capture too, None when not looked up)."""
    invoice = str(resource.get("invoice_id") or "")
    if invoice:
        return find_order(invoice, str(resource.get("custom_id") or "")), None
    if not capture_id:
        return None, None
    try:
        capture = settings.client().get_capture(capture_id)
    except PayPalError as error:  # not ours, or gone: nothing to record
        logger.warning("PayPal capture %s not found: %s", capture_id, error)
        return None, None
    order = find_order(
        str(capture.get("invoice_id") or ""), str(capture.get("custom_id") or "")
    )
    return order, capture


HANDLERS = {
    "CHECKOUT.ORDER.APPROVED": order_approved,
    "CHECKOUT.PAYMENT-APPROVAL.REVERSED": approval_reversed,
    "PAYMENT.CAPTURE.COMPLETED": capture_changed,
    "PAYMENT.CAPTURE.PENDING": capture_changed,
    "PAYMENT.CAPTURE.DENIED": capture_changed,
    "PAYMENT.CAPTURE.DECLINED": capture_changed,
    "PAYMENT.CAPTURE.REFUNDED": capture_refunded,
    "PAYMENT.CAPTURE.REVERSED": capture_reversed,
}
