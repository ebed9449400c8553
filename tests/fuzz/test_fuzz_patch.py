"""Fuzzing staff's ``PATCH`` of an order over real HTTP.

Any JSON (or none), any types, any characters: the answer is a change (204)
or a clear refusal (400), never a 500; a refusal changes nothing, and what a
change stores is text every page, mail and CSV can carry.
"""

from getpaid.orders import api as shop
from getpaid.orders.api.characters import refused_character
from hypothesis import event
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import json
import pytest
import requests
import transaction


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=30)
VALUES = (
    ANY_TEXT
    | st.sampled_from(["ada@example.org", "x", "GB", "XX", "2026-12-24T10:00"])
    | st.none()
    | st.booleans()
    | st.integers()
    | st.lists(st.integers() | ANY_TEXT, max_size=3)
    | st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
)
FIELDS = st.sampled_from(
    [
        "first_name",
        "last_name",
        "email",
        "phone",
        "billing_street",
        "billing_country",
        "shipping_city",
        "comment",
        "message",
        "start",
        "end",
        "number",
    ]
)
LINES = st.lists(
    st.fixed_dictionaries({"product": VALUES, "quantity": VALUES}) | VALUES,
    max_size=3,
)
TEXT_FIELDS = ("first_name", "last_name", "email", "phone", "comment", "message")


def bodies():
    changes = st.dictionaries(FIELDS, VALUES, max_size=3)
    with_lines = st.builds(lambda c, lines: {**c, "lines": lines}, changes, LINES)
    as_json = (changes | with_lines | VALUES).map(lambda body: json.dumps(body))
    deep = st.integers(900, 100_000).map(lambda n: "[" * n + "]" * n)
    return (as_json | deep | st.text(max_size=50)).map(
        lambda text: text.encode("utf-8", "surrogatepass")
    )


def state(order) -> dict:
    transaction.begin()
    return {
        "total": order.total,
        "history": len(order.history),
        **{name: getattr(order, name) for name in TEXT_FIELDS},
    }


@pytest.fixture
def order(shop_site, customer):
    order = shop.place_order([(shop_site["mug"], 1)], customer)
    transaction.commit()
    return order


@FUZZ
@given(data=st.data())
def test_any_patch_is_a_change_or_a_clear_refusal(order, data):
    body = data.draw(bodies())
    before = state(order)

    answer = requests.patch(
        order.absolute_url(),
        data=body,
        auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
        headers={"Accept": "application/json", "Content-Type": "application/json"},
        timeout=30,
    )

    assert answer.status_code in (204, 400), answer.text[:1000]
    event(f"HTTP {answer.status_code}")
    after = state(order)
    if answer.status_code == 400:
        assert "Traceback" not in answer.text
        assert after == before
    for name in TEXT_FIELDS:
        value = after[name]
        multiline = name in ("comment", "message")
        assert value is None or refused_character(value, multiline=multiline) is None
