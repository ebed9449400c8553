"""Fuzzing ``@@paypal-ipn`` over real HTTP, verified by the PayPal simulator.

Whatever arrives (any bytes, charsets real and bogus, odd field names, huge
bodies), the listener never answers 500; an order moves only when the
simulator vouches for the exact message (VERIFIED) and the message matches
the order; and what it records is shown escaped.
"""

from decimal import Decimal
from getpaid.orders import api as shop
from hypothesis import example
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from urllib.parse import quote_from_bytes

import pytest
import requests
import transaction


MARKUP = "<img src=x onerror=alert(1)>"
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
CHARSETS = st.sampled_from(
    [
        "UTF-8",
        "windows-1252",
        "ISO-8859-1",
        "utf-16",
        "shift_jis",
        "big5",
        "rot13",
        "base64",
        "zlib",
        "idna",
        "punycode",
        "no-such-charset",
        "",
    ]
)
FIELD_NAMES = st.sampled_from(
    [
        "mc_gross",
        "mc_currency",
        "payment_status",
        "txn_id",
        "invoice",
        "custom",
        "receiver_email",
        "business",
        "txn_type",
        "charset",
        "test_ipn",
        "parent_txn_id",
        "pending_reason",
        "item_name1",
        "item_name:list",
        "",
    ]
)
TEXT = st.text(max_size=60) | st.just(MARKUP) | st.sampled_from(["", "0", "-1", "1e9"])


def encode(fields: list[tuple[str, str]], charset: str) -> bytes:
    """Form-encode in ``charset``; characters it lacks become '?'."""

    def codec(text: str) -> bytes:
        try:
            return text.encode(charset or "utf-8", "replace")
        except (LookupError, UnicodeError, TypeError):
            return text.encode("utf-8")

    return b"&".join(
        quote_from_bytes(codec(name)).encode()
        + b"="
        + quote_from_bytes(codec(value)).encode()
        for name, value in fields
    )


@pytest.fixture
def place_order(shop_site, customer):
    """A new unpaid order of 25.00 EUR on each call, committed."""

    def place():
        order = shop.checkout([(shop_site["mug"], 2)], customer).order
        transaction.commit()
        return order

    return place


def post(site, body: bytes, content_type="application/x-www-form-urlencoded"):
    return requests.post(
        f"{site.absolute_url()}/@@paypal-ipn",
        data=body,
        headers={"Content-Type": content_type},
        timeout=30,
    )


def genuine_fields(order, **changes) -> list[tuple[str, str]]:
    fields = {
        "mc_gross": str(order.total),
        "mc_currency": order.currency,
        "invoice": order.number,
        "custom": order.UID(),
        "payment_status": "Completed",
        "receiver_email": "shop@example.org",
        "business": "shop@example.org",
        "txn_id": "FUZZ0001",
        "txn_type": "cart",
        "charset": "UTF-8",
    }
    fields.update(changes)
    return list(fields.items())


def state_and_payments(order) -> tuple:
    transaction.begin()
    return api.content.get_state(order), len(order.payments())


@FUZZ
@given(
    body=st.binary(max_size=2000)
    | st.integers(60_000, 70_000).map(lambda size: b"mc_gross=" + b"9" * size)
    | st.builds(
        encode,
        st.lists(
            st.tuples(FIELD_NAMES | st.text(max_size=20), TEXT)
            | st.tuples(st.just("charset"), CHARSETS),
            max_size=30,
        ),
        CHARSETS,
    ),
    names_the_order=st.booleans(),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=windows-1252",
            "text/plain",
            "multipart/form-data; boundary=x",
            "",
        ]
    ),
)
def test_unverified_bodies_never_fail_and_never_move_an_order(
    shop_site, simulator, place_order, body, names_the_order, content_type
):
    site, order = shop_site, place_order()
    if names_the_order:  # all a payment needs, but PayPal never sent it
        body = encode(genuine_fields(order), "UTF-8") + b"&" + body
    before = state_and_payments(order)

    answer = post(site, body, content_type)

    assert answer.status_code in (200, 400), answer.text[:500]
    assert state_and_payments(order) == before


@FUZZ
@given(
    changes=st.fixed_dictionaries(
        {},
        optional={
            "mc_gross": st.sampled_from(["25.00", "25", "25.001", "-25.00", "NaN"])
            | TEXT,
            "mc_currency": st.sampled_from(["EUR", "USD", "eur", "XXX"]) | TEXT,
            "payment_status": st.sampled_from(
                ["Completed", "Pending", "Failed", "Denied", "Refunded", "Reversed"]
            )
            | TEXT,
            "receiver_email": st.sampled_from(["SHOP@example.org", "x@y.z"]) | TEXT,
            "txn_id": TEXT,
            "txn_type": st.sampled_from(["cart", "web_accept", ""]) | TEXT,
            "pending_reason": TEXT,
            "charset": CHARSETS,
        },
    )
)
@example(changes={"mc_currency": "0"})  # found by this test: was a 500
@example(changes={"charset": "rot13"})  # a codec, but no character set: was a 500
def test_verified_messages_never_fail_and_move_only_a_matching_order(
    shop_site, simulator, place_order, changes
):
    site, order = shop_site, place_order()
    fields = genuine_fields(order, **changes)
    body = encode(fields, dict(fields)["charset"])
    simulator.issued.add(body)  # PayPal vouches for this exact message
    before = state_and_payments(order)

    answer = post(site, body)

    assert answer.status_code in (200, 400), answer.text[:500]
    state, payments = state_and_payments(order)
    if state == "paid" and before[0] != "paid":  # only a message that matches
        sent = dict(fields)
        assert Decimal(sent["mc_gross"]) == order.total
        assert sent["mc_currency"] == order.currency
        assert sent["payment_status"] == "Completed"
    if payments > before[1]:  # what was recorded is shown escaped
        for url in (order.absolute_url(), order.payments()[-1].absolute_url()):
            page = requests.get(
                url, auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD), timeout=30
            )
            assert page.status_code == 200
            assert MARKUP not in page.text
