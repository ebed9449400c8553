"""Payment reminders: which are due when, what sending one keeps, and the
link each carries (api/reminders.py). Timeout 72 h, first reminder 24 h
after the order, last 12 h before the timeout (the defaults)."""

from DateTime import DateTime
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from getpaid.orders import api as shop
from getpaid.orders.api.attempts import begin_attempt
from getpaid.orders.api.attempts import update_attempt
from getpaid.orders.api.links import OWNER
from getpaid.orders.api.reminders import due_reminder
from getpaid.orders.api.reminders import earliest_reminder
from getpaid.orders.api.reminders import FIRST
from getpaid.orders.api.reminders import LAST
from getpaid.orders.api.reminders import MANUAL
from getpaid.orders.api.reminders import remind
from getpaid.orders.api.reminders import send_reminder
from getpaid.orders.content.attempt import FAILED
from getpaid.orders.events import IPaymentReminderEvent
from getpaid.orders.exceptions import MailUnavailable
from getpaid.orders.exceptions import NotAwaitingPayment
from getpaid.orders.exceptions import OrderNotFound
from plone import api
from zope.component import getGlobalSiteManager

import pytest


HOUR = timedelta(hours=1)
PLACED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def events():
    seen = []
    gsm = getGlobalSiteManager()
    gsm.registerHandler(seen.append, (IPaymentReminderEvent,))
    yield seen
    gsm.unregisterHandler(seen.append, (IPaymentReminderEvent,))


@pytest.fixture
def order(portal, make_product, customer):
    api.portal.set_registry_record("plone.email_from_address", "shop@example.org")
    api.portal.set_registry_record("getpaid.orders.unpaid_timeout_minutes", 72 * 60)
    placed = shop.checkout([(make_product("mug", "12.50"), 1)], customer)
    placed.order.creation_date = DateTime(PLACED)
    placed.order.first_token = placed.owner_token  # for the tests only
    return placed.order


def at(hours: float) -> datetime:
    return PLACED + timedelta(hours=hours)


def opens(order, token) -> bool:
    try:
        return shop.find_by_token(token, kind=OWNER)[0].aq_base is order.aq_base
    except OrderNotFound:
        return False


@pytest.mark.parametrize(
    ("hours", "due"),
    [(0, ""), (23.9, ""), (24, FIRST), (59.9, FIRST), (60, LAST), (71.9, LAST)],
)
def test_the_first_after_a_day_the_last_half_a_day_before_the_timeout(
    order, hours, due
):
    assert due_reminder(order, at(hours))[0] == due


def test_none_after_the_timeout(order):
    assert due_reminder(order, at(72)) == ("", "past its timeout")


def test_each_at_most_once(order, events):
    remind(order, FIRST)
    assert due_reminder(order, at(30)) == ("", "reminded")
    assert due_reminder(order, at(61))[0] == LAST
    remind(order, LAST)
    assert due_reminder(order, at(65)) == ("", "reminded")
    assert [one.kind for one in order.reminders] == [FIRST, LAST]
    assert [event.kind for event in events] == [FIRST, LAST]


def test_a_first_reminder_missed_gives_way_to_the_last(order):
    remind(order, LAST)  # the sweeper didn't run between 24 h and 60 h
    assert due_reminder(order, at(61)) == ("", "reminded")


def test_a_manual_reminder_takes_the_first_ones_place(order):
    send_reminder(order)
    assert due_reminder(order, at(30)) == ("", "reminded")
    assert due_reminder(order, at(61))[0] == LAST


@pytest.mark.parametrize(
    ("first", "last", "due_at_30", "due_at_61"),
    [(0, 12, "", LAST), (24, 0, FIRST, FIRST), (0, 0, "", "")],
)
def test_either_can_be_off(order, first, last, due_at_30, due_at_61):
    api.portal.set_registry_record("getpaid.orders.reminder_first_hours", first)
    api.portal.set_registry_record("getpaid.orders.reminder_last_hours", last)
    assert due_reminder(order, at(30))[0] == due_at_30
    assert due_reminder(order, at(61))[0] == due_at_61


def test_a_last_reminder_longer_than_the_timeout_never_goes(order):
    api.portal.set_registry_record("getpaid.orders.reminder_last_hours", 72)
    api.portal.set_registry_record("getpaid.orders.reminder_first_hours", 0)
    assert due_reminder(order, at(1)) == ("", "no reminder due")
    assert earliest_reminder() is None


def test_earliest_reminder_is_what_the_sweeper_queries(order):
    assert earliest_reminder() == 24 * HOUR
    api.portal.set_registry_record("getpaid.orders.reminder_last_hours", 60)
    assert earliest_reminder() == 12 * HOUR


@pytest.mark.parametrize(
    "step",
    [
        shop.mark_paid,
        lambda order: shop.cancel_order(order, source="manager"),
        shop.time_out,
    ],
    ids=["paid", "canceled", "timed out"],
)
def test_none_once_paid_canceled_or_timed_out(order, step):
    step(order)
    assert due_reminder(order, at(30)) == ("", "no longer unpaid")
    assert due_reminder(order, at(61)) == ("", "no longer unpaid")


def test_none_while_a_payment_is_pending(order):
    order.payment_pending = "echeck"
    assert due_reminder(order, at(30)) == ("", "payment pending (echeck)")


def test_none_while_a_paypal_checkout_payment_is_open(order):
    attempt = begin_attempt(order, "paypal_checkout", "5O190127TN364715T")
    assert due_reminder(order, at(30)) == ("", "payment open at paypal_checkout")
    with pytest.raises(NotAwaitingPayment):
        send_reminder(order)
    update_attempt(order, attempt, status=FAILED, detail="not approved in time")
    assert due_reminder(order, at(30))[0] == FIRST


def test_a_failed_payment_moves_the_last_reminder_with_the_timeout(order):
    shop.fail_payment(order)  # now, long after PLACED: the timeout runs anew
    failed = order.history[-1].when
    assert due_reminder(order, failed + 59 * HOUR)[0] == FIRST
    assert due_reminder(order, failed + 60 * HOUR)[0] == LAST


def test_a_reminder_is_kept_and_noted_in_the_history(order, events):
    reminder = remind(order, FIRST)
    assert order.reminders == (reminder,)
    assert (reminder.kind, reminder.actor) == (FIRST, "test_user_1_")
    entry = order.history[-1]
    assert (entry.action, entry.source) == ("first reminder", "system")
    (event,) = events
    assert (event.order, event.kind) == (order, FIRST)
    assert event.owner_token not in repr(vars(order))  # a digest only


def test_each_reminder_revokes_the_previous_reminders_link(order, events):
    for _n in range(12):  # more than an order keeps owner links
        send_reminder(order)
    *older, newest = [event.owner_token for event in events]
    assert opens(order, newest)
    assert not any(opens(order, token) for token in older)
    assert opens(order, order.first_token)  # the confirmation's still works
    active = [link for link in order.secret_links if link.active]
    assert len(active) == 2
    assert len(order.reminders) == 12


def test_manual_reminders_are_staffs(order):
    reminder = send_reminder(order)
    assert reminder.kind == MANUAL
    assert order.history[-1].source == "manager"


def test_manual_reminder_refused_once_paid(order):
    shop.mark_paid(order)
    with pytest.raises(NotAwaitingPayment):
        send_reminder(order)
    assert order.reminders == ()


def test_no_reminder_without_a_sender_address(order, events):
    api.portal.set_registry_record("plone.email_from_address", "")
    links = order.secret_links
    with pytest.raises(MailUnavailable):
        send_reminder(order)
    assert (order.reminders, order.secret_links, events) == ((), links, [])
