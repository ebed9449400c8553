"""Payment records: one per provider transaction and status, kept verbatim."""

from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.events import IPaymentReceivedEvent
from getpaid.orders.exceptions import DuplicatePayment
from getpaid.orders.exceptions import InvalidCurrency
from zope.component import getGlobalSiteManager

import pytest


RAW = "mc_gross=12.50&custom=x&first_name=J%F6rg".encode("ascii")


@pytest.fixture
def order(make_product, customer):
    return shop.place_order([(make_product("mug", "12.50"), 1)], customer)


def pay(order, status="Completed", txn_id="9XY12345AB", **kw):
    return shop.record_payment(
        order,
        provider="paypal",
        txn_id=txn_id,
        status=status,
        amount=kw.pop("amount", "12.50"),
        currency=kw.pop("currency", "EUR"),
        raw=RAW,
        charset="windows-1252",
        **kw,
    )


def test_record_payment(order):
    payment = pay(order)
    assert payment.aq_parent.aq_base is order.aq_base
    assert (payment.provider, payment.txn_id, payment.status) == (
        "paypal",
        "9XY12345AB",
        "Completed",
    )
    assert payment.amount == Decimal("12.50")
    assert (payment.raw, payment.charset) == (RAW, "windows-1252")
    assert payment.received_at.tzinfo is not None
    assert order.payments() == [payment]


def test_same_transaction_and_status_is_a_duplicate(order):
    pay(order)
    with pytest.raises(DuplicatePayment):
        pay(order)
    assert len(order.payments()) == 1


def test_other_status_of_the_same_transaction_is_recorded(order):
    pay(order, status="Pending")
    pay(order, status="Completed")
    refund = pay(
        order,
        status="Refunded",
        txn_id="R1",
        parent_txn_id="9XY12345AB",
        amount="12.50",
    )
    assert len(order.payments()) == 3
    assert refund.parent_txn_id == "9XY12345AB"


def test_mismatching_amount_is_kept_as_evidence(order):
    payment = pay(order, amount="0.01", currency="USD")
    assert (payment.amount, payment.currency) == (Decimal("0.01"), "USD")


def test_bad_currency_refused(order):
    with pytest.raises(InvalidCurrency):
        pay(order, currency="EURO")
    assert order.payments() == []


def test_payment_event_and_catalog(portal, order):
    seen = []
    gsm = getGlobalSiteManager()
    gsm.registerHandler(seen.append, (IPaymentReceivedEvent,))
    try:
        payment = pay(order)
    finally:
        gsm.unregisterHandler(seen.append, (IPaymentReceivedEvent,))
    assert [(event.order, event.payment) for event in seen] == [(order, payment)]
    found = portal.portal_catalog.unrestrictedSearchResults(
        portal_type="Order", payment_txn_ids="9XY12345AB"
    )
    assert [brain.getObject() for brain in found] == [order]
