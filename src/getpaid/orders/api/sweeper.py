"""The order lifecycle that needs no one: payments begun at a provider are
looked up, unpaid orders time out, their customers are reminded to pay
(api/reminders.py), time-limited purchases expire, expired checkout keys
go, and final orders past the shop's retention period are anonymised
(api/erasure.py).

Payments first: an order with unsettled payment attempts (the
``open_payments`` index) is reconciled with its providers, one order per
transaction, so a buyer whose payment reached the provider but never us (a
lost return, a lost webhook) is paid before anything times out; an order
whose payment may still complete is not timed out. A provider that can't
be asked is asked again by the next sweep.

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
from getpaid.orders.api.attempts import open_providers
from getpaid.orders.api.checkout_keys import prune_keys
from getpaid.orders.api.erasure import anonymise
from getpaid.orders.api.erasure import final_since
from getpaid.orders.api.erasure import held_until
from getpaid.orders.api.erasure import refusal
from getpaid.orders.api.orders import orders_folder
from getpaid.orders.api.reminders import due_reminder
from getpaid.orders.api.reminders import earliest_reminder
from getpaid.orders.api.reminders import remind
from getpaid.orders.api.unpaid import providers_awaiting
from getpaid.orders.api.unpaid import unpaid_since
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.exceptions import ErasureRefused
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.exceptions import TransitionNotAllowed
from getpaid.orders.mail.sending import can_mail
from getpaid.orders.payments.registry import all_providers
from getpaid.orders.payments.registry import get_provider
from getpaid.orders.workflow import COMPLETED
from getpaid.orders.workflow import DELIVERED
from getpaid.orders.workflow import PAID
from getpaid.orders.workflow import SOURCE_SYSTEM
from getpaid.orders.workflow import UNPAID_STATES
from plone import api
from ZODB.POSException import ConflictError
from zope.i18n import translate

import logging
import transaction


logger = logging.getLogger(__name__)


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
    # Orders whose open payments were looked up at their providers…
    payments_checked: int = 0
    # …and what was learned ("number: what the provider said")…
    reconciled: list[str] = field(default_factory=list)
    # …or why a provider could not be asked this time ("number: why").
    unreachable: list[str] = field(default_factory=list)
    # Payment reminders mailed ("number: first" or "number: last").
    reminded: list[str] = field(default_factory=list)
    # Final orders past the retention period whose customer data was erased.
    anonymised: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"timed out: {len(self.timed_out)}",
            f"expired: {len(self.expired)}",
            f"skipped: {len(self.skipped)}",
            f"checkout keys pruned: {self.keys_pruned}",
            f"payments checked: {self.payments_checked}",
            f"payments reconciled: {len(self.reconciled)}",
            f"providers unreachable: {len(self.unreachable)}",
            f"anonymised: {len(self.anonymised)}",
        ]
        lines += [f"  skipped {entry}" for entry in self.skipped]
        lines += [f"  reconciled {entry}" for entry in self.reconciled]
        lines += [f"  unreachable {entry}" for entry in self.unreachable]
        lines.append(f"reminders sent: {len(self.reminded)}")
        lines += [f"  reminded {entry}" for entry in self.reminded]
        return "\n".join(lines)


def due_for_timeout(order, now: datetime, timeout: timedelta) -> str:
    """'' if the order must time out now, else why not."""
    if api.content.get_state(order) not in UNPAID_STATES:
        return "no longer unpaid"
    if now - unpaid_since(order) < timeout:
        return "not old enough"
    if order.payment_pending:
        return f"payment pending ({order.payment_pending})"
    awaiting = providers_awaiting(order)
    if awaiting:
        return f"payment open at {', '.join(awaiting)}"
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

    reconcile_payments(now, report)
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
    send_reminders(now, report, batch_size)
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
    anonymise_retired(now, report, batch_size)
    return report


def due_for_erasure(order, cutoff: datetime) -> str:
    """'' if the order's customer data must be erased now, else why not."""
    final = final_since(order)
    if final is None or final > cutoff:
        return "not final long enough"
    why_not = refusal(order)
    return translate(why_not) if why_not is not None else ""


def anonymise_retired(now: datetime, report: SweepReport, batch_size: int) -> None:
    """Anonymise the final orders whose retention period (``retention_days``
    after they became final) is over; none while it is 0 or the shop's
    legal hold runs. Exactly once: an order is checked on the object, and
    an anonymised one leaves the ``order_final`` index."""
    days = get_setting("retention_days", 0) or 0
    if not days or held_until() is not None:
        return
    cutoff = now - timedelta(days=days)
    catalog = api.portal.get_tool("portal_catalog")
    due = catalog.unrestrictedSearchResults(
        portal_type="Order",
        order_final={"query": DateTime(cutoff), "range": "max"},
    )
    _in_batches(
        [brain.getPath() for brain in due],
        lambda order: due_for_erasure(order, cutoff),
        lambda order: anonymise(
            order,
            source=SOURCE_SYSTEM,
            reason=f"Kept {days} days after the order was final.",
        ),
        report.anonymised,
        report,
        batch_size,
    )


def reconcile_payments(now: datetime, report: SweepReport) -> None:
    """Ask the providers about every order with unsettled payments, and
    record what they say: a transaction per order, so that no transaction
    spans more than one order's calls to a provider, and a conflict (the
    buyer's return or a webhook recording the same payment at the same
    moment) redoes one order only, with the same idempotent calls."""
    catalog = api.portal.get_tool("portal_catalog")
    portal = api.portal.get()
    paths = [
        brain.getPath()
        for brain in catalog.unrestrictedSearchResults(
            portal_type="Order", open_payments=sorted(all_providers())
        )
    ]
    transaction.commit()  # begins afresh for each order below
    for path in paths:
        for _attempt in range(ATTEMPTS):
            said, unreachable = [], []
            try:
                order = portal.unrestrictedTraverse(path, None)
                if order is None:
                    break
                for provider_id in open_providers(order):
                    provider = get_provider(provider_id)
                    if provider is None:
                        continue
                    try:
                        what = provider.reconcile(order, now)
                    except ProviderUnavailable as error:
                        unreachable.append(f"{order.number}: {provider_id}: {error}")
                        continue
                    if what:
                        said.append(f"{order.number}: {what}")
                transaction.commit()  # what was recorded before a failure too
            except ConflictError:
                transaction.abort()
                continue
            except Exception:
                # A provider's answer we can't handle must not keep every
                # other order from being swept: logged, and asked again.
                transaction.abort()
                logger.exception("Reconciling %s failed", path)
                report.unreachable.append(f"{path}: error (logged)")
                break
            report.payments_checked += 1
            report.reconciled.extend(said)
            report.unreachable.extend(unreachable)
            break


def send_reminders(now: datetime, report: SweepReport, batch_size: int) -> None:
    """Remind the customers of unpaid orders whose reminder is due
    (api/reminders.py), a batch per transaction, after the timeouts (an
    order timing out now gets no reminder). When two sweepers remind the
    same order, the ZODB refuses one commit; its retry finds the reminder
    kept and sends none: the mails leave only with a commit."""
    lead = earliest_reminder()
    if lead is None:
        return
    if not can_mail():
        logger.warning("No site e-mail address: no payment reminders sent")
        return
    catalog = api.portal.get_tool("portal_catalog")
    paths = [
        brain.getPath()
        for brain in catalog.unrestrictedSearchResults(
            portal_type="Order",
            review_state=sorted(UNPAID_STATES),
            created={"query": DateTime(now - lead), "range": "max"},
        )
    ]
    portal = api.portal.get()
    for start in range(0, len(paths), batch_size):
        for _attempt in range(ATTEMPTS):
            sent = []
            try:
                for path in paths[start : start + batch_size]:
                    order = portal.unrestrictedTraverse(path, None)
                    kind = due_reminder(order, now)[0] if order is not None else ""
                    if kind:
                        remind(order, kind)
                        sent.append(f"{order.number}: {kind}")
                transaction.commit()
            except ConflictError:
                transaction.abort()  # again, re-reading every order
                continue
            report.reminded.extend(sent)
            break


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
                    except (TransitionNotAllowed, ErasureRefused) as error:
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
