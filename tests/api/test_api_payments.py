"""Payment records: one per provider transaction and status, kept verbatim."""

from datetime import datetime
from datetime import UTC
from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.api.payments import legacy_payment_id
from getpaid.orders.api.payments import payment_id
from getpaid.orders.events import IPaymentReceivedEvent
from getpaid.orders.exceptions import DuplicatePayment
from getpaid.orders.exceptions import InvalidCurrency
from hypothesis import example
from hypothesis import given
from hypothesis import strategies as st
from OFS.ObjectManager import checkValidId
from plone.dexterity.utils import createContent
from zope.component import getGlobalSiteManager

import pytest


# A message without a transaction id (PayPal's recurring_payment_skipped, say).
BARE = dict(provider="paypal", txn_id="", status="", amount="0", currency="EUR")
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


# Payment ids: one per message, exactly (issue 20, item 5)


def test_a_status_differing_only_in_case_is_another_message(order):
    pay(order, status="completed")
    pay(order, status="Completed")
    assert sorted(p.status for p in order.payments()) == ["Completed", "completed"]


@pytest.mark.parametrize(
    "first, second",
    [
        (("A B", "Completed"), ("A-B", "Completed")),
        (("AB", "Completed"), ("ab", "Completed")),
        (("A", "B-C"), ("A-B", "C")),
        (("A~B", "C"), ("A", "B~C")),
    ],
)
def test_ids_that_the_old_scheme_folded_together_are_apart(order, first, second):
    pay(order, txn_id=first[0], status=first[1])
    pay(order, txn_id=second[0], status=second[1])
    assert len(order.payments()) == 2


def test_messages_without_a_transaction_id_are_told_apart_by_their_body(order):
    shop.record_payment(order, **BARE, raw=b"txn_type=skipped&n=1")
    shop.record_payment(order, **BARE, raw=b"txn_type=skipped&n=2")
    with pytest.raises(DuplicatePayment):  # the first, sent again
        shop.record_payment(order, **BARE, raw=b"txn_type=skipped&n=1")
    assert [p.txn_id for p in order.payments()] == ["", ""]


def test_a_payment_needs_a_transaction_id_or_a_body(order):
    with pytest.raises(ValueError):
        shop.record_payment(order, **BARE)


@given(
    first=st.tuples(st.text(min_size=1), st.text()),
    second=st.tuples(st.text(min_size=1), st.text()),
)
# Lone surrogates: what a UTF-7 message can decode to.
@example(first=("\ud83d", "Completed"), second=("\ud83e", "Completed"))
def test_ids_are_exact_and_zope_takes_them(first, second):
    one, other = payment_id("paypal", *first), payment_id("paypal", *second)
    assert (one == other) == (first == second)
    for id in (one, other):
        checkValidId(None, id, allow_dup=True)  # no BadRequest
    # Never the old id of any message: an old record can't take a new id.
    assert one != legacy_payment_id("paypal", *second)


def legacy_record(order, txn_id, status, raw=RAW):
    """A record as the old scheme stored it, under its old id."""
    payment = createContent(
        "Payment",
        provider="paypal",
        txn_id=txn_id,
        status=status,
        amount=Decimal("12.50"),
        currency="EUR",
        raw=raw,
        charset="windows-1252",
        received_at=datetime.now(UTC),
    )
    payment.id = legacy_payment_id("paypal", txn_id, status)
    order._setObject(payment.id, payment)
    return order[payment.id]


def test_an_old_record_still_makes_its_message_a_duplicate(order):
    old = legacy_record(order, "9XY12345AB", "Completed")
    assert old.getId() == "paypal-9xy12345ab-completed"
    with pytest.raises(DuplicatePayment):
        pay(order)
    assert order.payments() == [old]


def test_an_old_record_without_transaction_id_is_found_by_its_body(order):
    legacy_record(order, "(none)", "(none)", raw=b"txn_type=new_case&case_id=1")
    with pytest.raises(DuplicatePayment):
        shop.record_payment(order, **BARE, raw=b"txn_type=new_case&case_id=1")
    shop.record_payment(order, **BARE, raw=b"txn_type=new_case&case_id=2")
    assert len(order.payments()) == 2


def test_an_old_record_is_no_duplicate_of_another_message_under_its_id(order):
    legacy_record(order, "9XY12345AB", "Completed")
    pay(order, txn_id="9xy12345ab", status="completed")  # the same old id
    assert len(order.payments()) == 2


def test_the_kind_of_a_record(order):
    assert shop.kind_of(pay(order, kind="payment")) == "payment"
    assert shop.kind_of(pay(order, status="Pending")) == ""
    # Records from before kinds: PayPal's Completed and Refunded.
    assert shop.kind_of(legacy_record(order, "OLD1", "Completed")) == "payment"
    assert shop.kind_of(legacy_record(order, "OLD2", "Refunded")) == "refund"
    with pytest.raises(ValueError):
        pay(order, txn_id="X", kind="gift")
