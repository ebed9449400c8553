"""Flags on an order that needs a person: raised one by one, cleared one by one."""

from getpaid.orders import api as shop
from getpaid.orders.api.attention import flags_of
from getpaid.orders.api.attention import PAID_AFTER_CANCEL
from getpaid.orders.api.attention import REVERSAL
from getpaid.orders.content.attention import AttentionFlag
from getpaid.orders.mail import alerts
from getpaid.orders.workflow import SOURCE_MANAGER
from getpaid.orders.workflow import SOURCE_PROVIDER

import pytest


REFUND_IT = "PayPal T1: paid after it was canceled: refund it"
REVERSED = "PayPal R1: the payment was reversed (a chargeback)"


@pytest.fixture
def order(portal, make_product, customer, monkeypatch):
    monkeypatch.setattr(alerts, "alert_shop", lambda order, reason: None)
    return shop.place_order([(make_product("mug", "12.50"), 1)], customer)


def flag(order, reason, kind, ref):
    return shop.raise_attention(
        order, reason, source=SOURCE_PROVIDER, kind=kind, ref=ref, new="Status"
    )


def needing_attention(portal) -> list[str]:
    catalog = portal.portal_catalog
    found = catalog(portal_type="Order", needs_attention=True)
    return [brain.getObject().attention for brain in found]  # no column: staff's


def test_every_reason_is_kept(portal, order):
    flag(order, REFUND_IT, PAID_AFTER_CANCEL, "T1")
    flag(order, REVERSED, REVERSAL, "T1")
    assert flags_of(order) == (
        AttentionFlag(REFUND_IT, PAID_AFTER_CANCEL, "T1"),
        AttentionFlag(REVERSED, REVERSAL, "T1"),
    )
    assert order.attention == f"{REFUND_IT}\n{REVERSED}"
    assert needing_attention(portal) == [order.attention]
    assert [(e.action, e.comment) for e in order.history[-2:]] == [
        ("payment problem", REFUND_IT),
        ("payment problem", REVERSED),
    ]


def test_clearing_one_kind_and_transaction_leaves_the_others(portal, order):
    flag(order, REFUND_IT, PAID_AFTER_CANCEL, "T1")
    flag(order, REVERSED, REVERSAL, "T1")
    flag(order, "PayPal R2: reversed too", REVERSAL, "T2")
    cleared = shop.clear_attention(
        order,
        source=SOURCE_PROVIDER,
        action="reversal canceled",
        kind=REVERSAL,
        ref="T1",
    )
    assert [f.reason for f in cleared] == [REVERSED]
    assert order.attention == f"{REFUND_IT}\nPayPal R2: reversed too"
    assert needing_attention(portal) == [order.attention]
    assert (order.history[-1].action, order.history[-1].old) == (
        "reversal canceled",
        REVERSED,
    )


def test_clearing_a_flag_that_isnt_there_clears_nothing(order):
    flag(order, REFUND_IT, PAID_AFTER_CANCEL, "T1")
    cleared = shop.clear_attention(
        order, source=SOURCE_PROVIDER, action="reversal canceled", kind=REVERSAL
    )
    assert cleared == ()
    assert order.attention == REFUND_IT


def test_a_person_clears_every_flag(portal, order):
    flag(order, REFUND_IT, PAID_AFTER_CANCEL, "T1")
    flag(order, REVERSED, REVERSAL, "T1")
    shop.clear_attention(order, source=SOURCE_MANAGER, action="attention cleared")
    assert (order.attention, flags_of(order)) == ("", ())
    assert needing_attention(portal) == []
    assert order.history[-1].old == f"{REFUND_IT}\n{REVERSED}"


def test_a_flag_from_before_flags_were_kept_apart(order):
    order.attention = REFUND_IT  # as orders flagged before kept it
    assert flags_of(order) == (AttentionFlag(REFUND_IT),)
    flag(order, REVERSED, REVERSAL, "T1")
    shop.clear_attention(
        order, source=SOURCE_PROVIDER, action="canceled", kind=REVERSAL, ref="T1"
    )
    assert order.attention == REFUND_IT
