"""POST @checkout: a headless checkout, end to end over HTTP and SMTP."""

from getpaid.orders import api as shop
from getpaid.orders.api.checkout import MAX_REQUEST_BYTES
from plone import api

import pytest
import transaction
import uuid


def short(value) -> str:
    """A test id that fits on a line, however long the value."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:50]}...({len(text)})"


def payload(portal, **changes):
    body = {
        "lines": [
            {"product": portal["mug"].UID(), "quantity": 2},
            {"product": portal["tee"].UID(), "quantity": 1},
        ],
        "customer": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.org",
            "phone": "+44 20 7946 0000",
            "billing_address": {
                "street": "12 St James's Square",
                "postal_code": "SW1Y 4JH",
                "city": "London",
                "country": "GB",
                "region": "",
            },
            "shipping_address": None,
            "comment": "Gift wrap, please.",
        },
        "accept_terms": True,
    }
    for path, value in changes.items():
        target = body
        *parents, last = path.split(".")
        for key in parents:
            target = target[int(key) if key.isdigit() else key]
        target[int(last) if last.isdigit() else last] = value
    return body


def order_count(portal) -> int:
    transaction.begin()  # see what the server committed
    return len(portal["orders"].objectIds())


def test_anonymous_checkout(shop_site, rest, inbox):
    response = rest.post("@checkout", json=payload(shop_site))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["total"] == "50.00" and body["currency"] == "EUR"
    assert body["state"] == "created"
    assert [
        (line["title"], line["quantity"], line["unit_price"], line["total"])
        for line in body["lines"]
    ] == [
        ("Mug", 2, "12.50", "25.00"),
        ("Tee", 1, "25.00", "25.00"),
    ]
    assert response.headers["Location"] == body["@id"]
    assert body["owner_link"].startswith(shop_site.absolute_url() + "/@@order-status/")

    transaction.begin()
    order = shop_site["orders"][body["order_number"]]
    assert order.UID() == body["UID"]
    assert (order.first_name, order.comment, order.buyer_id) == (
        "Ada",
        "Gift wrap, please.",
        None,
    )
    token = body["owner_link"].rsplit("/", 1)[-1]
    assert shop.find_by_token(token)[0].aq_base is order.aq_base


def test_confirmation_mail(shop_site, rest, inbox):
    body = rest.post("@checkout", json=payload(shop_site)).json()
    received = inbox.wait_for(2)
    assert sorted(recipients for _, recipients, _ in received) == [
        ["ada@example.org"],
        ["orders@example.org"],
    ]
    to_customer = next(m for _, r, m in received if r == ["ada@example.org"])
    assert {sender for sender, _, _ in received} == {"shop@example.org"}
    assert to_customer["To"] == "ada@example.org"
    assert "orders@example.org" not in str(to_customer)
    assert body["order_number"] in to_customer["Subject"]
    text = to_customer.get_body(("plain",)).get_content()
    html = to_customer.get_body(("html",)).get_content()
    assert body["owner_link"] in text and body["owner_link"] in html
    assert "€50.00" in text and "€50.00" in html  # both parts, as people write it


def test_the_shop_is_told_of_the_new_order_without_the_secret_link(
    shop_site, rest, inbox
):
    body = rest.post("@checkout", json=payload(shop_site)).json()
    received = inbox.wait_for(2)
    (notice,) = [m for _, r, m in received if r == ["orders@example.org"]]
    assert notice["Subject"] == f"New order {body['order_number']} from Ada Lovelace"
    assert notice["Reply-To"] == "ada@example.org"  # a reply reaches the customer
    text = notice.get_body(("plain",)).get_content()
    html = notice.get_body(("html",)).get_content()
    order_url = f"{shop_site.absolute_url()}/orders/{body['order_number']}"
    assert order_url in text and order_url in html  # the back office's page
    assert "2 × Mug" in text and "€50.00" in text
    assert "@@order-status" not in text + html  # a shop mailbox can't open it


def test_the_shop_reads_the_customers_comment_in_its_mail(shop_site, rest, inbox):
    comment = "Gift wrap, please.\n<b>Ring twice</b>: the bell is broken."
    rest.post("@checkout", json=payload(shop_site, **{"customer.comment": comment}))
    received = inbox.wait_for(2)
    (notice,) = [m for _, r, m in received if r == ["orders@example.org"]]
    text = notice.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = notice.get_body(("html",)).get_content()
    assert "Customer's comment:\n  Gift wrap, please.\n  <b>Ring twice</b>:" in text
    assert (
        "Gift wrap, please.<br>&lt;b&gt;Ring twice&lt;/b&gt;: the bell is broken."
        in html
    )


def test_the_shops_mail_speaks_the_sites_language_even_a_regional_one(
    shop_site, rest, inbox
):
    api.portal.set_registry_record("plone.available_languages", ["de-at"])
    api.portal.set_registry_record("plone.default_language", "de-at")
    transaction.commit()
    body = rest.post("@checkout", json=payload(shop_site)).json()
    received = inbox.wait_for(2)
    (notice,) = [m for _, r, m in received if r == ["orders@example.org"]]
    assert notice["Subject"] == (
        f"Neue Bestellung {body['order_number']} von Ada Lovelace"
    )
    assert "50,00\xa0€" in notice.get_body(("plain",)).get_content()


def test_amounts_are_strings(shop_site, rest):
    body = rest.post("@checkout", json=payload(shop_site)).json()
    assert isinstance(body["total"], str)
    assert all(isinstance(line["unit_price"], str) for line in body["lines"])


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"accept_terms": False}, "accept_terms"),
        ({"customer.email": "not-an-address"}, "customer.email"),
        ({"customer.first_name": ""}, "customer.first_name"),
        (
            {"customer.first_name": "Ada\r\nBcc: victim@example.org"},
            "customer.first_name",
        ),
        ({"customer.last_name": "L" * 101}, "customer.last_name"),
        ({"customer.first_name": "Ada\u2028Bob"}, "customer.first_name"),
        ({"customer.first_name": "A\ud800"}, "customer.first_name"),  # no UTF-8
        ({"customer.last_name": "\u202eecalevoL"}, "customer.last_name"),
        (
            {"customer.billing_address.street": "1 Road\u2067"},
            "customer.billing_address.street",
        ),
        ({"customer.comment": "x" * 5001}, "customer.comment"),
        (
            {"customer.email": "ada@example.org\r\nBcc: all@example.org"},
            "customer.email",
        ),
        (
            {"customer.billing_address.country": "XX"},
            "customer.billing_address.country",
        ),
        ({"customer.billing_address.city": ""}, "customer.billing_address.city"),
        ({"lines": []}, "lines"),
        ({"lines.0.quantity": 1.5}, "lines.0.quantity"),
        ({"customer.shipping_address": "street"}, "customer.shipping_address"),
    ],
    ids=short,
)
def test_bad_input_refused_and_nothing_made(shop_site, rest, inbox, changes, field):
    before = order_count(shop_site)
    response = rest.post("@checkout", json=payload(shop_site, **changes))
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert [e["field"] for e in error["errors"]] == [field]
    assert error["message"] and "Traceback" not in response.text
    assert order_count(shop_site) == before
    assert inbox.received == []


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 20_000 + b"]" * 20_000,  # deeper than Python reads JSON
        b'{"lines": ' + b"[" * 20_000 + b"]" * 20_000 + b"}",
    ],
    ids=["nested list", "nested lines"],
)
def test_deeply_nested_json_refused(shop_site, rest, inbox, body):
    response = rest.post(
        "@checkout", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text[:500]
    assert response.json()["error"]["message"] == "The request body is not JSON."
    assert order_count(shop_site) == 0
    assert inbox.received == []


@pytest.mark.parametrize(
    "lines, words",
    [
        ([{"product": "no-such-uid", "quantity": 1}], "no product"),
        ([{"product": "MUG", "quantity": 0}], "quantity"),
        (
            [{"product": "MUG", "quantity": 1}, {"product": "BOOK", "quantity": 1}],
            "currenc",
        ),
    ],
    ids=["unknown product", "zero quantity", "two currencies"],
)
def test_refusals_of_the_domain(shop_site, rest, inbox, lines, words):
    uids = {"MUG": shop_site["mug"].UID(), "BOOK": shop_site["book"].UID()}
    for line in lines:
        line["product"] = uids.get(line["product"], line["product"])
    before = order_count(shop_site)
    response = rest.post("@checkout", json=payload(shop_site, lines=lines))
    assert response.status_code == 400, response.text
    assert words in response.json()["error"]["message"].lower()
    assert order_count(shop_site) == before


def test_hostile_text_kept_verbatim_and_escaped_in_mail(shop_site, rest, inbox):
    name = "<script>alert(1)</script>"
    body = rest.post(
        "@checkout",
        json=payload(
            shop_site,
            **{"customer.first_name": name, "customer.last_name": "Ōtsuka 大塚"},
        ),
    ).json()
    transaction.begin()
    order = shop_site["orders"][body["order_number"]]
    assert (order.first_name, order.last_name) == (name, "Ōtsuka 大塚")
    message = next(m for _, r, m in inbox.wait_for(2) if r == ["ada@example.org"])
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Ōtsuka 大塚" in message.get_body(("plain",)).get_content()
    assert "script" not in message["To"]


def owner_links(portal, number: str) -> list:
    transaction.begin()
    order = portal["orders"][number]
    return [link for link in order.secret_links if link.active]


def test_idempotency_key_places_once(shop_site, rest, inbox):
    key = str(uuid.uuid4())
    first = rest.post(
        "@checkout", json=payload(shop_site), headers={"Idempotency-Key": key}
    )
    again = rest.post(
        "@checkout", json=payload(shop_site), headers={"Idempotency-Key": key}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    number = first.json()["order_number"]
    assert order_count(shop_site) == 1
    assert len(inbox.wait_for(4, timeout=1)) == 2  # customer + shop, once
    # The replay learns which order and its state, and gets no owner link:
    # that was in the first answer and in the mail.
    assert again.json() == {
        "@id": first.json()["@id"],
        "order_number": number,
        "state": "created",
    }
    assert len(owner_links(shop_site, number)) == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"lines.0.quantity": 5},
        {"customer.first_name": "Eve"},
        {"customer.billing_address.street": "1 Other Street"},
        {"customer.comment": "Ship it to me instead."},
    ],
    ids=repr,
)
def test_idempotency_key_sent_with_another_request_is_refused(shop_site, rest, changes):
    key = str(uuid.uuid4())
    first = rest.post(
        "@checkout", json=payload(shop_site), headers={"Idempotency-Key": key}
    ).json()
    other = payload(shop_site, **changes)
    response = rest.post("@checkout", json=other, headers={"Idempotency-Key": key})
    assert response.status_code == 409
    assert response.json()["error"]["type"] == "Conflict"
    assert "different request" in response.json()["error"]["message"]
    for kept in (first["order_number"], first["owner_link"], "Ada", "Lovelace"):
        assert kept not in response.text
    assert order_count(shop_site) == 1
    assert len(owner_links(shop_site, first["order_number"])) == 1


def test_short_idempotency_key_refused(shop_site, rest):
    response = rest.post(
        "@checkout", json=payload(shop_site), headers={"Idempotency-Key": "1"}
    )
    assert response.status_code == 400
    assert order_count(shop_site) == 0


@pytest.mark.parametrize(
    "product",
    # Counted before any product is looked up: not "no product" first.
    ["no-such-uid", "MUG"],
    ids=["unknown products", "one product"],
)
def test_more_than_50_lines_are_refused_before_anything_else(
    shop_site, rest, inbox, product
):
    product = shop_site["mug"].UID() if product == "MUG" else product
    lines = [{"product": product, "quantity": 1}] * 51
    response = rest.post("@checkout", json=payload(shop_site, lines=lines))
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["message"] == f"An order can have at most 50 lines, not {len(lines)}."
    assert [e["field"] for e in error["errors"]] == ["lines"]
    assert order_count(shop_site) == 0


@pytest.mark.parametrize("what", ["a long comment", "30,000 lines"])
def test_a_body_over_the_limit_is_refused_unread(shop_site, rest, inbox, what):
    if what == "a long comment":
        changes = {"customer.comment": "x" * MAX_REQUEST_BYTES}
    else:  # of a product on sale: each line was looked up before
        changes = {"lines": [{"product": shop_site["mug"].UID(), "quantity": 1}]}
        changes["lines"] *= 30000
    body = payload(shop_site, **changes)
    response = rest.post("@checkout", json=body)
    assert response.status_code == 400, response.text
    message = response.json()["error"]["message"]
    assert message == f"The request body is over {MAX_REQUEST_BYTES} bytes."
    assert order_count(shop_site) == 0


def test_the_longest_request_the_fields_allow_is_taken(shop_site, rest, inbox):
    wide = "\U0001f381"  # JSON-escaped as 12 bytes
    address = {
        "street": wide * 200,
        "postal_code": wide * 20,
        "city": wide * 100,
        "country": "GB",
        "region": wide * 100,
    }
    changes = {
        "lines": [{"product": shop_site["mug"].UID(), "quantity": 1}] * 50,
        "customer.first_name": wide * 100,
        "customer.last_name": wide * 100,
        "customer.email": "a" * 242 + "@example.org",
        "customer.phone": wide * 40,
        "customer.billing_address": address,
        "customer.shipping_address": address,
        "customer.comment": wide * 5000,
    }
    response = rest.post("@checkout", json=payload(shop_site, **changes))
    assert len(response.request.body) > 64 * 1024
    assert response.status_code == 201, response.text


def test_a_comment_over_its_length_is_refused(shop_site, rest, inbox):
    body = payload(shop_site, **{"customer.comment": "x" * 5001})
    response = rest.post("@checkout", json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert [e["field"] for e in error["errors"]] == ["customer.comment"]
    assert order_count(shop_site) == 0


def test_member_checkout_belongs_to_member(shop_site, admin_rest):
    body = admin_rest.post("@checkout", json=payload(shop_site)).json()
    transaction.begin()
    order = shop_site["orders"][body["order_number"]]
    assert order.buyer_id == "admin"
    assert "Owner" in order.get_local_roles_for_userid("admin")


def test_anonymous_cannot_read_the_order_by_url(shop_site, rest):
    body = rest.post("@checkout", json=payload(shop_site)).json()
    response = rest.get(body["@id"])
    assert response.status_code == 401
    assert api.content.get_state is not None


def test_private_product_is_not_for_anonymous(shop_site, rest):
    shop_site["tee"].manage_permission("View", ["Manager"], acquire=False)
    shop_site["tee"].manage_permission(
        "Access contents information", ["Manager"], acquire=False
    )
    transaction.commit()
    response = rest.post("@checkout", json=payload(shop_site))
    assert response.status_code == 400
    assert "no product" in response.json()["error"]["message"]
    assert order_count(shop_site) == 0
