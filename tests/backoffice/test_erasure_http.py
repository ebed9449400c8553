"""Erasure over HTTP: staff anonymise an order from its page (after a
confirmation) and over REST (``POST <order>/@anonymise``); its links die;
the listing, search and CSV find nothing by the old data; and staff export
everything about one e-mail (``@customer-data``, ``@@customer-data``)."""

from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.api.links import STATUS
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from types import SimpleNamespace

import json
import pytest
import requests
import transaction


STAFF = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
GRACE = ("grace", "secret-pw-1234")
IPN = b"txn_id=61E67681CH3238416&mc_gross=12.50&mc_currency=EUR&first_name=Ada&last_name=Lovelace&payer_email=ada%40example.org&address_street=12+St+James%27s+Square"  # noqa: E501


@pytest.fixture
def placed(shop_site, customer):
    """Ada's order, bought as the member grace, paid and completed, with
    a share link for Grandma."""
    api.user.create(email="g@example.org", username="grace", password=GRACE[1])
    setRoles(shop_site, "grace", ["Member"])
    placed = shop.checkout([(shop_site["mug"], 1)], customer, buyer_id="grace")
    order = placed.order
    placed = SimpleNamespace(
        order=order,
        owner_token=placed.owner_token,
        share=shop.create_link(order, STATUS, label="Grandma"),
    )
    with api.env.adopt_roles(["Manager"]):
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
        shop.mark_paid(order)
        shop.deliver(order)
        shop.complete(order)
    transaction.commit()
    return placed


def post(order, auth=None, **body):
    return requests.post(
        f"{order.absolute_url()}/@anonymise",
        json=body,
        headers={"Accept": "application/json"},
        auth=auth,
        timeout=30,
    )


def found(shop_site, text) -> int:
    answer = requests.get(
        f"{shop_site.absolute_url()}/@orders",
        params={"SearchableText": text},
        headers={"Accept": "application/json"},
        auth=STAFF,
        timeout=30,
    )
    return answer.json()["items_total"]


def csv_text(shop_site) -> str:
    answer = requests.get(
        f"{shop_site.absolute_url()}/orders/@@orders-csv", auth=STAFF, timeout=30
    )
    assert answer.status_code == 200
    return answer.content.decode("utf-8-sig")


def test_staff_anonymise_on_the_page_after_confirming(shop_site, placed, staff):
    order = placed.order
    staff.open(order.absolute_url())
    staff.getLink("Anonymise the customer's data…").click()
    assert "can't be undone" in staff.contents
    staff.getControl("Anonymise").click()  # the box not ticked
    assert "Tick the box to confirm" in staff.contents
    transaction.begin()
    assert order.email == "ada@example.org"

    staff.getControl(name="confirm").value = ["1"]
    staff.getControl(name="reason").value = "Asked by letter of 2 December."
    staff.getControl("Anonymise").click()
    assert staff.url == order.absolute_url()
    assert f"Order {order.number} is anonymised." in staff.contents
    assert "Lovelace" not in staff.contents
    assert "Asked by letter of 2 December." in staff.contents  # the history
    assert "Customer's data erased" in staff.contents.replace("&#x27;", "'")
    assert "Anonymise the customer&#x27;s data" not in staff.contents
    transaction.begin()
    assert order.email == "" and order.anonymised is not None


def test_the_confirmation_needs_its_csrf_token(shop_site, placed):
    answer = requests.post(
        f"{placed.order.absolute_url()}/@@anonymise",
        data={"confirm": "1"},
        auth=STAFF,
        timeout=30,
    )
    assert answer.status_code == 403
    transaction.begin()
    assert placed.order.email == "ada@example.org"


def test_rest_anonymises_and_every_link_dies(shop_site, placed):
    order = placed.order
    status = f"{shop_site.absolute_url()}/@@order-status"
    for token in (placed.owner_token, placed.share):
        assert requests.get(f"{status}/{token}", timeout=30).status_code == 200
    mine = requests.get(
        order.absolute_url(), auth=GRACE, timeout=30, allow_redirects=False
    )
    assert mine.status_code == 200 and "Lovelace" in mine.text
    assert found(shop_site, "ada@example.org") == found(shop_site, "lovelace") == 1
    assert "Lovelace" in csv_text(shop_site)

    answer = post(order, STAFF, reason="The customer asked.")
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["customer"]["email"] == "" and data["customer"]["last_name"] == ""
    assert data["customer"]["billing_address"]["country"] == "GB"
    assert data["total"] == "12.50" and data["state"] == "completed"
    assert data["payments"][0]["txn_id"] == "61E67681CH3238416"
    assert data["history"][-1]["comment"] == "The customer asked."

    for token in (placed.owner_token, placed.share):
        gone = requests.get(f"{status}/{token}", timeout=30)
        assert gone.status_code == 404
        assert "Lovelace" not in gone.text
    mine = requests.get(
        order.absolute_url(), auth=GRACE, timeout=30, allow_redirects=False
    )
    assert mine.status_code in (302, 401, 403, 404)  # the login page
    assert "Lovelace" not in mine.text
    for text in ("ada@example.org", "lovelace", "ada", "london", "grace"):
        assert found(shop_site, text) == 0, text
    assert found(shop_site, order.number) == 1
    exported = csv_text(shop_site)
    assert order.number in exported
    for word in ("Ada", "Lovelace", "ada@example.org", "James", "London", "grace"):
        assert word not in exported, word
    staff_page = requests.get(order.absolute_url(), auth=STAFF, timeout=30).text
    assert "Lovelace" not in staff_page and "Grandma" not in staff_page


@pytest.mark.parametrize("auth", [None, GRACE], ids=["anonymous", "member"])
def test_only_staff_anonymise(shop_site, placed, auth):
    assert post(placed.order, auth).status_code == 401
    page = requests.get(
        f"{placed.order.absolute_url()}/@@anonymise", auth=auth, timeout=30
    )
    assert "can't be undone" not in page.text
    transaction.begin()
    assert placed.order.email == "ada@example.org"


def test_rest_refuses_an_unpaid_order_and_a_second_time(shop_site, customer, placed):
    unpaid = shop.checkout([(shop_site["mug"], 1)], customer).order
    transaction.commit()
    refused = post(unpaid, STAFF)
    assert refused.status_code == 409
    assert "unpaid and open" in refused.json()["error"]["message"]
    assert post(placed.order, STAFF).status_code == 200
    again = post(placed.order, STAFF)
    assert again.status_code == 409
    assert "anonymised already" in again.json()["error"]["message"]
    bad = post(placed.order, STAFF, reason=["x"])
    assert bad.status_code in (400, 409)
    transaction.begin()
    assert unpaid.email == "ada@example.org"


def test_a_bad_reason_is_a_400_and_changes_nothing(shop_site, placed):
    answer = post(placed.order, STAFF, reason="x" * 201)
    assert answer.status_code == 400
    transaction.begin()
    assert placed.order.email == "ada@example.org"


def customer_data(shop_site, email, auth=STAFF, view="@customer-data"):
    return requests.get(
        f"{shop_site.absolute_url()}/{view}",
        params={"email": email},
        headers={"Accept": "application/json"},
        auth=auth,
        timeout=30,
    )


def test_customer_data_has_all_of_one_email_and_nothing_else(
    shop_site, customer, placed
):
    from dataclasses import replace

    second = shop.checkout([(shop_site["tee"], 2)], customer).order
    other = replace(customer, first_name="Grace", last_name="Hopper")
    other = replace(other, email="grace.hopper@example.org")
    theirs = shop.checkout([(shop_site["mug"], 1)], other).order
    with api.env.adopt_roles(["Manager"]):
        shop.add_note(second, "Ada wants it gift-wrapped.", for_customer=False)
    transaction.commit()

    for view in ("@customer-data", "@@customer-data"):
        answer = customer_data(shop_site, " ADA@example.org ", view=view)
        assert answer.status_code == 200, answer.text
        assert answer.headers["Cache-Control"] == "private, no-store"
        data = json.loads(answer.content)
        numbers = [order["order_number"] for order in data["orders"]]
        assert sorted(numbers) == sorted([placed.order.number, second.number])
        assert theirs.number not in answer.text and "Hopper" not in answer.text
        first = {o["order_number"]: o for o in data["orders"]}[placed.order.number]
        assert "payer_email=ada%40example.org" in first["payments"][0]["raw"]
        assert first["history"] and first["customer"]["last_name"] == "Lovelace"
        by_number = {o["order_number"]: o for o in data["orders"]}
        assert by_number[second.number]["notes"][0]["text"].startswith("Ada wants")
    assert customer_data(shop_site, "nobody@example.org").json()["orders"] == []
    assert customer_data(shop_site, "").status_code == 400
    # Anonymised, the order is no longer Ada's: not in her data.
    assert post(placed.order, STAFF).status_code == 200
    data = customer_data(shop_site, "ada@example.org").json()
    assert [o["order_number"] for o in data["orders"]] == [second.number]


@pytest.mark.parametrize("auth", [None, GRACE], ids=["anonymous", "member"])
def test_only_staff_read_customer_data(shop_site, placed, auth):
    answer = customer_data(shop_site, "ada@example.org", auth=auth)
    assert answer.status_code == 401
    assert "Lovelace" not in answer.text
    page = customer_data(
        shop_site, "ada@example.org", auth=auth, view="@@customer-data"
    )
    assert "Lovelace" not in page.text
