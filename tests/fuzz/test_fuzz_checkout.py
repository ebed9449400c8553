"""Fuzzing ``POST @checkout`` over real HTTP.

Any JSON (or none), any types, any text: the answer is an order (201) or a
clear refusal (400), never a 500 and never an order made of bad input; and
whatever an order stores is shown escaped on every page and in the mail.
"""

from hypothesis import event
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import json
import requests


MARKUP = "<img src=x onerror=alert(1)>"
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
JUNK = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.lists(st.integers(), max_size=3)
    | st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
)
TEXT = (
    st.text(max_size=80)
    | st.just(MARKUP)
    | st.builds(
        lambda a, b: f"{a}{MARKUP}{b}", st.text(max_size=10), st.text(max_size=10)
    )
    | st.sampled_from(["", " ", "\x00", "\u202eevil", "Zoë Ünïcødé", "a" * 6000])
    # Any character at all: lone surrogates (bytes that weren't UTF-8),
    # format characters (bidi overrides, joiners), private use.
    | st.text(st.characters(exclude_categories=()), max_size=20)
    | st.sampled_from(["A\ud800", "\udcff\udcfe", "Ada\u2066", "\u0645\u200c\u0646"])
)


def text_or_junk(usually=TEXT):
    return usually | JUNK


def address():
    return st.fixed_dictionaries(
        {
            "street": text_or_junk(st.just("1 Main Street") | TEXT),
            "postal_code": text_or_junk(st.just("12345") | TEXT),
            "city": text_or_junk(st.just("Springfield") | TEXT),
            "country": text_or_junk(st.sampled_from(["GB", "DE", "gb", "XX", ""])),
        },
        optional={"region": text_or_junk()},
    )


def order_body(uids):
    line = st.fixed_dictionaries(
        {
            "product": st.sampled_from(uids) | text_or_junk(),
            "quantity": st.integers(-3, 10**12) | JUNK | TEXT,
        }
    )
    customer = st.fixed_dictionaries(
        {
            "first_name": text_or_junk(st.just("Ada") | TEXT),
            "last_name": text_or_junk(st.just("Lovelace") | TEXT),
            "email": text_or_junk(st.emails() | st.just("ada@example.org")),
            "billing_address": address() | JUNK,
        },
        optional={
            "phone": text_or_junk(),
            "shipping_address": address() | JUNK,
            "comment": text_or_junk(),
        },
    )
    return st.fixed_dictionaries(
        {
            "lines": st.lists(line, max_size=4) | JUNK,
            "customer": customer | JUNK,
            "accept_terms": st.just(True) | JUNK,
        }
    )


def body_strategy(uids):
    as_json = order_body(uids).map(lambda body: json.dumps(body).encode())
    deep = st.integers(900, 100_000).map(lambda n: b"[" * n + b"]" * n)
    return (
        as_json
        | st.binary(max_size=300)
        | st.just(b"{")
        | st.just(b"[]")
        | deep  # nested deeper than Python reads JSON
    )


def hostile_order(uids):
    """A well-formed order whose every text is hostile."""
    hostile = TEXT.filter(str.strip) | st.just(MARKUP)
    return st.fixed_dictionaries(
        {
            "lines": st.lists(
                st.fixed_dictionaries(
                    {"product": st.sampled_from(uids), "quantity": st.integers(1, 5)}
                ),
                min_size=1,
                max_size=2,
                unique_by=lambda line: line["product"],
            ),
            "customer": st.fixed_dictionaries(
                {
                    "first_name": hostile,
                    "last_name": hostile,
                    "email": st.emails(),
                    "phone": hostile,
                    "comment": hostile,
                    "billing_address": st.fixed_dictionaries(
                        {
                            "street": hostile,
                            "postal_code": hostile,
                            "city": hostile,
                            "country": st.just("GB"),
                            "region": hostile,
                        }
                    ),
                }
            ),
            "accept_terms": st.just(True),
        }
    ).map(lambda body: json.dumps(body).encode())


def place(site, body: bytes):
    return requests.post(
        f"{site.absolute_url()}/@checkout",
        data=body,
        headers={"Accept": "application/json", "Content-Type": "application/json"},
        timeout=30,
    )


@FUZZ
@given(data=st.data())
def test_any_checkout_body_gets_an_order_or_a_clear_refusal(shop_site, inbox, data):
    uids = [shop_site["mug"].UID(), shop_site["tee"].UID()]
    body = data.draw(body_strategy(uids))
    mails = len(inbox.received)

    answer = place(shop_site, body)

    assert answer.status_code in (201, 400), answer.text[:1000]
    event(f"HTTP {answer.status_code}")  # --hypothesis-show-statistics
    if answer.status_code == 400:
        assert answer.json()["error"]["message"]
        assert "Traceback" not in answer.text
        assert len(inbox.received) == mails  # nothing placed, nothing sent


@FUZZ
@given(data=st.data())
def test_hostile_text_in_an_order_is_shown_escaped(shop_site, inbox, data):
    uids = [shop_site["mug"].UID(), shop_site["tee"].UID()]
    mails = len(inbox.received)

    answer = place(shop_site, data.draw(hostile_order(uids)))

    assert answer.status_code in (201, 400), answer.text[:1000]
    event(f"HTTP {answer.status_code}")
    if answer.status_code == 400:  # e.g. text too long for its field
        return
    placed = answer.json()
    admin = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    pages = [
        requests.get(placed["owner_link"], timeout=30),
        requests.get(placed["@id"], auth=admin, timeout=30),
        requests.get(f"{shop_site.absolute_url()}/orders", auth=admin, timeout=30),
    ]
    for page in pages:
        assert page.status_code == 200
        assert MARKUP not in page.text
    for _sender, _recipients, message in inbox.wait_for(mails + 1)[mails:]:
        assert MARKUP not in message.get_body(("html",)).get_content()
