"""Checkout keys: one order per key, told only to whoever used it, for a day."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from getpaid.orders import api as shop
from getpaid.orders.api.checkout import find_placed
from getpaid.orders.api.checkout_keys import checkout_keys
from getpaid.orders.api.checkout_keys import KEY_LIFETIME
from getpaid.orders.api.checkout_keys import new_browser_secret
from getpaid.orders.api.checkout_keys import prune_keys
from getpaid.orders.exceptions import KeyInUse
from plone import api

import hashlib
import pytest
import time_machine


KEY = "a-checkout-key-of-32-characters!"
SECRET = new_browser_secret()


@pytest.fixture
def mug(make_product):
    return make_product("mug", "12.50")


def form_checkout(mug, customer, secret=SECRET, quantity=1):
    return shop.checkout([(mug, quantity)], customer, key=KEY, browser_secret=secret)


def test_a_form_sent_again_from_its_browser_opens_the_same_link(mug, customer):
    first = form_checkout(mug, customer)
    again = form_checkout(mug, customer)
    assert (again.order.aq_base, again.created) == (first.order.aq_base, False)
    assert again.owner_token == first.owner_token
    assert find_placed(KEY, SECRET).owner_token == first.owner_token
    assert len(first.order.secret_links) == 1  # no link more


def test_a_form_key_from_another_browser_is_refused(mug, customer):
    form_checkout(mug, customer)
    with pytest.raises(KeyInUse) as refused:
        form_checkout(mug, customer, secret=new_browser_secret())
    assert str(refused.value).startswith("This order form has been used already.")
    with pytest.raises(KeyInUse):
        find_placed(KEY, new_browser_secret())


def test_a_key_record_keeps_no_secret(portal, mug, customer):
    placed = form_checkout(mug, customer)
    (record,) = checkout_keys(portal["orders"]).values()
    stored = repr(record)
    for secret in (KEY, SECRET, placed.owner_token, customer.email):
        assert secret not in stored
    assert record.number == placed.order.number


def test_a_replaced_link_is_not_handed_out_again(mug, customer):
    placed = form_checkout(mug, customer)
    api.portal.set_registry_record("plone.email_from_address", "shop@example.org")
    shop.reissue_links(placed.order)
    again = find_placed(KEY, SECRET)
    assert (again.order.aq_base, again.owner_token) == (placed.order.aq_base, "")


def test_form_and_rest_keys_never_meet(mug, customer):
    form = form_checkout(mug, customer)
    rest = shop.checkout([(mug, 1)], customer, key=KEY)
    assert rest.created and rest.order.number != form.order.number
    assert find_placed(KEY, SECRET).order.number == form.order.number


def test_a_rest_replay_gets_the_order_and_no_link(mug, customer):
    first = shop.checkout([(mug, 1)], customer, key=KEY)
    again = shop.checkout([(mug, 1)], customer, key=KEY)
    assert (again.order.aq_base, again.owner_token) == (first.order.aq_base, "")
    assert len(first.order.secret_links) == 1
    with pytest.raises(KeyInUse):
        shop.checkout([(mug, 1)], customer, key=KEY, comment="Another")


def test_keys_expire_after_a_day(mug, customer):
    rest = shop.checkout([(mug, 1)], customer, key=KEY)
    form = form_checkout(mug, customer)
    later = datetime.now(UTC) + KEY_LIFETIME
    with time_machine.travel(later - timedelta(seconds=1), tick=False):
        assert shop.checkout([(mug, 1)], customer, key=KEY).order == rest.order
        assert find_placed(KEY, SECRET).order == form.order
    with time_machine.travel(later, tick=False):
        assert find_placed(KEY, SECRET) is None
        again = shop.checkout([(mug, 1)], customer, key=KEY)
    assert again.created and again.order.number != rest.order.number


def legacy_record(portal, order, email, quantity=1):
    """A record as stored before namespaces: under the bare key's digest."""
    fingerprint = hashlib.sha256(
        f"{email}\n{order.lines[0].product_uid}:{quantity}".encode()
    ).hexdigest()
    keys = checkout_keys(portal["orders"])
    keys[hashlib.sha256(KEY.encode()).hexdigest()] = (order.number, fingerprint)


def test_records_stored_before_namespaces_still_place_once(portal, mug, customer):
    order = shop.place_order([(mug, 1)], customer)
    legacy_record(portal, order, customer.email)
    again = shop.checkout([(mug, 1)], customer, key=KEY)
    assert (again.order.aq_base, again.owner_token) == (order.aq_base, "")
    with pytest.raises(KeyInUse):
        shop.checkout([(mug, 2)], customer, key=KEY)
    with pytest.raises(KeyInUse):  # they know no browser
        form_checkout(mug, customer)
    with time_machine.travel(datetime.now(UTC) + KEY_LIFETIME, tick=False):
        assert shop.checkout([(mug, 1)], customer, key=KEY).created


def test_pruning_deletes_expired_records_only(portal, mug, customer):
    old = shop.checkout([(mug, 1)], customer, key=KEY)
    legacy_record(portal, old.order, customer.email)
    keys = checkout_keys(portal["orders"])
    assert len(keys) == 2
    later = datetime.now(UTC) + KEY_LIFETIME
    with time_machine.travel(later, tick=False):
        shop.checkout([(mug, 1)], customer, key="a-key-used-a-day-later")
        assert len(keys) == 3
        assert prune_keys(portal["orders"], most=1) == 1
        assert prune_keys(portal["orders"]) == 1
        assert prune_keys(portal["orders"]) == 0
    assert len(keys) == 1
