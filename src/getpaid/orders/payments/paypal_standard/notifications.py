"""What a verified PayPal notification does to its order.

Every notification for a known order becomes a Payment record (with its raw
body), once per message (``api.payments.payment_id``: its ``txn_id`` and
``payment_status`` exactly, or a digest of the body when it has no
``txn_id``): the record's id is its key in the order's BTree, so a
duplicate, even delivered to two Zope instances at the same moment, is
refused by the ZODB and changes nothing. The status mapping is in
docs/paypal.rst; a message that doesn't fit the order (receiver, currency,
amount, transaction type) never marks it paid: it is recorded, the order is
flagged, the shop alerted and the history says why. What a payment or a
refund then does to the order is the domain's rule (``api.settlement``).
"""

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from getpaid.orders.api import settlement
from getpaid.orders.api.attention import clear_attention
from getpaid.orders.api.attention import PROBLEM
from getpaid.orders.api.attention import raise_attention
from getpaid.orders.api.attention import REVERSAL
from getpaid.orders.api.orders import ORDERS_FOLDER_ID
from getpaid.orders.api.payments import PAYMENT
from getpaid.orders.api.payments import record_payment
from getpaid.orders.api.payments import REFUND
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.exceptions import DuplicatePayment
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.money import currency_codes
from getpaid.orders.money import to_decimal
from getpaid.orders.payments.paypal_standard.ipn import Notification
from getpaid.orders.workflow import SOURCE_PROVIDER
from plone import api


PROVIDER = "paypal"
# Cart uploads and Buy Now buttons; refunds and reversals carry no txn_type.
ACCEPTED_TXN_TYPES = frozenset({"cart", "web_accept", "express_checkout", ""})
FAILED_STATUSES = frozenset({"Denied", "Failed", "Expired", "Voided"})
# What a message paid to us does to the order's money (api.settlement).
KINDS = {"Completed": PAYMENT, "Refunded": REFUND}


@dataclass
class Outcome:
    order: object = None
    payment: object = None
    action: str = ""  # what happened, for the log and the tests
    problems: list[str] = field(default_factory=list)


def find_order(note: Notification):
    """The order named by ``invoice`` (its number), checked against ``custom``."""
    number = note.get("invoice")
    folder = api.portal.get().get(ORDERS_FOLDER_ID)
    order = folder.get(number) if folder is not None and number else None
    if order is None or getattr(order, "portal_type", "") != "Order":
        return None
    uid = note.get("custom")
    if uid and uid != order.UID():
        return None
    return order


def problems_with(order, note: Notification) -> list[str]:
    """Why the message doesn't fit the order; empty when it does."""
    problems = []
    if not paid_to_us(note):
        sent_to = ", ".join(sorted(_sent_to(note))) or "nobody"
        problems.append(f"paid to {sent_to}, not us")
    if note.get("mc_currency") != order.currency:
        problems.append(f"currency {note.get('mc_currency')!r}, not {order.currency}")
    if note.get("txn_type") not in ACCEPTED_TXN_TYPES:
        problems.append(f"transaction type {note.get('txn_type')!r}")
    try:
        gross = to_decimal(note.get("mc_gross"))
    except GetpaidError:
        problems.append(f"amount {note.get('mc_gross')!r} is not a number")
        return problems
    status = note.get("payment_status")
    if status in ("Completed", "Pending") and gross != order.total:
        problems.append(f"amount {gross}, not {order.total}")
    return problems


def _sent_to(note: Notification) -> set[str]:
    return {
        note.get("receiver_email").strip().lower(),
        note.get("business").strip().lower(),
    } - {""}


def paid_to_us(note: Notification) -> bool:
    """The message is about the shop's own PayPal account."""
    receiver = get_setting("paypal_receiver_email", "").strip().lower()
    return bool(receiver) and receiver in _sent_to(note)


def apply(note: Notification) -> Outcome:
    """Act on a VERIFIED notification."""
    order = find_order(note)
    if order is None:
        return Outcome(action="unknown order")
    outcome = Outcome(order=order, problems=problems_with(order, note))
    status = note.get("payment_status")
    try:
        outcome.payment = record_payment(
            order,
            provider=PROVIDER,
            txn_id=note.get("txn_id"),
            status=status,
            amount=_amount(note),
            currency=_currency(note, order),
            # Money paid to another account is none of the shop's.
            kind=KINDS.get(status, "") if paid_to_us(note) else "",
            parent_txn_id=note.get("parent_txn_id"),
            raw=note.raw,
            charset=note.charset,
        )
    except DuplicatePayment:
        outcome.action = "duplicate"
        return outcome
    if outcome.problems:
        _flag(order, "; ".join(outcome.problems), note, PROBLEM)
        outcome.action = "flagged"
        return outcome
    handler = HANDLERS.get(status)
    outcome.action = handler(order, note, outcome.payment) if handler else "recorded"
    return outcome


def _amount(note: Notification) -> Decimal:
    """The amount exactly as sent (-1.005 too: api.settlement judges it);
    0 for no number at all, which problems_with flags."""
    try:
        return to_decimal(note.get("mc_gross") or "0")
    except GetpaidError:
        return Decimal(0)


def _currency(note: Notification, order) -> str:
    """The message's currency, or ISO 4217's "no currency" (XXX) for one
    that is no currency code: the raw message keeps what was sent, and the
    mismatch is flagged on the order."""
    sent = note.get("mc_currency")
    if not sent:
        return order.currency
    return sent if sent in currency_codes() else "XXX"


def _flag(order, reason: str, note: Notification, kind: str, ref: str = "") -> None:
    raise_attention(
        order,
        f"{_txn(note)}: {reason}",
        source=SOURCE_PROVIDER,
        kind=kind,
        ref=ref or note.get("txn_id"),
        new=note.get("payment_status"),
    )


def _txn(note: Notification) -> str:
    return f"PayPal {note.get('txn_id') or '(no txn_id)'}"


def _completed(order, note, payment) -> str:
    order.payment_pending = order.payment_pending_txn = ""
    return settlement.apply_payment(
        order,
        payment,
        source=SOURCE_PROVIDER,
        label=_txn(note),
        accept_when_canceled=get_setting("paypal_pay_canceled_orders", False),
    )


def _pending(order, note, payment) -> str:
    return settlement.apply_pending(
        order,
        payment,
        note.get("pending_reason"),
        source=SOURCE_PROVIDER,
        label=_txn(note),
    )


def _failed(order, note, payment) -> str:
    return settlement.apply_failure(order, payment, label=_txn(note))


def _refunded(order, note, payment) -> str:
    return settlement.apply_refund(
        order, payment, source=SOURCE_PROVIDER, label=_txn(note)
    )


def _reversed(order, note, payment) -> str:
    # Flagged as the reversal of its payment (parent_txn_id), which is what
    # a Canceled_Reversal names too.
    reason = "the payment was reversed (a chargeback)"
    _flag(order, reason, note, REVERSAL, ref=note.get("parent_txn_id"))
    return "flagged"


def _canceled_reversal(order, note, payment) -> str:
    """Clears the flag of the reversal it cancels, and no other."""
    cleared = clear_attention(
        order,
        source=SOURCE_PROVIDER,
        action="reversal canceled",
        comment=_txn(note),
        kind=REVERSAL,
        ref=note.get("parent_txn_id"),
    )
    return "cleared" if cleared else "recorded"


HANDLERS = {
    "Completed": _completed,
    "Pending": _pending,
    "Refunded": _refunded,
    "Reversed": _reversed,
    "Canceled_Reversal": _canceled_reversal,
    **dict.fromkeys(FAILED_STATUSES, _failed),
}
