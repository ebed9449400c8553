"""Payments begun at a provider, kept on their order until settled.

An attempt says a payer may be paying right now: the order page says the
payment is being confirmed, and the sweeper asks the provider before it
times the order out (``reconcile``). Attempts are records on the order,
replaced as a whole like its history; the ``open_payments`` index lists
the providers an order has unsettled attempts with, so the sweeper finds
them without waking every unpaid order.
"""

from dataclasses import replace
from datetime import datetime
from datetime import UTC
from getpaid.orders.content.attempt import OPEN
from getpaid.orders.content.attempt import PAID
from getpaid.orders.content.attempt import PaymentAttempt
from getpaid.orders.content.attempt import SETTLED


def attempts_of(order, provider: str = "") -> list[PaymentAttempt]:
    """The order's attempts, oldest first; with ``provider``, its only."""
    return [
        attempt
        for attempt in order.payment_attempts
        if not provider or attempt.provider == provider
    ]


def find_attempt(order, provider: str, ref: str) -> PaymentAttempt | None:
    for attempt in order.payment_attempts:
        if (attempt.provider, attempt.ref) == (provider, ref):
            return attempt
    return None


def open_attempts(order, provider: str = "") -> list[PaymentAttempt]:
    return [attempt for attempt in attempts_of(order, provider) if not attempt.settled]


def begin_attempt(
    order,
    provider: str,
    ref: str,
    *,
    payer_url: str = "",
    nonce: str = "",
    now: datetime | None = None,
) -> PaymentAttempt:
    """Keep a payment begun at ``provider`` as ``ref``; the one kept already
    when the provider gave the same ref again (a double click, a retried
    request)."""
    found = find_attempt(order, provider, ref)
    if found is not None:
        return found
    attempt = PaymentAttempt(
        provider=provider,
        ref=ref,
        created=now or datetime.now(UTC),
        status=OPEN,
        payer_url=payer_url,
        nonce=nonce,
    )
    _keep(order, (*order.payment_attempts, attempt))
    return attempt


def update_attempt(order, attempt: PaymentAttempt, **changes) -> PaymentAttempt:
    """The attempt with ``changes`` (status, detail, payer_url); unchanged
    attempts are not written again (no conflict for a look that changed
    nothing)."""
    current = find_attempt(order, attempt.provider, attempt.ref) or attempt
    updated = replace(current, **changes)
    if updated == current:
        return current
    key = (current.provider, current.ref)
    _keep(
        order,
        tuple(
            updated if (one.provider, one.ref) == key else one
            for one in order.payment_attempts
        ),
    )
    return updated


def advance_attempt(order, attempt: PaymentAttempt, status: str) -> None:
    """Move the attempt on to ``status``, never back: a provider's news may
    come late or out of order (a pending capture reported after the paid
    one), and a paid attempt stays paid. A failed one may still be paid
    (another funding source)."""
    attempt = find_attempt(order, attempt.provider, attempt.ref) or attempt
    if attempt.status == PAID or (attempt.settled and status not in SETTLED):
        return
    update_attempt(order, attempt, status=status)


def open_providers(order) -> list[str]:
    """The providers with which the order has unsettled attempts (indexed)."""
    return sorted({attempt.provider for attempt in open_attempts(order)})


def _keep(order, attempts: tuple) -> None:
    before = open_providers(order)
    order.payment_attempts = attempts
    if open_providers(order) != before:
        order.reindexObject(idxs=["open_payments"])
