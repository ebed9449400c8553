"""POST @orders: shop staff take an order for a customer, over HTTP and SMTP."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.testing.zope import Browser

import lxml.html
import pytest
import re
import requests
import transaction


def body(shop_site, **extra) -> dict:
    """@checkout's body (without the terms: staff aren't the customer)."""
    return {
        "lines": [
            {"product": shop_site["mug"].UID(), "quantity": 2},
            {"product": shop_site["tee"].UID(), "quantity": 1},
        ],
        "customer": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "phone": "+44 20 7946 0000",
            "billing_address": {
                "street": "Unter den Linden 1",
                "postal_code": "10117",
                "city": "Berlin",
                "country": "DE",
            },
            "shipping_address": None,
            "comment": "Ordered by phone.",
        },
        **extra,
    }


@pytest.fixture
def bilingual(shop_site):
    api.portal.set_registry_record("plone.available_languages", ["en", "de"])
    transaction.commit()
    return shop_site


def order_numbers(shop_site) -> list[str]:
    transaction.begin()  # see what the server committed
    return list(shop_site["orders"].objectIds())


def owner_link(mail) -> str:
    text = mail.get_body(("plain",)).get_content()
    return re.search(r"\S+/@@order-status/\S+", text).group(0)


def test_staff_order_is_placed_mailed_in_the_chosen_language(
    bilingual, admin_rest, inbox
):
    response = admin_rest.post("@orders", json=body(bilingual, language="de"))
    assert response.status_code == 201, response.text
    data = response.json()
    assert response.headers["Location"] == data["@id"]
    assert (data["state"], data["total"]) == ("created", "50.00")
    assert data["viewer"] == "staff"
    assert "owner_link" not in data  # the customer's, in the mail only
    assert [(line["title"], line["quantity"]) for line in data["lines"]] == [
        ("Mug", 2),
        ("Tee", 1),
    ]
    (placed,) = data["history"]
    assert (placed["action"], placed["source"], placed["actor"]) == (
        "place",
        "manager",
        SITE_OWNER_NAME,
    )

    transaction.begin()
    order = bilingual["orders"][data["order_number"]]
    assert re.fullmatch(r"\d{6}-[2-9A-Z]{5}", order.number), order.number
    assert [line.snapshot.unit_price for line in order.lines] == [
        api.content.get(UID=uid).price
        for uid in (bilingual["mug"].UID(), bilingual["tee"].UID())
    ]
    assert (order.customer_language, order.buyer_id, order.comment) == (
        "de",
        None,
        "Ordered by phone.",
    )

    mails = {tuple(to): mail for _, to, mail in inbox.wait_for(2)}
    confirmation = mails[("ada@example.org",)]
    assert confirmation["Subject"].startswith(f"Ihre Bestellung {order.number} bei ")
    # The shop's own copy stays in the site's language.
    assert mails[("orders@example.org",)]["Subject"].startswith("New order ")


def test_the_owner_link_mailed_offers_to_pay(shop_site, admin_rest, inbox):
    response = admin_rest.post("@orders", json=body(shop_site))
    assert response.status_code == 201, response.text
    (confirmation,) = [m for _, to, m in inbox.wait_for(2) if to == ["ada@example.org"]]
    assert confirmation["Subject"].startswith("Your order ")  # the site's language
    link = owner_link(confirmation)

    status = requests.get(
        link.replace("/@@order-status/", "/@order-status/"),
        headers={"Accept": "application/json"},
        timeout=30,
    ).json()
    assert (status["order_number"], status["actions"]["pay"]) == (
        response.json()["order_number"],
        True,
    )
    browser = Browser(shop_site.aq_parent)
    browser.open(link)
    page = lxml.html.fromstring(browser.contents)
    assert page.cssselect("form.getpaid-pay-paypal_standard")


def test_staff_may_give_the_order_to_a_member(shop_site, admin_rest, inbox):
    api.user.create(email="g@example.org", username="grace", password="secret-pw-1234")
    transaction.commit()
    response = admin_rest.post("@orders", json=body(shop_site, buyer_id="grace"))
    assert response.status_code == 201, response.text
    assert response.json()["buyer_id"] == "grace"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"language": "fr"}, "language"),  # not one of the site's languages
        ({"language": 7}, "language"),
        ({"buyer_id": "nobody-here"}, "buyer_id"),
        ({"lines": []}, "lines"),
        ({"lines": [{"product": "no-such-uid", "quantity": 1}]}, ""),
        ({"lines": [{"product": "MUG", "quantity": 0}]}, ""),
        ({"customer": {"first_name": "Ada"}}, "customer.last_name"),
    ],
)
def test_bad_input_is_refused_and_creates_nothing(
    bilingual, admin_rest, inbox, changes, field
):
    data = body(bilingual)
    for line in changes.get("lines", ()):
        if line["product"] == "MUG":
            line["product"] = bilingual["mug"].UID()
    data.update(changes)
    response = admin_rest.post("@orders", json=data)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["message"]
    if field:
        assert error["errors"][0]["field"] == field
    assert order_numbers(bilingual) == []
    assert inbox.wait_for(1, timeout=0.5) == []


def test_not_json_is_refused(shop_site, admin_rest):
    response = admin_rest.post(
        "@orders", data="{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert order_numbers(shop_site) == []


def test_anonymous_and_members_may_not(shop_site, rest, inbox):
    api.user.create(email="g@example.org", username="grace", password="secret-pw-1234")
    setRoles(shop_site, "grace", ["Member"])
    transaction.commit()
    assert rest.post("@orders", json=body(shop_site)).status_code == 401
    rest.auth = ("grace", "secret-pw-1234")
    assert rest.post("@orders", json=body(shop_site)).status_code in (401, 403)
    assert order_numbers(shop_site) == []


def test_a_repeated_request_finds_its_order(bilingual, admin_rest, inbox):
    admin_rest.headers["Idempotency-Key"] = "staff-key-0123456789abcdef"
    first = admin_rest.post("@orders", json=body(bilingual, language="de"))
    again = admin_rest.post("@orders", json=body(bilingual, language="de"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["order_number"] == first.json()["order_number"]
    # The same key in another language is another request.
    other = admin_rest.post("@orders", json=body(bilingual, language="en"))
    assert other.status_code == 409
    assert order_numbers(bilingual) == [first.json()["order_number"]]
