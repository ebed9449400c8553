"""Secret links: unguessable, stored hashed, revocable, one order only."""

from getpaid.orders import api as shop
from getpaid.orders.api.links import digest
from getpaid.orders.api.links import MAX_OWNER_LINKS
from getpaid.orders.api.links import MAX_SHARE_LINKS
from getpaid.orders.api.links import OWNER
from getpaid.orders.api.links import STATUS
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import OrderNotFound
from getpaid.orders.exceptions import TooManyLinks
from plone import api

import pytest


@pytest.fixture
def order(make_product, customer):
    return shop.place_order([(make_product("mug", "12.50"), 1)], customer)


def test_token_is_long_and_only_its_digest_is_kept(portal, order):
    token = shop.create_link(order)
    assert len(token) == 43  # 256 random bits, URL-safe base64
    (link,) = order.secret_links
    assert link.kind == OWNER and link.digest == digest(token)
    assert token not in repr(vars(order))
    columns = portal.portal_catalog._catalog.schema
    assert "secret_link_digests" not in columns


def test_token_finds_its_order_only(make_product, customer, order):
    other = shop.place_order([(make_product("tee", "5.00"), 1)], customer)
    token = shop.create_link(order)
    shop.create_link(other)
    found, link = shop.find_by_token(token)
    assert found.aq_base is order.aq_base and link.kind == OWNER


def test_tokens_differ(order):
    assert len({shop.create_link(order) for _ in range(20)}) == 20


@pytest.mark.parametrize(
    "token",
    ["", "x" * 43, "short", "../../etc/passwd" + "a" * 27, None, "é" * 43],
    ids=repr,
)
def test_wrong_or_malformed_token(order, token):
    shop.create_link(order)
    with pytest.raises(OrderNotFound):
        shop.find_by_token(token)


def test_revoked_link_opens_nothing(order):
    token = shop.create_link(order)
    kept = shop.create_link(order, STATUS)
    assert shop.revoke_links(order, OWNER) == 1
    with pytest.raises(OrderNotFound):
        shop.find_by_token(token)
    assert shop.find_by_token(kept)[0].aq_base is order.aq_base


def test_status_link_is_not_an_owner_link(order):
    status = shop.create_link(order, STATUS)
    owner = shop.create_link(order, OWNER)
    with pytest.raises(OrderNotFound):
        shop.find_by_token(status, kind=OWNER)
    assert shop.find_by_token(owner, kind=STATUS)[1].kind == OWNER


def test_unknown_kind_refused(order):
    with pytest.raises(ValueError, match="kind"):
        shop.create_link(order, "admin")


def test_links_expire_when_the_shop_says_so(order):
    from datetime import datetime
    from datetime import timedelta
    from datetime import UTC
    from plone import api

    import time_machine

    token = shop.create_link(order)
    later = datetime.now(UTC) + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        assert shop.find_by_token(token)  # no expiry by default
        api.portal.set_registry_record("getpaid.orders.secret_link_days", 1)
        with pytest.raises(OrderNotFound):
            shop.find_by_token(token)
    assert shop.find_by_token(token)  # a day old at most: still good


def test_reissue_revokes_everything_and_makes_an_owner_link(order):
    api.portal.set_registry_record("plone.email_from_address", "shop@example.org")
    owner = shop.create_link(order)
    share = shop.create_link(order, STATUS)
    new = shop.reissue_links(order)
    for old in (owner, share):
        with pytest.raises(OrderNotFound):
            shop.find_by_token(old)
    assert shop.find_by_token(new, kind=OWNER)[0].aq_base is order.aq_base


def test_a_link_says_who_it_is_for_and_keeps_it_when_revoked(order):
    shop.create_link(order, STATUS, label="  Grandma \t Lovelace ")
    assert order.secret_links[-1].label == "Grandma Lovelace"  # spaces tidied
    shop.revoke_links(order, STATUS)
    assert order.secret_links[-1].label == "Grandma Lovelace"
    assert not order.secret_links[-1].active


@pytest.mark.parametrize(
    "label",
    [
        "x" * 101,
        "Grandma\x00",
        "Gran\x1bdma",
        "\u202eamdnarG",  # reads "Grandma" backwards
        "Gran\u200bdma",  # a zero-width space
        ["a", "b"],  # the field given twice
    ],
)
def test_a_label_that_wont_do_makes_no_link(order, label):
    before = order.secret_links
    with pytest.raises(InvalidValue):
        shop.create_link(order, STATUS, label=label)
    assert order.secret_links == before


def test_a_label_may_join_letters_as_persian_and_indic_names_do(order):
    label = "\u0645\u0647\u200c\u0646\u0627\u0632 \u0915\u094d\u200d\u0937"  # ZWNJ, ZWJ
    shop.create_link(order, STATUS, label=label)
    assert order.secret_links[-1].label == label


def test_links_stored_before_labels_read_as_unlabelled(order):
    shop.create_link(order, STATUS)
    link = order.secret_links[-1]
    del link.__dict__["label"]  # as unpickled from before the field existed
    assert link.label == ""
    shop.revoke_links(order)
    assert order.secret_links[-1].label == ""


def test_share_links_stop_at_the_limit_until_one_is_revoked(order):
    for _ in range(MAX_SHARE_LINKS):
        shop.create_link(order, STATUS)
    before = order.secret_links
    with pytest.raises(TooManyLinks) as refused:
        shop.create_link(order, STATUS)
    assert f"at most {MAX_SHARE_LINKS} share links" in str(refused.value)
    assert order.secret_links == before
    assert shop.revoke_share_link(order, 0)
    assert shop.find_by_token(shop.create_link(order, STATUS))


def test_owner_links_beyond_the_limit_retire_the_oldest(order):
    tokens = [shop.create_link(order, OWNER) for _ in range(MAX_OWNER_LINKS + 2)]
    share = shop.create_link(order, STATUS)  # not an owner link: none retires
    for retired in tokens[:2]:
        with pytest.raises(OrderNotFound):
            shop.find_by_token(retired)
    for kept in [*tokens[2:], share]:
        assert shop.find_by_token(kept)
    active = [link for link in order.secret_links if link.active]
    assert len(active) == MAX_OWNER_LINKS + 1
