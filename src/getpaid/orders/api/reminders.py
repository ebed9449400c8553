"""Payment reminders: an unpaid order's customer is reminded to pay, by mail,
before the order times out.

When (the shop's settings): the **first** reminder ``reminder_first_hours``
after the order was placed, the **last** ``reminder_last_hours`` before it
times out (``api/unpaid.py``); 0 turns either off. Each goes at most once
per order, and only while the order waits for a payment nobody has begun:
unpaid, no payment pending, no attempt open at any provider. A reminder
whose moment passed unsent gives way to a later one: once the last one is
due the first doesn't go, nor does a last one whose moment comes before the
order was unpaid (a timeout shorter than its lead), nor any after the
timeout. The sweeper sends them (``api/sweeper.py``, ``send_reminders``).

Staff may remind a customer by hand (``send_reminder``), as often as they
like, while the order waits for payment. A manual reminder takes the place
of the first one: the sweeper sends no first reminder after it, but still
the last one, which tells the customer the order is about to time out.

The link: a reminder links to the order's own page, never a provider's,
through a new owner link (tokens are kept only as digests: no mail can
repeat an earlier one). Each reminder revokes the link of the reminder
before it, whose digest it keeps (``Reminder.link``): besides the links the
customer had already (the confirmation's, a lookup's), at most one
reminder link works, the newest, and reminders never retire the
customer's first link (``MAX_OWNER_LINKS``). docs/secret-links.rst says so.

Every reminder is kept on the order (``order.reminders``) and in its
history, and fires ``PaymentReminderEvent``, whose subscriber mails it in
the customer's language with the commit (mail/reminders.py): a reminder
recorded by a transaction that doesn't commit (a sweeper that lost a
conflict to another) mails nothing.
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from getpaid.orders import _
from getpaid.orders.api.history import add_history
from getpaid.orders.api.history import current_actor
from getpaid.orders.api.links import create_link
from getpaid.orders.api.links import digest
from getpaid.orders.api.links import OWNER
from getpaid.orders.api.links import revoke_link
from getpaid.orders.api.unpaid import placed_at
from getpaid.orders.api.unpaid import providers_awaiting
from getpaid.orders.api.unpaid import times_out_at
from getpaid.orders.api.unpaid import unpaid_since
from getpaid.orders.api.unpaid import unpaid_timeout
from getpaid.orders.content.reminder import Reminder
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.events import PaymentReminderEvent
from getpaid.orders.exceptions import MailUnavailable
from getpaid.orders.exceptions import NotAwaitingPayment
from getpaid.orders.mail.sending import can_mail
from getpaid.orders.mail.sending import NO_MAIL
from getpaid.orders.workflow import SOURCE_MANAGER
from getpaid.orders.workflow import SOURCE_SYSTEM
from getpaid.orders.workflow import UNPAID_STATES
from plone import api
from zope.event import notify


FIRST = "first"  # reminder_first_hours after the order was placed
LAST = "last"  # reminder_last_hours before the order times out
MANUAL = "manual"  # sent by staff
KINDS = (FIRST, LAST, MANUAL)
# The order's history names each kind (presentation/history.py titles them).
ACTIONS = {
    FIRST: "first reminder",
    LAST: "last reminder",
    MANUAL: "reminder",
}


def first_lead() -> timedelta | None:
    """After how long since the order the first reminder goes; None: off."""
    hours = get_setting("reminder_first_hours", 24) or 0
    return timedelta(hours=hours) if hours > 0 else None


def last_lead() -> timedelta | None:
    """How long before the timeout the last reminder goes; None: off."""
    hours = get_setting("reminder_last_hours", 12) or 0
    return timedelta(hours=hours) if hours > 0 else None


def earliest_reminder() -> timedelta | None:
    """How old an order is at least when any reminder is due (the sweeper's
    catalog query); None when no automatic reminder is on."""
    leads = []
    if first_lead() is not None:
        leads.append(first_lead())
    if last_lead() is not None and last_lead() < unpaid_timeout():
        leads.append(unpaid_timeout() - last_lead())
    return min(leads) if leads else None


def why_not_remindable(order) -> str:
    """'' if the order waits for a payment nobody has begun; else why not."""
    if api.content.get_state(order) not in UNPAID_STATES:
        return "no longer unpaid"
    if order.payment_pending:
        return f"payment pending ({order.payment_pending})"
    awaiting = providers_awaiting(order)
    if awaiting:
        return f"payment open at {', '.join(awaiting)}"
    return ""


def reminder_count(order) -> int:
    """How many reminders the order's customer got, by hand or not."""
    return len(order.reminders)


def due_reminder(order, now: datetime) -> tuple[str, str]:
    """(kind, "") when the reminder ``kind`` must go now; else ("", why not)."""
    why = why_not_remindable(order)
    if why:
        return "", why
    deadline = times_out_at(order)
    if now >= deadline:
        return "", "past its timeout"
    sent = {reminder.kind for reminder in order.reminders}
    last = last_lead()
    if last is not None and LAST not in sent:
        moment = deadline - last
        if moment > unpaid_since(order) and now >= moment:
            return LAST, ""
    first = first_lead()
    if first is None or sent & {FIRST, LAST, MANUAL}:
        return "", "reminded" if sent else "no reminder due"
    if now < placed_at(order) + first:
        return "", "not old enough"
    return FIRST, ""


def remind(order, kind: str, *, source: str = SOURCE_SYSTEM) -> Reminder:
    """Remind the customer to pay: a new owner link (the previous
    reminder's revoked), kept, noted in the history and mailed with the
    commit. MailUnavailable, changing nothing, when the site can't mail."""
    if kind not in KINDS:
        raise ValueError(f"Unknown reminder {kind!r}; one of {KINDS}.")
    if not can_mail():
        raise MailUnavailable(NO_MAIL)
    _revoke_reminder_link(order)
    token = create_link(order, OWNER)
    reminder = Reminder(
        kind=kind,
        when=datetime.now(UTC),
        actor=current_actor(),
        link=digest(token),
    )
    order.reminders = (*order.reminders, reminder)
    add_history(
        order,
        source=source,
        action=ACTIONS[kind],
        comment="Mailed to the customer with a new link to the order.",
    )
    order.reindexObject(idxs=["reminder_count"])  # the listing's column
    notify(PaymentReminderEvent(order, token, kind))
    return reminder


def send_reminder(order) -> Reminder:
    """Staff remind the customer by hand; NotAwaitingPayment when the order
    isn't waiting for a payment nobody has begun (paid, canceled, timed
    out, a payment pending or open at a provider)."""
    if why_not_remindable(order):
        raise NotAwaitingPayment(
            _(
                "The order is not waiting for payment (it is paid, closed, or a "
                "payment is under way): no reminder was sent."
            )
        )
    return remind(order, MANUAL, source=SOURCE_MANAGER)


def _revoke_reminder_link(order) -> None:
    if not order.reminders:
        return
    previous = order.reminders[-1].link
    for index, link in enumerate(order.secret_links):
        if link.active and link.digest == previous:
            revoke_link(order, index)
