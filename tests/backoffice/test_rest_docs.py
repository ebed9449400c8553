"""The request/response examples in docs/rest/, made by running them.

The examples are compared with what the API answers today, so the docs
can't drift. After a deliberate change, regenerate them:

    GETPAID_WRITE_DOCS=1 .venv/bin/pytest tests/backoffice/test_rest_docs.py
"""

from getpaid.orders import api as shop
from pathlib import Path
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import json
import os
import re
import requests
import transaction


DOCS = Path(__file__).parents[2] / "docs" / "rest"
WRITE = os.environ.get("GETPAID_WRITE_DOCS") == "1"
STAFF = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)

# What changes from run to run, replaced by fixed stand-ins.
NORMALIZE = [
    (re.compile(r"http://localhost:\d+/plone"), "https://shop.example.org"),
    (re.compile(r"\b\d{6}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}\b"), "261122-7KQ2M"),
    (re.compile(r"(@@?order-status/)[\w-]{43}"), r"\1<token>"),
    (re.compile(r"\b[0-9a-f]{32}\b"), "<UID>"),
    (
        re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?"),
        "2026-11-22T10:00:00+00:00",
    ),
    (re.compile(r'"actor": "[^"]*"'), '"actor": "admin"'),
]


def normalize(text: str) -> str:
    for pattern, stand_in in NORMALIZE:
        text = pattern.sub(stand_in, text)
    return text


def example(name: str, method: str, url: str, response, body=None) -> None:
    lines = [f"{method} {url}", "Accept: application/json"]
    if body is not None:
        lines += ["Content-Type: application/json", "", json.dumps(body, indent=2)]
    lines += ["", f"HTTP {response.status_code}"]
    if response.text:
        lines.append(json.dumps(response.json(), indent=2, sort_keys=True))
    text = normalize("\n".join(lines) + "\n")
    path = DOCS / f"{name}.http"
    if WRITE:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        f"{path.name} is out of date: run GETPAID_WRITE_DOCS=1 pytest {__file__}"
    )


def call(method, url, auth=None, body=None):
    return requests.request(
        method,
        url,
        auth=auth,
        json=body,
        headers={"Accept": "application/json"},
        timeout=30,
    )


def test_rest_examples(shop_site, monkeypatch):
    from plone import api

    # The order's payment choices as a new site offers them: PayPal Checkout.
    for name, value in (
        ("payment_providers", ["paypal_checkout"]),
        ("paypal_client_id", "the-shops-client-id"),
    ):
        api.portal.set_registry_record(f"getpaid.orders.{name}", value)
    monkeypatch.setenv("GETPAID_PAYPAL_CLIENT_SECRET", "the-shops-secret")
    transaction.commit()
    portal = shop_site.absolute_url()
    checkout = {
        "lines": [{"product": shop_site["mug"].UID(), "quantity": 2}],
        "customer": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "phone": "",
            "comment": "",
            "billing_address": {
                "street": "12 St James's Square",
                "postal_code": "SW1Y 4JH",
                "city": "London",
                "country": "GB",
                "region": "",
            },
            "shipping_address": None,
        },
        "accept_terms": True,
    }
    placed = call("POST", f"{portal}/@checkout", body=checkout)
    example("checkout", "POST", f"{portal}/@checkout", placed, checkout)
    order_url = placed.json()["@id"]
    token = placed.json()["owner_link"].rsplit("/", 1)[-1]

    status = call("GET", f"{portal}/@order-status/{token}")
    example("order-status", "GET", f"{portal}/@order-status/{token}", status)

    listing = call("GET", f"{portal}/@orders?review_state=created", auth=STAFF)
    example("orders", "GET", f"{portal}/@orders?review_state=created", listing)

    patch = {
        "lines": [{"product": shop_site["mug"].UID(), "quantity": 3}],
        "message": "Ships Monday",
    }
    patched = call("PATCH", order_url, auth=STAFF, body=patch)
    example("order-patch", "PATCH", order_url, patched, patch)

    transition = {"comment": "Asked by phone"}
    moved = call("POST", f"{order_url}/@workflow/cancel", auth=STAFF, body=transition)
    example(
        "order-workflow", "POST", f"{order_url}/@workflow/cancel", moved, transition
    )

    transaction.begin()
    assert shop.get_order(placed.json()["order_number"]).message == "Ships Monday"


def test_rest_example_reissue_links(shop_site, customer):
    order = shop.checkout([(shop_site["mug"], 1)], customer).order
    transaction.commit()
    url = f"{order.absolute_url()}/@reissue-links"
    example("reissue-links", "POST", url, call("POST", url, auth=STAFF))
    transaction.begin()
    assert order.history[-1].action == "links reissued"


def test_rest_example_send_reminder(shop_site, customer):
    order = shop.checkout([(shop_site["mug"], 1)], customer).order
    transaction.commit()
    url = f"{order.absolute_url()}/@send-reminder"
    example("send-reminder", "POST", url, call("POST", url, auth=STAFF))
    transaction.begin()
    assert order.history[-1].action == "reminder"


def test_rest_example_staff_order(shop_site):
    from plone import api

    api.portal.set_registry_record("plone.available_languages", ["en", "de"])
    transaction.commit()
    body = {
        "lines": [{"product": shop_site["mug"].UID(), "quantity": 1}],
        "customer": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "phone": "+49 30 123456",
            "comment": "Ordered by phone",
            "billing_address": {
                "street": "Unter den Linden 1",
                "postal_code": "10117",
                "city": "Berlin",
                "country": "DE",
                "region": "",
            },
            "shipping_address": None,
        },
        "language": "de",
    }
    url = f"{shop_site.absolute_url()}/@orders"
    placed = call("POST", url, auth=STAFF, body=body)
    example("orders-post", "POST", url, placed, body)
    transaction.begin()
    assert shop.get_order(placed.json()["order_number"]).customer_language == "de"


def test_rest_example_notes(shop_site, customer):
    order = shop.checkout([(shop_site["mug"], 1)], customer).order
    transaction.commit()
    url = f"{order.absolute_url()}/@notes"
    body = {"text": "Your mug ships on Monday.", "for_customer": True}
    example("notes", "POST", url, call("POST", url, auth=STAFF, body=body), body)
    transaction.begin()
    assert [note.text for note in order.notes] == [body["text"]]


def test_rest_example_anonymise(shop_site, customer):
    from getpaid.orders.workflow import SOURCE_MANAGER
    from plone import api

    unpaid = shop.checkout([(shop_site["mug"], 1)], customer).order
    order = shop.checkout([(shop_site["mug"], 1)], customer).order
    with api.env.adopt_roles(["Manager"]):
        shop.cancel_order(order, source=SOURCE_MANAGER)
    transaction.commit()
    body = {"reason": "The customer asked for erasure."}
    url = f"{unpaid.absolute_url()}/@anonymise"
    example(
        "anonymise-refused", "POST", url, call("POST", url, auth=STAFF, body=body), body
    )
    url = f"{order.absolute_url()}/@anonymise"
    example("anonymise", "POST", url, call("POST", url, auth=STAFF, body=body), body)
    transaction.begin()
    assert order.history[-1].action == "anonymised" and order.email == ""
