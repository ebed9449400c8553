"""Domain events: what integrations and mail subscribe to."""

from getpaid.orders import api as shop
from getpaid.orders.events import IOrderPaidEvent
from getpaid.orders.events import IOrderStateChangedEvent
from getpaid.orders.workflow import SOURCE_CUSTOMER
from getpaid.orders.workflow import SOURCE_PROVIDER
from zope.component import getGlobalSiteManager

import pytest


@pytest.fixture
def events():
    seen = []
    gsm = getGlobalSiteManager()
    for interface in (IOrderPaidEvent, IOrderStateChangedEvent):
        gsm.registerHandler(seen.append, (interface,))
    yield seen
    for interface in (IOrderPaidEvent, IOrderStateChangedEvent):
        gsm.unregisterHandler(seen.append, (interface,))


@pytest.fixture
def order(make_product, customer):
    return shop.place_order([(make_product("mug", "12.50"), 1)], customer)


def test_paid_fires_state_changed_then_paid(order, events):
    shop.mark_paid(order, comment="IPN 9XY")
    changed, paid = events
    assert IOrderStateChangedEvent.providedBy(changed)
    assert (changed.old_state, changed.new_state, changed.transition) == (
        "created",
        "paid",
        "pay",
    )
    assert (changed.source, changed.comment) == (SOURCE_PROVIDER, "IPN 9XY")
    assert IOrderPaidEvent.providedBy(paid) and paid.order is order


def test_cancel_fires_state_changed_only(order, events):
    shop.cancel_order(order, source=SOURCE_CUSTOMER)
    (changed,) = events
    assert (changed.new_state, changed.source) == ("canceled", SOURCE_CUSTOMER)


def test_refused_transition_fires_nothing(order, events):
    from getpaid.orders.exceptions import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        shop.deliver(order)
    assert events == []


def test_a_payment_problem_tells_the_shop_with_its_flag(order):
    from getpaid.orders.api.attention import PAID_TWICE
    from getpaid.orders.events import IOrderNeedsAttentionEvent

    seen = []
    gsm = getGlobalSiteManager()
    gsm.registerHandler(seen.append, (IOrderNeedsAttentionEvent,))
    try:
        flag = shop.raise_attention(
            order, "PayPal T2: paid twice", source=SOURCE_PROVIDER, kind=PAID_TWICE
        )
    finally:
        gsm.unregisterHandler(seen.append, (IOrderNeedsAttentionEvent,))
    (event,) = seen
    assert (event.order, event.reason, event.flag) == (
        order,
        "PayPal T2: paid twice",
        flag,
    )
