"""What PayPal Checkout says about an order's money, recorded once.

The return page, webhooks, the back office's refunds and reconciliation all
end here, with a capture or a refund as PayPal's API writes it. Each becomes
a payment record through ``api.payments.record_payment``, keyed by the
capture's or refund's id and status: when two of them report the same
capture at the same moment, the ZODB lets one commit, the other's retry
finds the record (DuplicatePayment) and changes nothing. What a payment or
refund then does to the order is ``api.settlement``'s rule, as for IPN.

Before anything pays an order it must fit it, as IPN's must: our invoice
number and the order's UID, the shop's PayPal account when PayPal names it,
the order's currency and total. A capture that doesn't fit is recorded,
flagged and alerted, never paid.
"""

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from decimal import InvalidOperation
from getpaid.orders.api import settlement
from getpaid.orders.api.attempts import advance_attempt
from getpaid.orders.api.attempts import find_attempt
from getpaid.orders.api.attention import PROBLEM
from getpaid.orders.api.attention import raise_attention
from getpaid.orders.api.history import add_history
from getpaid.orders.api.orders import ORDERS_FOLDER_ID
from getpaid.orders.api.payments import PAYMENT
from getpaid.orders.api.payments import record_payment
from getpaid.orders.api.payments import REFUND
from getpaid.orders.content.attempt import APPROVED
from getpaid.orders.content.attempt import FAILED
from getpaid.orders.content.attempt import PAID
from getpaid.orders.content.attempt import PENDING
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.exceptions import DuplicatePayment
from getpaid.orders.money import currency_codes
from getpaid.orders.workflow import SOURCE_PROVIDER
from plone import api

import json


PROVIDER = "paypal_checkout"
# A capture's status. PayPal moves a refunded capture on to
# (PARTIALLY_)REFUNDED: it was paid all the same, and is recorded as the
# COMPLETED capture it was (one record, whoever looks it up when).
PAID_STATUSES = frozenset({"COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED"})
FAILED_STATUSES = frozenset({"DECLINED", "FAILED"})


@dataclass
class Outcome:
    """What recording did, for logs, pages and tests."""

    # paid, pending, failed, refunded, refund recorded, flagged, duplicate…
    action: str
    payment: object = None
    problems: list[str] = field(default_factory=list)


def find_order(invoice_id: str, custom_id: str = ""):
    """Our order named by a PayPal resource: its ``invoice_id`` (our number),
    checked against its ``custom_id`` (the order's UID) when it has one."""
    folder = api.portal.get().get(ORDERS_FOLDER_ID)
    order = folder.get(invoice_id) if folder is not None and invoice_id else None
    if order is None or getattr(order, "portal_type", "") != "Order":
        return None
    if custom_id and custom_id != order.UID():
        return None
    return order


def money_of(resource: dict) -> tuple[Decimal | None, str]:
    """(amount, currency) of a capture or refund; None for no number."""
    amount = resource.get("amount") if isinstance(resource, dict) else None
    amount = amount if isinstance(amount, dict) else {}
    currency = str(amount.get("currency_code") or "")
    try:
        value = Decimal(str(amount.get("value")))
    except (InvalidOperation, ValueError):
        return None, currency
    return (value if value.is_finite() else None), currency


def problems_with(order, capture: dict, payee: dict | None = None) -> list[str]:
    """Why a capture doesn't fit the order; empty when it does."""
    problems = []
    invoice, custom = capture.get("invoice_id"), capture.get("custom_id")
    if invoice and invoice != order.number:
        problems.append(f"invoice {invoice!r}, not {order.number}")
    if custom and custom != order.UID():
        problems.append("custom_id is another order's")
    payee = payee or capture.get("payee") or {}
    if isinstance(payee, dict) and not paid_to_us(payee):
        sent_to = payee.get("email_address") or payee.get("merchant_id")
        problems.append(f"paid to {sent_to}, not us")
    amount, currency = money_of(capture)
    if currency != order.currency:
        problems.append(f"currency {currency!r}, not {order.currency}")
    if amount is None:
        problems.append("no amount")
    elif amount != order.total:
        problems.append(f"amount {amount}, not {order.total}")
    return problems


def paid_to_us(payee: dict) -> bool:
    """The payee PayPal names is the shop's account (its e-mail or merchant
    id as set); True when PayPal names none or the shop set neither."""
    ours = {
        get_setting("paypal_receiver_email", "").strip().lower(),
        get_setting("paypal_merchant_id", "").strip().lower(),
    } - {""}
    theirs = {
        str(payee.get("email_address") or "").strip().lower(),
        str(payee.get("merchant_id") or "").strip().lower(),
    } - {""}
    return not ours or not theirs or bool(ours & theirs)


def record_capture(
    order,
    capture: dict,
    *,
    raw: bytes = b"",
    paypal_order_id: str = "",
    payee: dict | None = None,
) -> Outcome:
    """Record a capture (from a capture answer, a look-up or a webhook) and
    do what it means for the order, once. ``raw`` is what PayPal sent (the
    capture's JSON when none), ``payee`` the purchase unit's when the
    capture names none."""
    status = str(capture.get("status") or "")
    recorded_status = "COMPLETED" if status in PAID_STATUSES else status
    amount, currency = money_of(capture)
    paypal_order_id = paypal_order_id or _related_order(capture)
    problems = problems_with(order, capture, payee)
    fits = not problems
    try:
        payment = record_payment(
            order,
            provider=PROVIDER,
            txn_id=str(capture.get("id") or ""),
            status=recorded_status,
            amount=amount if amount is not None else Decimal(0),
            currency=currency if currency in currency_codes() else "XXX",
            kind=PAYMENT if recorded_status == "COMPLETED" and fits else "",
            parent_txn_id=paypal_order_id,
            raw=raw or _json(capture),
            charset="utf-8",
        )
    except DuplicatePayment:
        return Outcome("duplicate")
    outcome = Outcome("recorded", payment, problems)
    label = f"PayPal {payment.txn_id}"
    attempt = find_attempt(order, PROVIDER, paypal_order_id)
    if problems:
        raise_attention(
            order,
            f"{label}: {'; '.join(problems)}",
            source=SOURCE_PROVIDER,
            kind=PROBLEM,
            ref=payment.txn_id,
            new=recorded_status,
        )
        outcome.action = "flagged"
    elif recorded_status == "COMPLETED":
        if order.payment_pending_txn in ("", payment.txn_id):
            order.payment_pending = order.payment_pending_txn = ""
        outcome.action = settlement.apply_payment(
            order,
            payment,
            source=SOURCE_PROVIDER,
            label=label,
            accept_when_canceled=get_setting("paypal_pay_canceled_orders", False),
        )
    elif recorded_status == "PENDING":
        details = capture.get("status_details")
        reason = details.get("reason") if isinstance(details, dict) else ""
        outcome.action = settlement.apply_pending(
            order, payment, str(reason or ""), source=SOURCE_PROVIDER, label=label
        )
    elif recorded_status in FAILED_STATUSES:
        outcome.action = settlement.apply_failure(order, payment, label=label)
    if attempt is not None:
        advance_attempt(order, attempt, _attempt_status(recorded_status, fits))
    return outcome


def record_refund(order, refund: dict, *, capture_id: str, raw: bytes = b"") -> Outcome:
    """Record a refund of ``capture_id`` (made from the back office, or at
    PayPal and learned from a webhook) and judge it against the order's
    payments (``api.settlement``). PayPal writes refunds as positive
    amounts; the record keeps it negative, as every refund is."""
    status = str(refund.get("status") or "")
    amount, currency = money_of(refund)
    try:
        payment = record_payment(
            order,
            provider=PROVIDER,
            txn_id=str(refund.get("id") or ""),
            status=status,
            amount=-amount if amount is not None else Decimal(0),
            currency=currency if currency in currency_codes() else "XXX",
            kind=REFUND if status == "COMPLETED" else "",
            parent_txn_id=capture_id,
            raw=raw or _json(refund),
            charset="utf-8",
        )
    except DuplicatePayment:
        return Outcome("duplicate")
    label = f"PayPal refund {payment.txn_id}"
    if status != "COMPLETED":
        add_history(
            order,
            source=SOURCE_PROVIDER,
            action="refund " + status.lower(),
            new=str(amount),
            comment=label,
        )
        return Outcome("recorded", payment)
    action = settlement.apply_refund(
        order, payment, source=SOURCE_PROVIDER, label=label
    )
    return Outcome(action, payment)


def _attempt_status(status: str, fits: bool) -> str:
    if status == "COMPLETED":
        return PAID if fits else FAILED
    if status == "PENDING":
        return PENDING
    if status in FAILED_STATUSES:
        return FAILED
    return APPROVED


def _related_order(capture: dict) -> str:
    """The PayPal order a capture belongs to: its supplementary data, or
    its ``up`` link."""
    related = capture.get("supplementary_data")
    related = related.get("related_ids") if isinstance(related, dict) else None
    if isinstance(related, dict) and related.get("order_id"):
        return str(related["order_id"])
    return up_id(capture)


def up_id(resource: dict) -> str:
    """The id at the end of a resource's ``up`` link (a refund's capture, a
    capture's order)."""
    for link in resource.get("links") or ():
        if isinstance(link, dict) and link.get("rel") == "up":
            return str(link.get("href", "")).rstrip("/").rsplit("/", 1)[-1]
    return ""


def _json(resource: dict) -> bytes:
    return json.dumps(resource, ensure_ascii=False, sort_keys=True).encode("utf-8")
