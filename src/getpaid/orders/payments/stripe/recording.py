"""What Stripe says about an order's money, recorded once.

The payer's return, webhooks, the back office's refunds and reconciliation
all end here with a Checkout Session, a PaymentIntent, a Refund or a
Dispute as Stripe writes them. Each becomes a payment record through
``api.payments.record_payment``: a payment under its PaymentIntent's id and
status (``succeeded``, ``processing``, ``failed``), a refund under its own
id and status. A session completed and the async payment's success, the
return and the webhook, all name the same PaymentIntent ``succeeded``: one
record, the others DuplicatePayment. What a payment or refund does to the
order is ``api.settlement``'s rule, as for PayPal.

Before a payment pays an order it must fit it: our number
(``client_reference_id`` or metadata) and the order's UID, its currency and
total. One that doesn't is recorded, flagged and alerted, never paid.
"""

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from getpaid.orders import logger
from getpaid.orders.api import settlement
from getpaid.orders.api.attempts import advance_attempt
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.api.attempts import find_attempt
from getpaid.orders.api.attempts import update_attempt
from getpaid.orders.api.attention import clear_attention
from getpaid.orders.api.attention import PROBLEM
from getpaid.orders.api.attention import raise_attention
from getpaid.orders.api.attention import REFUND_PROBLEM
from getpaid.orders.api.attention import REVERSAL
from getpaid.orders.api.history import add_history
from getpaid.orders.api.orders import ORDERS_FOLDER_ID
from getpaid.orders.api.payments import find_payment
from getpaid.orders.api.payments import PAYMENT
from getpaid.orders.api.payments import record_payment
from getpaid.orders.api.payments import REFUND
from getpaid.orders.content.attempt import FAILED
from getpaid.orders.content.attempt import PAID
from getpaid.orders.content.attempt import PENDING
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.exceptions import DuplicatePayment
from getpaid.orders.payments.stripe.amounts import currency_of
from getpaid.orders.payments.stripe.amounts import major
from getpaid.orders.workflow import SOURCE_PROVIDER
from plone import api

import json


PROVIDER = "stripe"
# A payment's record status: its PaymentIntent's.
SUCCEEDED = "succeeded"
PROCESSING = "processing"  # an async method (SEPA debit) confirms later
FAILED_STATUS = "failed"
# A dispute closed in the shop's favour: the money is back.
DISPUTE_UNDONE = frozenset({"won", "warning_closed"})


@dataclass
class Outcome:
    """What recording did, for logs, pages and tests."""

    # paid, pending, failed, refunded, refund recorded, flagged, duplicate…
    action: str
    payment: object = None
    problems: list[str] = field(default_factory=list)


def find_order(number: str, uid: str = ""):
    """Our order by its number, checked against its UID when given."""
    folder = api.portal.get().get(ORDERS_FOLDER_ID)
    order = folder.get(number) if folder is not None and number else None
    if order is None or getattr(order, "portal_type", "") != "Order":
        return None
    if uid and uid != order.UID():
        return None
    return order


def order_of_metadata(metadata) -> object:
    """The order our metadata (``uid``, ``number``) names, or None."""
    metadata = metadata if isinstance(metadata, dict) else {}
    number, uid = str(metadata.get("number") or ""), str(metadata.get("uid") or "")
    return find_order(number, uid) if number and uid else None


def order_of_payment(intent_id: str):
    """The order a PaymentIntent was recorded on (the catalog's
    ``payment_txn_ids``), or None."""
    if not intent_id:
        return None
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type="Order", payment_txn_ids=intent_id
    ):
        return brain._unrestrictedGetObject()
    return None


def id_of(value) -> str:
    """A Stripe reference's id: the id itself, or an expanded object's."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value or "")


def metadata_of(resource: dict) -> dict:
    metadata = resource.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def money_of(resource: dict, key: str = "amount") -> tuple[Decimal | None, str]:
    """(amount, currency) of a Stripe object; None for no amount."""
    currency = currency_of(resource.get("currency"))
    if not currency:
        return None, str(resource.get("currency") or "").upper()
    return major(resource.get(key), currency), currency


def problems_with(order, reference, uid, amount, currency) -> list[str]:
    """Why a payment doesn't fit the order; empty when it does."""
    problems = []
    if reference and reference != order.number:
        problems.append(f"reference {reference!r}, not {order.number}")
    if uid and uid != order.UID():
        problems.append("metadata uid is another order's")
    if currency != order.currency:
        problems.append(f"currency {currency!r}, not {order.currency}")
    if amount is None:
        problems.append("no amount")
    elif amount != order.total:
        problems.append(f"amount {amount}, not {order.total}")
    return problems


def record_session(order, session: dict, *, raw: bytes = b"", failed=False):
    """Record what a Checkout Session (an event's, or looked up) says of
    its payment: paid, still processing (async methods), or ``failed``
    (checkout.session.async_payment_failed). An open or expired session
    records nothing."""
    complete = session.get("status") == "complete"
    paid = session.get("payment_status") == "paid"
    if paid:
        status = SUCCEEDED
    elif complete and failed:
        status = FAILED_STATUS
    elif complete:
        status = PROCESSING
    else:
        return Outcome("nothing")
    amount, currency = money_of(session, "amount_total")
    metadata = metadata_of(session)
    return record_charge(
        order,
        intent_id=id_of(session.get("payment_intent")),
        status=status,
        amount=amount,
        currency=currency,
        reference=str(session.get("client_reference_id") or ""),
        uid=str(metadata.get("uid") or ""),
        session_id=str(session.get("id") or ""),
        raw=raw or _json(session),
    )


def record_intent(
    order, intent: dict, *, raw: bytes = b"", session_id: str = ""
) -> Outcome:
    """Record what a PaymentIntent (looked up) says of the payment;
    ``session_id``: the Checkout Session it was paid in, when known."""
    state = str(intent.get("status") or "")
    if state == "succeeded":
        status, amount_key = SUCCEEDED, "amount_received"
    elif state == "processing":
        status, amount_key = PROCESSING, "amount"
    elif state in ("requires_payment_method", "canceled") and (
        intent.get("last_payment_error") or state == "canceled"
    ):
        status, amount_key = FAILED_STATUS, "amount"
    else:
        return Outcome("nothing")
    amount, currency = money_of(intent, amount_key)
    metadata = metadata_of(intent)
    return record_charge(
        order,
        intent_id=str(intent.get("id") or ""),
        status=status,
        amount=amount,
        currency=currency,
        reference=str(metadata.get("number") or ""),
        uid=str(metadata.get("uid") or ""),
        session_id=session_id,
        raw=raw or _json(intent),
    )


def record_charge(
    order,
    *,
    intent_id: str,
    status: str,
    amount: Decimal | None,
    currency: str,
    reference: str,
    uid: str,
    session_id: str = "",
    raw: bytes,
) -> Outcome:
    """Record the PaymentIntent ``intent_id`` in ``status`` and do what it
    means for the order, once."""
    if not intent_id:
        return Outcome("no payment intent")
    attempt = _attempt_of(order, session_id, intent_id)
    if attempt is not None and attempt.payment_ref != intent_id:
        attempt = update_attempt(order, attempt, payment_ref=intent_id)
    if status != SUCCEEDED and find_payment(order, PROVIDER, intent_id, SUCCEEDED):
        return Outcome("duplicate")  # late news of a payment that succeeded
    problems = problems_with(order, reference, uid, amount, currency)
    try:
        payment = record_payment(
            order,
            provider=PROVIDER,
            txn_id=intent_id,
            status=status,
            amount=amount if amount is not None else Decimal(0),
            currency=currency or "XXX",
            kind=PAYMENT if status == SUCCEEDED and not problems else "",
            parent_txn_id=session_id or (attempt.ref if attempt else ""),
            raw=raw,
            charset="utf-8",
        )
    except DuplicatePayment:
        return Outcome("duplicate")
    label = f"Stripe {intent_id}"
    outcome = Outcome("recorded", payment, problems)
    if problems:
        raise_attention(
            order,
            f"{label}: {'; '.join(problems)}",
            source=SOURCE_PROVIDER,
            kind=PROBLEM,
            ref=intent_id,
            new=status,
        )
        outcome.action = "flagged"
    elif status == SUCCEEDED:
        if order.payment_pending_txn in ("", intent_id):
            order.payment_pending = order.payment_pending_txn = ""
        outcome.action = settlement.apply_payment(
            order,
            payment,
            source=SOURCE_PROVIDER,
            label=label,
            accept_when_canceled=get_setting("paypal_pay_canceled_orders", False),
        )
    elif status == PROCESSING:
        outcome.action = settlement.apply_pending(
            order, payment, PROCESSING, source=SOURCE_PROVIDER, label=label
        )
    else:
        outcome.action = settlement.apply_failure(order, payment, label=label)
    if attempt is not None:
        advance_attempt(order, attempt, _attempt_status(status, not problems))
    return outcome


def record_refund(order, refund: dict, *, raw: bytes = b"") -> Outcome:
    """Record a Refund (made from the back office, or at Stripe and learned
    from a webhook) and judge it against the order's payments. Stripe
    writes refunds as positive amounts; the record keeps it negative."""
    status = str(refund.get("status") or "")
    amount, currency = money_of(refund)
    refund_id = str(refund.get("id") or "")
    try:
        payment = record_payment(
            order,
            provider=PROVIDER,
            txn_id=refund_id,
            status=status,
            amount=-amount if amount is not None else Decimal(0),
            currency=currency or "XXX",
            kind=REFUND if status == SUCCEEDED else "",
            parent_txn_id=id_of(refund.get("payment_intent")),
            raw=raw or _json(refund),
            charset="utf-8",
        )
    except DuplicatePayment:
        return Outcome("duplicate")
    label = f"Stripe refund {refund_id}"
    if status == SUCCEEDED:
        action = settlement.apply_refund(
            order, payment, source=SOURCE_PROVIDER, label=label
        )
        return Outcome(action, payment)
    if status in ("failed", "canceled") and find_payment(
        order, PROVIDER, refund_id, SUCCEEDED
    ):
        # Recorded as made, and the money came back to the shop: a person
        # sees what the customer is owed.
        raise_attention(
            order,
            f"{label}: {status} after it succeeded; the money is back with the shop",
            source=SOURCE_PROVIDER,
            kind=REFUND_PROBLEM,
            ref=refund_id,
            new=status,
        )
        return Outcome("flagged", payment)
    add_history(
        order,
        source=SOURCE_PROVIDER,
        action="refund " + status.replace("_", " "),
        new=str(amount),
        comment=label,
    )
    return Outcome("recorded", payment)


def refunded_by_id(order, intent_id: str) -> Decimal:
    """The refunds of ``intent_id`` recorded here as succeeded."""
    return sum(
        (
            -record.amount
            for record in order.payments()
            if record.provider == PROVIDER
            and record.parent_txn_id == intent_id
            and record.status == SUCCEEDED
            and record.amount < 0
        ),
        Decimal(0),
    )


def record_dispute(order, dispute: dict, *, raw: bytes = b"") -> Outcome:
    """A dispute (chargeback) opened or closed: kept as evidence; opened,
    the order is flagged for a person; won, the flag goes."""
    status = str(dispute.get("status") or "")
    intent_id = id_of(dispute.get("payment_intent")) or id_of(dispute.get("charge"))
    amount, currency = money_of(dispute)
    try:
        payment = record_payment(
            order,
            provider=PROVIDER,
            txn_id=str(dispute.get("id") or ""),
            status=f"dispute {status}",
            amount=-amount if amount is not None else Decimal(0),
            currency=currency or "XXX",
            kind="",
            parent_txn_id=intent_id,
            raw=raw or _json(dispute),
            charset="utf-8",
        )
    except DuplicatePayment:
        return Outcome("duplicate")
    label = f"Stripe {intent_id}"
    if status in DISPUTE_UNDONE:
        clear_attention(
            order,
            source=SOURCE_PROVIDER,
            action="dispute closed",
            comment=f"{label}: {status}",
            kind=REVERSAL,
            ref=intent_id,
        )
        return Outcome("cleared", payment)
    if status == "lost" or not _flagged(order, intent_id):
        reason = dispute.get("reason") or "dispute"
        raise_attention(
            order,
            f"{label}: the payment is disputed ({reason}, {status}): answer "
            "in the Stripe Dashboard",
            source=SOURCE_PROVIDER,
            kind=REVERSAL,
            ref=intent_id,
            new=status,
        )
        return Outcome("flagged", payment)
    add_history(
        order, source=SOURCE_PROVIDER, action="dispute", new=status, comment=label
    )
    return Outcome("recorded", payment)


def _flagged(order, intent_id: str) -> bool:
    return any(
        (flag.kind, flag.ref) == (REVERSAL, intent_id) for flag in order.attention_flags
    )


def _attempt_of(order, session_id: str, intent_id: str):
    if session_id:
        return find_attempt(order, PROVIDER, session_id)
    for attempt in attempts_of(order, PROVIDER):
        if attempt.payment_ref == intent_id:
            return attempt
    return None


def _attempt_status(status: str, fits: bool) -> str:
    if status == SUCCEEDED:
        return PAID if fits else FAILED
    if status == PROCESSING:
        return PENDING
    return FAILED


def _json(resource: dict) -> bytes:
    return json.dumps(resource, ensure_ascii=False, sort_keys=True).encode("utf-8")


def log_unknown(kind: str, about: str) -> Outcome:
    logger.info("Stripe %s %s: no order of ours", kind, about)
    return Outcome("unknown order")
