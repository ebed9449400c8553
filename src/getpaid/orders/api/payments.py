"""Recording payments: one Payment item per provider notification.

A record's id is its key in the order's BTree, and what makes a duplicate
visible to the ZODB: two transactions recording the same notification insert
the same key, and only one commits. So the id is derived from the message
exactly (``payment_id``): the same message always gets the same id, two
different messages never do.
"""

from datetime import datetime
from datetime import UTC
from getpaid.orders.content.payment import Payment
from getpaid.orders.events import PaymentReceivedEvent
from getpaid.orders.exceptions import DuplicatePayment
from getpaid.orders.money import check_currency
from getpaid.orders.money import to_decimal
from getpaid.orders.permissions import STAFF_ROLES
from plone.dexterity.utils import createContent
from urllib.parse import quote
from zope.event import notify

import hashlib
import re


# What a record does to the money the order holds (api/settlement.py sums
# them); any other record (pending, failed, a chargeback) is evidence only.
PAYMENT = "payment"  # the customer paid the shop
REFUND = "refund"  # the shop returned money to the customer (a negative amount)
KINDS = frozenset({PAYMENT, REFUND, ""})
# Records written before records said their kind were all PayPal's.
LEGACY_KINDS = {("paypal", "Completed"): PAYMENT, ("paypal", "Refunded"): REFUND}

SEPARATOR = "~"  # never in a part (_part), never in a legacy id


def _part(text: str) -> str:
    """``text`` exactly, fit for an id: letters, digits, ``.``, ``-`` and
    ``_`` as they are, anything else percent-encoded (a last ``_`` too: Zope
    refuses ids that end in ``__``)."""
    # surrogatepass: a charset such as UTF-7 decodes to lone surrogates.
    encoded = quote(text, safe="", errors="surrogatepass").replace(SEPARATOR, "%7E")
    return encoded[:-1] + "%5F" if encoded.endswith("_") else encoded


def payment_id(provider: str, txn_id: str, status: str, raw: bytes = b"") -> str:
    """The id of a payment record inside its order: one per (provider,
    transaction, status), case and all (``paypal~61E67681CH3238416~Completed``).

    A message without a transaction id is known by a digest of its raw,
    verified body: the same message sent again gets the same id, another
    message another one (``paypal~~<sha256>``).
    """
    if txn_id:
        parts = (provider, txn_id, status)
    else:
        parts = (provider, "", hashlib.sha256(raw).hexdigest())
    return SEPARATOR.join(_part(part) for part in parts)


def legacy_payment_id(provider: str, txn_id: str, status: str) -> str:
    """The id records were given before ``payment_id``: lower-cased, other
    characters folded to ``-``, ``(none)`` for what was missing. Many
    messages shared one; it is only looked up (``find_payment``)."""
    raw = f"{provider}-{txn_id or '(none)'}-{status or '(none)'}".lower()
    return re.sub(r"[^a-z0-9._-]+", "-", raw).strip("-")


def find_payment(
    order, provider: str, txn_id: str, status: str, raw: bytes = b""
) -> Payment | None:
    """The record of this very message on the order, if there is one: under
    its id, or under the legacy id when that record is the same message (an
    old notification sent again after the ids changed)."""
    record = _child(order, payment_id(provider, txn_id, status, raw))
    if record is not None:
        return record
    record = _child(order, legacy_payment_id(provider, txn_id, status))
    if record is None or record.provider != provider:
        return None
    if txn_id:
        same = (record.txn_id, record.status) == (txn_id, status or "(none)")
    else:
        same = record.txn_id == "(none)" and record.raw == raw
    return record if same else None


def _child(order, id: str):
    return order._getOb(id) if order.hasObject(id) else None


def kind_of(payment) -> str:
    """``PAYMENT``, ``REFUND`` or "" (evidence only) for a record."""
    kind = getattr(payment, "kind", None)
    if kind is None:
        return LEGACY_KINDS.get((payment.provider, payment.status), "")
    return kind


def record_payment(
    order,
    *,
    provider: str,
    txn_id: str,
    status: str,
    amount,
    currency: str,
    kind: str = "",
    parent_txn_id: str = "",
    raw: bytes = b"",
    charset: str = "",
    received_at: datetime | None = None,
) -> Payment:
    """Add a payment record to the order; DuplicatePayment if already there.

    The amount and currency are recorded as the provider sent them, even
    when they don't match the order: checking them is the caller's business
    (a mismatch must be kept as evidence, not dropped). ``kind`` says what
    the record does to the order's money (``PAYMENT``, ``REFUND``, or ""),
    as the provider's status means it; ``api.settlement`` sums them.
    """
    if not (txn_id or raw):
        raise ValueError("A payment needs the provider's transaction id or message.")
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of payment {kind!r}; one of {KINDS}.")
    if find_payment(order, provider, txn_id, status, raw) is not None:
        raise DuplicatePayment(
            f"{provider} transaction {txn_id or '(none)'} ({status}) is already "
            f"recorded on order {order.number}."
        )
    new_id = payment_id(provider, txn_id, status, raw)
    payment = createContent(
        "Payment",
        provider=provider,
        txn_id=txn_id,
        parent_txn_id=parent_txn_id or None,
        status=status,
        amount=to_decimal(amount),
        currency=check_currency(currency),
        kind=kind,
        raw=raw,
        charset=charset or None,
        received_at=received_at or datetime.now(UTC),
    )
    payment.id = new_id
    payment.title = f"{provider} {txn_id} {status}"
    order._setObject(new_id, payment)
    payment = order._getOb(new_id)
    staff_only(payment)
    notify(PaymentReceivedEvent(order, payment))
    return payment


def staff_only(payment) -> None:
    """A payment record is the shop's: the buyer, who may view the order,
    doesn't see it (its raw notification has the shop's PayPal details)."""
    for permission in ("View", "Access contents information"):
        payment.manage_permission(permission, STAFF_ROLES, acquire=False)
    payment.reindexObjectSecurity()
