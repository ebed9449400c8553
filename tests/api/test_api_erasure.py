"""Erasing a customer's personal data (api/erasure.py): what goes, what
stays, where nothing finds it any more, and when it is refused."""

from datetime import date
from datetime import timedelta
from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.api import erasure
from getpaid.orders.api.access import access
from getpaid.orders.api.access import STAFF
from getpaid.orders.api.export import csv_lines
from getpaid.orders.api.links import STATUS
from getpaid.orders.api.listing import ListingQuery
from getpaid.orders.api.listing import search
from getpaid.orders.api.projection import order_data
from getpaid.orders.api.raw_messages import scrub_raw
from getpaid.orders.exceptions import ErasureRefused
from getpaid.orders.exceptions import OrderNotFound
from getpaid.orders.workflow import SOURCE_CUSTOMER
from getpaid.orders.workflow import SOURCE_MANAGER
from getpaid.orders.workflow import SOURCE_SYSTEM
from pathlib import Path
from plone import api
from plone.app.testing import TEST_USER_ID

import json
import pytest


IPN = (
    Path(__file__).parent.parent / "fixtures" / "ipn" / "completed_utf8.txt"
).read_bytes()
# A PayPal Checkout capture as Orders v2 answers it: the payer, the
# recipient's name and address, and the capture's id and amount.
CAPTURE = {
    "id": "5O190127TN364715T",
    "status": "COMPLETED",
    "payment_source": {
        "paypal": {
            "name": {"given_name": "Ada", "surname": "Lovelace"},
            "email_address": "ada.pays@example.org",
            "account_id": "QYR5Z8XDVJNXQ",
            "address": {"country_code": "GB"},
        }
    },
    "payer": {
        "name": {"given_name": "Ada", "surname": "Lovelace"},
        "email_address": "ada.pays@example.org",
        "payer_id": "QYR5Z8XDVJNXQ",
        "phone": {"phone_number": {"national_number": "2079460000"}},
        "address": {"country_code": "GB"},
    },
    "purchase_units": [
        {
            "reference_id": "default",
            "shipping": {
                "name": {"full_name": "Ada Lovelace"},
                "address": {
                    "address_line_1": "12 St James's Square",
                    "admin_area_2": "London",
                    "postal_code": "SW1Y 4JH",
                    "country_code": "GB",
                },
            },
            "payments": {
                "captures": [
                    {
                        "id": "3C679366HH908993F",
                        "status": "COMPLETED",
                        "amount": {"currency_code": "EUR", "value": "12.50"},
                    }
                ]
            },
        }
    ],
}
PERSONAL = (
    "Ada",
    "Lovelace",
    "ada@example.org",
    "ada.pays@example.org",
    "7946 0000",  # the phone (four digits alone may turn up in a digest)
    "James",
    "SW1Y",
    "London",
    "Babbage",
    "Grandma",
    "Analytical",
    "J%C3%B6rg",
    "M%C3%BCller",
    "jorg%40example.org",
    "Main+St",
    "Bruxelles",
    "LPLWNMTBWMFAY",
    "QYR5Z8XDVJNXQ",
)


@pytest.fixture
def order(make_product, customer):
    """A completed order, paid twice over (IPN and Checkout records), with
    everything that can hold the customer's data."""
    order = shop.place_order(
        [(make_product("mug", "12.50"), 1)], customer, comment="Gift for Babbage"
    )
    shop.update_order(
        order,
        {"shipping_street": "1 Analytical Way", "shipping_city": "London"},
        source=SOURCE_MANAGER,
        comment="Ada phoned: ship to Babbage",
    )
    shop.update_order(
        order,
        {"shipping_postal_code": "N1 1AA", "shipping_country": "GB"},
        source=SOURCE_MANAGER,
    )
    shop.create_link(order, STATUS, label="Grandma")
    shop.create_link(order)
    shop.add_note(order, "Ada Lovelace asked for gift wrap.", for_customer=False)
    shop.add_note(order, "Wrapped for Babbage.", for_customer=True)
    shop.record_payment(
        order,
        provider="paypal",
        txn_id="61E67681CH3238416",
        status="Completed",
        amount=Decimal("12.50"),
        currency="EUR",
        kind="payment",
        raw=IPN,
        charset="utf-8",
    )
    shop.record_payment(
        order,
        provider="paypal_checkout",
        txn_id="3C679366HH908993F",
        status="COMPLETED",
        amount=Decimal("0.00"),
        currency="EUR",
        raw=json.dumps(CAPTURE).encode("utf-8"),
        charset="utf-8",
    )
    shop.mark_paid(order)
    shop.deliver(order)
    shop.complete(order)
    return order


def trace(order) -> str:
    """Everything stored on the order and its records, as text."""
    stored = [repr(order.__dict__)]
    stored += [repr(payment.__dict__) for payment in order.payments()]
    return "\n".join(stored)


def test_personal_data_goes_and_the_books_stay(order):
    lines, history = order.lines, order.history
    payments = [(p.txn_id, p.amount, p.currency, p.status) for p in order.payments()]
    assert "Lovelace" in trace(order) and "7946 0000" in trace(order)
    erasure.anonymise(order, source=SOURCE_MANAGER, reason="The customer asked.")

    for name in erasure.ERASED_FIELDS:
        assert not getattr(order, name), name
    assert order.buyer_id is None
    assert (order.billing_country, order.shipping_country) == ("GB", "GB")
    assert [note.text for note in order.notes] == ["", ""]
    assert [link.label for link in order.secret_links] == ["", ""]
    assert not any(link.active for link in order.secret_links)
    # Kept: number, lines as bought, amounts, currency, payments, states.
    assert order.lines == lines and order.total == Decimal("12.50")
    assert order.currency == "EUR" and order.number
    assert [
        (p.txn_id, p.amount, p.currency, p.status) for p in order.payments()
    ] == payments
    assert api.content.get_state(order) == "completed"
    transitions = [(e.action, e.old, e.new) for e in history if e.action == "pay"]
    assert [(e.action, e.old, e.new) for e in order.history if e.action == "pay"] == (
        transitions
    )
    for word in PERSONAL:
        assert word not in trace(order), word


def test_the_history_says_when_and_why_and_keeps_transitions(order):
    erasure.anonymise(order, source=SOURCE_MANAGER, reason="The customer asked.")
    last = order.history[-1]
    assert (last.action, last.source, last.actor, last.comment) == (
        erasure.ANONYMISED,
        SOURCE_MANAGER,
        TEST_USER_ID,
        "The customer asked.",
    )
    assert last.when == order.anonymised
    steps = [(e.action, e.old, e.new) for e in order.history if e.old or e.new]
    assert ("complete", "delivered", "completed") in steps
    assert ("edit", "", "") not in steps
    edits = [e for e in order.history if e.action == "edit"]
    assert {e.field for e in edits} >= {"shipping_street", "shipping_country"}
    personal = [e for e in edits if e.field in erasure.ERASED_FIELDS]
    assert personal and all(not (e.old or e.new or e.comment) for e in personal)
    # The country is kept, and so is its change.
    assert [(e.old, e.new) for e in edits if e.field == "shipping_country"] == [
        ("", "GB")
    ]


def test_raw_ipn_and_checkout_messages_keep_ids_and_amounts(order):
    erasure.anonymise(order, source=SOURCE_SYSTEM, reason="Retention period.")
    ipn, capture = (p.raw for p in order.payments())
    fields = dict(pair.split(b"=", 1) for pair in ipn.split(b"&"))
    assert fields[b"first_name"] == fields[b"payer_email"] == b""
    assert fields[b"address_street"] == fields[b"payer_id"] == b""
    assert fields[b"txn_id"] == b"61E67681CH3238416"
    assert (fields[b"mc_gross"], fields[b"mc_currency"]) == (b"50.00", b"EUR")
    assert fields[b"address_country_code"] == b"BE"
    data = json.loads(capture)
    assert data["payer"]["name"] == {"given_name": "", "surname": ""}
    assert data["payer"]["phone"]["phone_number"]["national_number"] == ""
    unit = data["purchase_units"][0]
    assert unit["shipping"]["address"] == {
        "address_line_1": "",
        "admin_area_2": "",
        "postal_code": "",
        "country_code": "GB",
    }
    assert unit["payments"]["captures"][0]["id"] == "3C679366HH908993F"
    assert unit["payments"]["captures"][0]["amount"]["value"] == "12.50"


def test_scrub_keeps_a_message_without_personal_fields_as_it_was():
    body = b"txn_id=1&mc_gross=1.00&charset=windows-1252&item_name=Caf%E9"
    assert scrub_raw(body, "windows-1252") == body
    assert scrub_raw(b"first_name=Caf%E9&x=1", "windows-1252") == b"first_name=&x=1"
    assert scrub_raw(b"", "utf-8") == b""


def test_links_die_and_the_buyer_loses_the_order(make_product, customer):
    order = shop.place_order(
        [(make_product("mug", "12.50"), 1)], customer, buyer_id=TEST_USER_ID
    )
    owner = shop.create_link(order)
    share = shop.create_link(order, STATUS, label="Grandma")
    shop.cancel_order(order, source=SOURCE_CUSTOMER)
    assert shop.find_by_token(share)[0] == order
    erasure.anonymise(order, source=SOURCE_MANAGER, reason="")
    for token in (owner, share):
        with pytest.raises(OrderNotFound):
            shop.find_by_token(token)
    assert TEST_USER_ID not in dict(order.get_local_roles())
    catalog = api.portal.get_tool("portal_catalog")
    assert not catalog.unrestrictedSearchResults(buyer_id=TEST_USER_ID)
    assert [e.actor for e in order.history if e.source == SOURCE_CUSTOMER] == [
        "",
        "",
    ]


def test_catalog_listing_and_csv_find_nothing_by_the_old_data(order):
    catalog = api.portal.get_tool("portal_catalog")

    def found(text):
        return search(catalog, ListingQuery(text=text), batched=False)[1]

    assert found("ada@example.org") == found("lovelace") == 1
    erasure.anonymise(order, source=SOURCE_MANAGER, reason="")
    for text in ("ada@example.org", "lovelace", "ada", "london"):
        assert found(text) == 0, text
    assert found(order.number) == 1
    assert not catalog.unrestrictedSearchResults(customer_email="ada@example.org")
    (brain,) = catalog.unrestrictedSearchResults(portal_type="Order")
    columns = {
        name: getattr(brain, name)
        for name in (
            "first_name",
            "last_name",
            "customer_email",
            "customer_sortable",
            "comment_excerpt",
            "buyer_id",
        )
    }
    for name, value in columns.items():
        assert not value, (name, value)
    for word in PERSONAL:
        assert word not in repr(catalog.getIndexDataForRID(brain.getRID()))
        assert word not in repr(catalog.getMetadataForRID(brain.getRID()))
    text = "".join(csv_lines([(brain, order)]))
    assert order.number in text and "12.50" in text
    for word in PERSONAL:
        assert word not in text, word


def test_staff_still_read_the_order(order):
    erasure.anonymise(order, source=SOURCE_MANAGER, reason="")
    data = order_data(order, access(order, STAFF), base_url="http://nohost")
    assert data["customer"]["email"] == "" and data["total"] == "12.50"
    assert data["history"][-1]["action"] == erasure.ANONYMISED


def test_refused_while_unpaid_and_open(make_product, customer):
    order = shop.place_order([(make_product("mug", "12.50"), 1)], customer)
    with pytest.raises(ErasureRefused, match="unpaid and open"):
        erasure.anonymise(order, source=SOURCE_MANAGER, reason="")
    shop.fail_payment(order)
    with pytest.raises(ErasureRefused, match="unpaid and open"):
        erasure.anonymise(order, source=SOURCE_MANAGER, reason="")
    assert order.email == "ada@example.org" and order.anonymised is None


def test_refused_under_the_legal_hold_and_after_it_ends(order):
    record = "getpaid.orders.erasure_hold_until"
    api.portal.set_registry_record(record, date.today() + timedelta(days=2))
    with pytest.raises(ErasureRefused, match="legal hold"):
        erasure.anonymise(order, source=SOURCE_MANAGER, reason="")
    assert order.email == "ada@example.org"
    api.portal.set_registry_record(record, date.today() - timedelta(days=2))
    erasure.anonymise(order, source=SOURCE_MANAGER, reason="")
    assert order.email == ""


def test_refused_once_done_and_while_it_needs_a_person(order):
    shop.raise_attention(order, "Chargeback", source="payment provider", kind="x")
    with pytest.raises(ErasureRefused, match="needs a person"):
        erasure.anonymise(order, source=SOURCE_MANAGER, reason="")
    shop.clear_attention(order, source=SOURCE_MANAGER, action="attention cleared")
    erasure.anonymise(order, source=SOURCE_MANAGER, reason="")
    with pytest.raises(ErasureRefused, match="anonymised already"):
        erasure.anonymise(order, source=SOURCE_MANAGER, reason="")
    assert [e.action for e in order.history].count(erasure.ANONYMISED) == 1


def test_a_reason_that_wont_do_changes_nothing(order):
    from getpaid.orders.exceptions import InvalidValue

    with pytest.raises(InvalidValue):
        erasure.anonymise(order, source=SOURCE_MANAGER, reason="x" * 201)
    assert order.email == "ada@example.org" and order.anonymised is None


def test_no_new_link_mail_or_customer_note_after_erasure(order):
    from getpaid.orders.exceptions import OrderAnonymised

    api.portal.set_registry_record("plone.email_from_address", "shop@example.org")
    erasure.anonymise(order, source=SOURCE_MANAGER, reason="The customer asked.")
    links = order.secret_links
    for attempt in (
        lambda: shop.create_link(order),
        lambda: shop.create_link(order, STATUS, label="Grandma"),
        lambda: shop.reissue_links(order),
        lambda: shop.resend_order_mail(order),
        lambda: shop.add_note(order, "Ships Monday", for_customer=True),
    ):
        with pytest.raises(OrderAnonymised):
            attempt()
    assert order.secret_links == links
    # Staff may still keep notes of their own on it.
    shop.add_note(order, "Asked for erasure by phone.", for_customer=False)
    assert order.notes[-1].text == "Asked for erasure by phone."
