"""Owner links handed out by mail: each verb makes the link and fires the
event a subscriber mails; without a sender address each refuses, changing
nothing. And checkout's placed event carries the first owner link."""

from getpaid.orders import api as shop
from getpaid.orders.api.links import OWNER
from getpaid.orders.api.owner_links import LOOKUP
from getpaid.orders.api.owner_links import PAYMENT_LINK
from getpaid.orders.api.owner_links import REISSUE
from getpaid.orders.api.owner_links import RESEND
from getpaid.orders.events import IOrderPlacedEvent
from getpaid.orders.events import IOwnerLinkIssuedEvent
from getpaid.orders.exceptions import MailUnavailable
from getpaid.orders.exceptions import NotAwaitingPayment
from getpaid.orders.exceptions import OrderNotFound
from plone import api
from zope.component import getGlobalSiteManager

import pytest


@pytest.fixture
def events():
    seen = []
    gsm = getGlobalSiteManager()
    for interface in (IOrderPlacedEvent, IOwnerLinkIssuedEvent):
        gsm.registerHandler(seen.append, (interface,))
    yield seen
    for interface in (IOrderPlacedEvent, IOwnerLinkIssuedEvent):
        gsm.unregisterHandler(seen.append, (interface,))


@pytest.fixture
def sender(portal):
    api.portal.set_registry_record("plone.email_from_address", "shop@example.org")


@pytest.fixture
def order(make_product, customer):
    return shop.place_order([(make_product("mug", "12.50"), 1)], customer)


def opens(order, token) -> bool:
    return shop.find_by_token(token, kind=OWNER)[0].aq_base is order.aq_base


def test_checkout_fires_one_placed_event_with_the_owner_link(
    make_product, customer, events
):
    placed = shop.checkout([(make_product("mug", "12.50"), 1)], customer)
    (event,) = events
    assert IOrderPlacedEvent.providedBy(event) and event.order is placed.order
    assert event.owner_token == placed.owner_token
    assert opens(placed.order, event.owner_token)
    assert placed.owner_token not in repr(vars(placed.order))  # a digest only


def test_a_scripts_order_is_placed_without_a_link(make_product, customer, events):
    order = shop.place_order([(make_product("mug", "12.50"), 1)], customer)
    (event,) = events
    assert (event.order, event.owner_token) == (order, "")


@pytest.mark.parametrize(
    "verb, reason",
    [
        (shop.resend_order_mail, RESEND),
        (shop.send_payment_link, PAYMENT_LINK),
        (shop.reissue_links, REISSUE),
    ],
    ids=["resend", "payment link", "reissue"],
)
def test_each_verb_makes_a_link_and_fires_its_event(
    order, sender, events, verb, reason
):
    token = verb(order)
    (event,) = events
    assert IOwnerLinkIssuedEvent.providedBy(event)
    assert (event.order, event.owner_token, event.reason) == (order, token, reason)
    assert opens(order, token)


def test_reissue_revokes_every_link_and_says_so_in_the_history(order, sender):
    old = shop.create_link(order)
    new = shop.reissue_links(order)
    with pytest.raises(OrderNotFound):
        shop.find_by_token(old)
    assert opens(order, new)
    entry = order.history[-1]
    assert (entry.source, entry.action) == ("manager", "links reissued")


@pytest.mark.parametrize(
    "verb",
    [shop.resend_order_mail, shop.send_payment_link, shop.reissue_links],
    ids=["resend", "payment link", "reissue"],
)
def test_without_a_sender_address_nothing_changes(order, events, verb):
    kept = shop.create_link(order)
    links, history = order.secret_links, order.history
    with pytest.raises(MailUnavailable) as refused:
        verb(order)
    assert "No e-mail was sent" in str(refused.value)
    assert (order.secret_links, order.history, events) == (links, history, [])
    assert opens(order, kept)


def test_a_paid_order_takes_no_payment_link(order, sender, events):
    shop.mark_paid(order)
    links = order.secret_links
    with pytest.raises(NotAwaitingPayment):
        shop.send_payment_link(order)
    assert (order.secret_links, events) == (links, [])


def test_no_payment_link_while_a_payment_is_on_its_way(order, sender, events):
    """As the order page, which offers no Pay button then (api/access.py)."""
    order.payment_pending = "echeck"
    with pytest.raises(NotAwaitingPayment):
        shop.send_payment_link(order)
    assert events == []


def test_a_lost_link_goes_to_the_orders_own_address(order, sender, events):
    shop.mail_lost_link(order.number.lower(), " ADA@example.org ")
    (event,) = events
    assert (event.order, event.reason) == (order, LOOKUP)
    assert opens(order, event.owner_token)


@pytest.mark.parametrize(
    "number, email",
    [("261101-ZZZZZ", "ada@example.org"), (None, "grace@example.org"), (None, "")],
    ids=["unknown number", "other e-mail", "no e-mail"],
)
def test_a_lookup_that_doesnt_match_does_nothing(order, sender, events, number, email):
    links = order.secret_links
    assert shop.mail_lost_link(number or order.number, email) is None
    assert (order.secret_links, events) == (links, [])


def test_a_lookup_without_a_sender_is_refused_whatever_the_order(order, events):
    for number in (order.number, "261101-ZZZZZ"):
        with pytest.raises(MailUnavailable):
            shop.mail_lost_link(number, "ada@example.org")
    assert (len(order.secret_links), events) == (0, [])
