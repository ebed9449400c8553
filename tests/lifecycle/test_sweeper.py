"""Timeouts and expiry on their own, with an injected clock."""

from DateTime import DateTime
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.api.checkout_keys import checkout_keys
from getpaid.orders.api.checkout_keys import KEY_LIFETIME
from getpaid.orders.api.sweeper import sweep
from plone import api
from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import clearRequest
from zope.globalrequest import setRequest

import pytest
import requests
import threading
import transaction
import uuid


TIMEOUT = timedelta(minutes=60)


@pytest.fixture
def site(shop_site):
    api.portal.set_registry_record("getpaid.orders.unpaid_timeout_minutes", 60)
    with api.env.adopt_roles(["Manager"]):
        api.content.create(
            container=shop_site,
            type="Product",
            id="hosting",
            title="Hosting",
            price=Decimal("240.00"),
            currency="EUR",
            duration_days=365,
        )
    transaction.commit()
    return shop_site


def place(site, customer, product="mug"):
    order = shop.place_order([(site[product], 1)], customer)
    transaction.commit()
    return order


def created_at(order) -> datetime:
    return order.created().asdatetime().astimezone(UTC)


def state(order) -> str:
    transaction.begin()
    return api.content.get_state(order)


def test_timeout_exactly_at_and_not_before(site, customer):
    order = place(site, customer)
    due = created_at(order) + TIMEOUT
    assert sweep(due - timedelta(seconds=1)).timed_out == []
    assert state(order) == "created"
    assert sweep(due).timed_out == [order.number]
    assert state(order) == "timeout"
    assert order.history[-1].source == "system"


def test_an_order_whose_payment_failed_times_out_too(site, customer):
    order = place(site, customer)
    shop.fail_payment(order)
    transaction.commit()
    failed = order.history[-1].when
    assert sweep(failed + TIMEOUT).timed_out == [order.number]
    assert state(order) == "timeout"


def test_a_failed_payment_gives_the_customer_the_whole_time_again(site, customer):
    order = place(site, customer)
    order.creation_date = DateTime(created_at(order) - 10 * TIMEOUT)  # long ago
    order.reindexObject(idxs=["created"])  # as the sweeper's query finds it
    shop.fail_payment(order)  # now: the customer is mailed a link to pay again
    transaction.commit()
    failed = order.history[-1].when
    report = sweep(failed + TIMEOUT - timedelta(seconds=1))
    assert report.timed_out == []
    assert report.skipped == [f"{order.number}: not old enough"]
    assert sweep(failed + TIMEOUT).timed_out == [order.number]


def test_sweeping_again_changes_nothing(site, customer):
    order = place(site, customer)
    later = created_at(order) + 2 * TIMEOUT
    assert sweep(later).timed_out == [order.number]
    again = sweep(later)
    assert (again.timed_out, again.expired) == ([], [])
    assert [e.action for e in order.history].count("time_out") == 1


def test_pending_payment_survives(site, customer):
    order = place(site, customer)
    order.payment_pending = "echeck"
    transaction.commit()
    report = sweep(created_at(order) + 2 * TIMEOUT)
    assert report.timed_out == []
    assert report.skipped == [f"{order.number}: payment pending (echeck)"]
    assert state(order) == "created"


def test_paid_orders_never_time_out(site, customer):
    order = place(site, customer)
    shop.mark_paid(order)
    transaction.commit()
    report = sweep(created_at(order) + 10 * TIMEOUT)
    assert (report.timed_out, report.expired, report.skipped) == ([], [], [])
    assert state(order) == "paid"


def test_time_limited_purchase_runs_from_payment_and_expires(site, customer):
    order = place(site, customer, "hosting")
    assert order.end is None
    shop.mark_paid(order)
    transaction.commit()
    assert order.end - order.start == timedelta(days=365)
    assert sweep(order.end - timedelta(seconds=1)).expired == []
    assert sweep(order.end).expired == [order.number]
    assert state(order) == "expired"


def test_managers_may_move_the_end(site, customer):
    order = place(site, customer, "hosting")
    shop.mark_paid(order)
    new_end = order.end + timedelta(days=30)
    shop.update_order(order, {"end": new_end}, source="manager")
    transaction.commit()
    assert sweep(new_end - timedelta(days=1)).expired == []
    assert sweep(new_end).expired == [order.number]


def _sweep_in_thread(db, site_id, now, reports, errors):
    connection = db.open()
    try:
        app = makerequest(connection.root()["Application"])
        setRequest(app.REQUEST)
        setSite(app[site_id])
        reports.append(sweep(now, batch_size=5))
    except Exception as error:
        errors.append(repr(error))
    finally:
        setSite(None)
        clearRequest()
        transaction.abort()
        connection.close()


def test_two_sweepers_at_once_move_each_order_once(functional, site, customer):
    orders = [shop.place_order([(site["mug"], 1)], customer) for _ in range(20)]
    transaction.commit()
    now = max(created_at(order) for order in orders) + TIMEOUT
    reports, errors = [], []
    threads = [
        threading.Thread(
            target=_sweep_in_thread,
            args=(functional["zodbDB"], site.getId(), now, reports, errors),
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    moved = [number for report in reports for number in report.timed_out]
    assert sorted(moved) == sorted(order.number for order in orders)  # once each
    transaction.begin()
    for order in orders:
        assert api.content.get_state(order) == "timeout"
        assert [e.action for e in order.history].count("time_out") == 1


def test_sweep_view_needs_the_key(site, customer):
    url = site.absolute_url() + "/@@getpaid-sweep"
    assert requests.get(url, params={"key": ""}, timeout=30).status_code == 404
    api.portal.set_registry_record("getpaid.orders.sweeper_key", "s3cret-key-for-cron")
    transaction.commit()
    assert requests.get(url, params={"key": "wrong"}, timeout=30).status_code == 404
    for raw in ("%FF%FE", "%ED%A0%80"):  # bytes that aren't UTF-8: no key either
        assert requests.get(f"{url}?key={raw}", timeout=30).status_code == 404
    answer = requests.get(url, params={"key": "s3cret-key-for-cron"}, timeout=30)
    assert answer.status_code == 200
    assert answer.text.startswith("timed out: 0\nexpired: 0")


def test_the_sweeper_prunes_checkout_keys_a_day_old(site, customer):
    placed = shop.checkout([(site["mug"], 1)], customer, key=str(uuid.uuid4()))
    transaction.commit()
    keys = checkout_keys(site["orders"])
    day_later = created_at(placed.order) + KEY_LIFETIME
    assert sweep(day_later - timedelta(minutes=1)).keys_pruned == 0
    report = sweep(day_later + timedelta(minutes=1))
    assert report.keys_pruned == 1
    assert "checkout keys pruned: 1" in str(report)
    transaction.begin()
    assert len(keys) == 0
