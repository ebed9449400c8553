"""Recording payments: one Payment item per provider notification."""

from datetime import datetime
from datetime import UTC
from getpaid.orders.content.payment import Payment
from getpaid.orders.events import PaymentReceivedEvent
from getpaid.orders.exceptions import DuplicatePayment
from getpaid.orders.money import check_currency
from getpaid.orders.money import to_decimal
from getpaid.orders.permissions import STAFF_ROLES
from plone.dexterity.utils import createContent
from zope.event import notify

import re


def payment_id(provider: str, txn_id: str, status: str) -> str:
    """The id of a payment inside its order: one per (transaction, status).

    Being the key in the order's BTree is what makes a duplicate visible to
    the ZODB: two transactions recording the same notification insert the
    same key, and only one commits.
    """
    raw = f"{provider}-{txn_id}-{status}".lower()
    return re.sub(r"[^a-z0-9._-]+", "-", raw).strip("-")


def record_payment(
    order,
    *,
    provider: str,
    txn_id: str,
    status: str,
    amount,
    currency: str,
    parent_txn_id: str = "",
    raw: bytes = b"",
    charset: str = "",
    received_at: datetime | None = None,
) -> Payment:
    """Add a payment record to the order; DuplicatePayment if already there.

    The amount and currency are recorded as the provider sent them, even
    when they don't match the order: checking them is the caller's business
    (a mismatch must be kept as evidence, not dropped).
    """
    if not txn_id:
        raise ValueError("A payment needs the provider's transaction id.")
    new_id = payment_id(provider, txn_id, status)
    if order.hasObject(new_id):
        raise DuplicatePayment(
            f"{provider} transaction {txn_id} ({status}) is already recorded "
            f"on order {order.number}."
        )
    payment = createContent(
        "Payment",
        provider=provider,
        txn_id=txn_id,
        parent_txn_id=parent_txn_id or None,
        status=status,
        amount=to_decimal(amount),
        currency=check_currency(currency),
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
