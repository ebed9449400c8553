"""The confirmation leaves only with a committed order: not on abort, and
once when Zope retries the transaction after a conflict."""

from getpaid.orders import api as shop
from ZODB.POSException import ConflictError

import pytest
import transaction


@pytest.fixture
def checkout(shop_site, customer):
    def place():
        return shop.checkout([(shop_site["mug"], 1)], customer)

    return place


def test_no_mail_when_aborted(checkout, inbox):
    checkout()
    transaction.abort()
    assert inbox.wait_for(1, timeout=1) == []


def test_one_mail_per_order_across_a_retry(shop_site, checkout, inbox):
    attempts = []
    for attempt in transaction.manager.attempts(3):
        with attempt:
            placed = checkout()
            attempts.append(placed.order.number)
            if len(attempts) == 1:
                raise ConflictError("as if another thread had won")
    assert len(attempts) == 2
    received = inbox.wait_for(3, timeout=2)
    subjects = sorted(message["Subject"] for _, _, message in received)
    assert len(received) == 2  # the customer's and the shop's copy
    assert all(attempts[1] in subject for subject in subjects)
    transaction.begin()
    assert list(shop_site["orders"].objectIds()) == [attempts[1]]


def test_the_shop_copy_of_the_confirmation_can_be_turned_off(checkout, inbox):
    from plone import api

    api.portal.set_registry_record("getpaid.orders.notify_shop", False)
    checkout()
    transaction.commit()
    received = inbox.wait_for(2, timeout=2)
    assert [recipients for _, recipients, _ in received] == [["ada@example.org"]]


def test_mail_server_down_keeps_the_order(shop_site, checkout, inbox, caplog):
    from plone import api

    api.portal.set_registry_record("plone.smtp_port", 1)  # nothing listens
    number = checkout().order.number
    transaction.commit()
    transaction.begin()
    assert number in shop_site["orders"]
    assert "Could not send the confirmation of order" in caplog.text


def test_a_shop_notice_that_fails_costs_neither_order_nor_confirmation(
    shop_site, checkout, inbox, caplog, monkeypatch
):
    from getpaid.orders.browser.mails import NewOrderMail

    def broken(view):
        raise ValueError("as if a header were refused")

    monkeypatch.setattr(NewOrderMail, "__call__", broken)
    number = checkout().order.number
    transaction.commit()
    received = inbox.wait_for(2, timeout=2)
    assert [recipients for _, recipients, _ in received] == [["ada@example.org"]]
    assert "Could not write the shop's mail about" in caplog.text
    transaction.begin()
    assert number in shop_site["orders"]


def test_the_placed_event_with_a_link_mails_the_confirmation(
    shop_site, customer, inbox
):
    """The confirmation hangs on the event, whoever fires it."""
    from getpaid.orders.api.links import create_link
    from getpaid.orders.events import OrderPlacedEvent
    from zope.event import notify

    order = shop.place_order([(shop_site["mug"], 1)], customer)  # no link: no mail
    transaction.commit()
    assert inbox.wait_for(1, timeout=1) == []
    token = create_link(order)
    notify(OrderPlacedEvent(order, token))
    transaction.commit()
    received = {r[0]: m for _, r, m in inbox.wait_for(2)}
    assert sorted(received) == ["ada@example.org", "orders@example.org"]
    text = received["ada@example.org"].get_body(("plain",)).get_content()
    assert f"@@order-status/{token}" in text
    assert order.number in received["orders@example.org"]["Subject"]
