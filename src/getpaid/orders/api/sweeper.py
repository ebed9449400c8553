"""The order lifecycle that needs no one: unpaid orders time out, time-limited
purchases expire, expired checkout keys go.

``sweep`` is idempotent (it only moves orders that are still due, checked
on the object, not just the catalog) and safe to run from two instances at
once: each batch is a transaction, and when both move the same order the
ZODB refuses one commit; its retry finds the order already moved and skips
it. Run it from cron (the ``getpaid-sweep`` command) or through the
``@@getpaid-sweep`` view with the sweeper key.
"""

from dataclasses import dataclass
from dataclasses import field
from DateTime import DateTime
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from getpaid.orders.api import transitions
from getpaid.orders.api.checkout_keys import prune_keys
from getpaid.orders.api.orders import orders_folder
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.exceptions import TransitionNotAllowed
from getpaid.orders.workflow import COMPLETED
from getpaid.orders.workflow import DELIVERED
from getpaid.orders.workflow import PAID
from getpaid.orders.workflow import PAYMENT_FAILED
from getpaid.orders.workflow import UNPAID_STATES
from plone import api
from ZODB.POSException import ConflictError

import transaction


BATCH_SIZE = 100
KEYS_BATCH_SIZE = 1000
ATTEMPTS = 3
EXPIRING_STATES = (PAID, DELIVERED, COMPLETED)


@dataclass
class SweepReport:
    timed_out: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "number: why"
    keys_pruned: int = 0  # checkout keys past their lifetime

    def __str__(self) -> str:
        lines = [
            f"timed out: {len(self.timed_out)}",
            f"expired: {len(self.expired)}",
            f"skipped: {len(self.skipped)}",
            f"checkout keys pruned: {self.keys_pruned}",
        ]
        lines += [f"  skipped {entry}" for entry in self.skipped]
        return "\n".join(lines)


def _age(order) -> datetime:
    return order.created().asdatetime().astimezone(UTC)


def unpaid_since(order) -> datetime:
    """From when the timeout counts: the order's placing, or its failed
    payment, after which the customer is mailed a link to pay again."""
    if api.content.get_state(order) == PAYMENT_FAILED:
        failed = [entry.when for entry in order.history if entry.new == PAYMENT_FAILED]
        if failed:
            return max(_age(order), failed[-1])
    return _age(order)


def due_for_timeout(order, now: datetime, timeout: timedelta) -> str:
    """'' if the order must time out now, else why not."""
    if api.content.get_state(order) not in UNPAID_STATES:
        return "no longer unpaid"
    if now - unpaid_since(order) < timeout:
        return "not old enough"
    if order.payment_pending:
        return f"payment pending ({order.payment_pending})"
    return ""


def due_for_expiry(order, now: datetime) -> str:
    if api.content.get_state(order) not in EXPIRING_STATES:
        return "not in a paid state"
    if order.end is None or order.end > now:
        return "not ended"
    return ""


def sweep(now: datetime | None = None, *, batch_size: int = BATCH_SIZE) -> SweepReport:
    """Move every due order; commit per batch; return what happened."""
    now = now or datetime.now(UTC)
    timeout = timedelta(minutes=get_setting("unpaid_timeout_minutes", 4320))
    catalog = api.portal.get_tool("portal_catalog")
    report = SweepReport()

    unpaid = catalog.unrestrictedSearchResults(
        portal_type="Order",
        review_state=sorted(UNPAID_STATES),  # created, or its payment failed
        created={"query": DateTime(now - timeout), "range": "max"},
    )
    _in_batches(
        [brain.getPath() for brain in unpaid],
        lambda order: due_for_timeout(order, now, timeout),
        lambda order: transitions.time_out(order, comment="Unpaid too long."),
        report.timed_out,
        report,
        batch_size,
    )
    ended = catalog.unrestrictedSearchResults(
        portal_type="Order",
        review_state=EXPIRING_STATES,
        order_end={"query": DateTime(now), "range": "max"},
    )
    _in_batches(
        [brain.getPath() for brain in ended],
        lambda order: due_for_expiry(order, now),
        lambda order: transitions.expire(order, comment="Its end time passed."),
        report.expired,
        report,
        batch_size,
    )
    report.keys_pruned = _prune_keys(now)
    return report


def _prune_keys(now: datetime, batch_size: int = KEYS_BATCH_SIZE) -> int:
    """Delete expired checkout keys, a batch per transaction; how many.

    Checkouts insert into the same tree meanwhile: a conflict aborts the
    batch, and the next attempt reads the tree again.
    """
    folder = orders_folder()
    pruned = 0
    while True:
        for _attempt in range(ATTEMPTS):
            try:
                batch = prune_keys(folder, now, most=batch_size)
                transaction.commit()
                break
            except ConflictError:
                transaction.abort()
        else:
            return pruned  # conflicted every time: the next sweep goes on
        pruned += batch
        if batch < batch_size:
            return pruned


def _in_batches(paths, why_not, move, moved: list, report, batch_size) -> None:
    portal = api.portal.get()
    for start in range(0, len(paths), batch_size):
        batch = paths[start : start + batch_size]
        for _attempt in range(ATTEMPTS):
            done, skipped = [], []
            try:
                for path in batch:
                    order = portal.unrestrictedTraverse(path, None)
                    if order is None:
                        continue
                    reason = why_not(order)
                    if reason:
                        skipped.append(f"{order.number}: {reason}")
                        continue
                    try:
                        move(order)
                    except TransitionNotAllowed as error:
                        skipped.append(f"{order.number}: {error}")
                        continue
                    done.append(order.number)
                transaction.commit()
            except ConflictError:
                # Another sweeper (or a checkout) moved some of these: again,
                # re-reading every order.
                transaction.abort()
                continue
            moved.extend(done)
            report.skipped.extend(skipped)
            break
