"""The sweeper anonymises final orders past the retention period, once."""

from datetime import date
from datetime import timedelta
from getpaid.orders import api as shop
from getpaid.orders.api.erasure import ANONYMISED
from getpaid.orders.api.sweeper import sweep
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api
from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import clearRequest
from zope.globalrequest import setRequest

import pytest
import threading
import transaction


DAYS = 30


@pytest.fixture
def site(shop_site):
    api.portal.set_registry_record("getpaid.orders.retention_days", DAYS)
    # Unpaid orders don't time out (and so become final) in these tests.
    api.portal.set_registry_record("getpaid.orders.unpaid_timeout_minutes", 10**7)
    transaction.commit()
    with api.env.adopt_roles(["Manager"]):  # staff cancel, deliver, refund
        yield shop_site


def place(site, customer):
    return shop.place_order([(site["mug"], 1)], customer)


def final_at(order):
    return order.history[-1].when


def fresh(order):
    transaction.begin()
    return order


def test_only_final_orders_past_the_retention_period(site, customer):
    canceled, completed, paid, unpaid = (place(site, customer) for _ in range(4))
    shop.cancel_order(canceled, source=SOURCE_MANAGER)
    for order in (completed, paid):
        shop.mark_paid(order)
    shop.deliver(completed)
    shop.complete(completed)
    transaction.commit()
    due = max(final_at(canceled), final_at(completed)) + timedelta(days=DAYS)

    early = sweep(final_at(canceled) + timedelta(days=DAYS) - timedelta(seconds=1))
    assert early.anonymised == []
    report = sweep(due)
    assert sorted(report.anonymised) == sorted([canceled.number, completed.number])
    assert "anonymised: 2" in str(report)
    for order in (canceled, completed):
        assert fresh(order).email == "" and order.anonymised is not None
        assert order.history[-1].source == "system"
    for order in (paid, unpaid):  # not final: kept, however old
        assert fresh(order).email == "ada@example.org"
    # Once: an anonymised order leaves the index the sweeper reads.
    catalog = api.portal.get_tool("portal_catalog")
    assert not catalog.unrestrictedSearchResults(
        order_final={"query": due, "range": "max"}
    )
    assert sweep(due + timedelta(days=400)).anonymised == []


def test_nothing_while_the_period_is_0_or_the_hold_runs(site, customer):
    order = place(site, customer)
    shop.cancel_order(order, source=SOURCE_MANAGER)
    transaction.commit()
    later = final_at(order) + timedelta(days=DAYS + 1)
    api.portal.set_registry_record("getpaid.orders.retention_days", 0)
    transaction.commit()
    assert sweep(later).anonymised == []
    api.portal.set_registry_record("getpaid.orders.retention_days", DAYS)
    api.portal.set_registry_record(
        "getpaid.orders.erasure_hold_until", date.today() + timedelta(days=1)
    )
    transaction.commit()
    assert sweep(later).anonymised == []
    assert fresh(order).email == "ada@example.org"
    api.portal.set_registry_record(
        "getpaid.orders.erasure_hold_until", date.today() - timedelta(days=1)
    )
    transaction.commit()
    assert sweep(later).anonymised == [order.number]


def test_a_refund_restarts_the_period(site, customer):
    order = place(site, customer)
    shop.mark_paid(order)
    shop.deliver(order)
    shop.complete(order)
    transaction.commit()
    completed = final_at(order)
    shop.refund(order, source=SOURCE_MANAGER)
    transaction.commit()
    assert sweep(completed + timedelta(days=DAYS)).anonymised == []
    assert sweep(final_at(order) + timedelta(days=DAYS)).anonymised == [order.number]


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


def test_two_sweepers_at_once_anonymise_each_order_once(functional, site, customer):
    orders = [place(site, customer) for _ in range(12)]
    for order in orders:
        shop.cancel_order(order, source=SOURCE_MANAGER)
    transaction.commit()
    now = max(final_at(order) for order in orders) + timedelta(days=DAYS)
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
    done = [number for report in reports for number in report.anonymised]
    assert sorted(done) == sorted(order.number for order in orders)  # once each
    transaction.begin()
    for order in orders:
        assert [e.action for e in order.history].count(ANONYMISED) == 1
