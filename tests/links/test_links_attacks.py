"""Trying to get into orders without their link, over real HTTP.

Customer "Ada Lovelace" placed order A, "Grace Hopper" order B; the attacker
knows B's owner link at most, or nothing at all.
"""

from getpaid.orders import api as shop
from getpaid.orders.api.customer import Address
from getpaid.orders.api.customer import Customer
from getpaid.orders.api.links import STATUS

import lxml.html
import pytest
import requests
import secrets
import transaction


PRIVACY = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
}
GRACE = Customer(
    first_name="Grace",
    last_name="Hopper",
    email="grace@example.org",
    phone="+1 202 555 0143",
    billing=Address(
        street="1 Navy Yard Road", postal_code="20374", city="Washington", country="US"
    ),
)
# What a share link must never show of order A.
PERSONAL = (
    "Ada",
    "Lovelace",
    "ada@example.org",
    "7946",
    "St James",
    "SW1Y",
    "London",
    "12.50",
    "25.00",
    "50.00",
)


@pytest.fixture
def orders(shop_site, customer):
    a = shop.checkout([(shop_site["mug"], 2), (shop_site["tee"], 1)], customer)
    b = shop.checkout([(shop_site["mug"], 1)], GRACE)
    share = shop.create_link(a.order, STATUS)
    transaction.commit()
    return {
        "portal": shop_site.absolute_url(),
        "a": a.order,
        "a_owner": a.owner_token,
        "a_share": share,
        "b": b.order,
        "b_owner": b.owner_token,
    }


def get(url, **headers):
    return requests.get(
        url,
        headers={"Accept": "text/html", **headers},
        timeout=30,
        allow_redirects=False,
    )


def status_url(orders, token):
    return f"{orders['portal']}/@@order-status/{token}"


def assert_refused(response, token=""):
    assert response.status_code == 404, response.status_code
    assert "Traceback" not in response.text
    assert "Lovelace" not in response.text and "Hopper" not in response.text
    assert "login" not in response.headers.get("Location", "")


def test_random_tokens_find_nothing(orders):
    bodies = set()
    for _ in range(30):
        token = secrets.token_urlsafe(32)
        response = get(status_url(orders, token))
        assert_refused(response)
        bodies.add(response.text.replace(token, "TOKEN"))
    assert len(bodies) == 1  # the same page for every miss


def test_a_revoked_link_says_where_to_get_a_new_one(orders):
    shop.revoke_links(orders["a"], STATUS)
    transaction.commit()
    response = get(status_url(orders, orders["a_share"]))
    assert_refused(response)
    page = lxml.html.fromstring(response.text)
    assert page.cssselect("h1")[0].text == "This link opens no order"
    assert page.cssselect("#portal-footer-wrapper, footer")  # the site's page
    (lookup,) = page.cssselect("#content a[href$='@@order-lookup']")
    assert lookup.text == "Find your order"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1],
        lambda t: t + "A",
        lambda t: t.swapcase(),
        lambda t: t[:22],
        lambda t: " " + t,
        lambda t: t + "%00",
    ],
    ids=["truncated", "padded", "case", "half", "space", "nul"],
)
def test_mangled_tokens_find_nothing(orders, mangle):
    mangled = mangle(orders["a_owner"])
    assert mangled != orders["a_owner"]
    assert_refused(get(status_url(orders, mangled)))


def test_revoked_link_is_refused_like_a_random_one(orders):
    shop.revoke_links(orders["a"])
    transaction.commit()
    refused = get(status_url(orders, orders["a_owner"]))
    random = get(status_url(orders, secrets.token_urlsafe(32)))
    assert_refused(refused)
    assert refused.text.replace(orders["a_owner"], "T") == random.text.replace(
        random.url.rsplit("/", 1)[-1], "T"
    )


def test_one_order_link_opens_no_other(orders):
    b_url = status_url(orders, orders["b_owner"])
    a_number = orders["a"].number
    for url in (
        f"{b_url}/{a_number}",
        f"{b_url}/image/5",
        f"{orders['portal']}/orders/{orders['b'].number}/@@order-status/"
        f"{orders['b_owner']}/../{a_number}",
        f"{orders['portal']}/orders/{a_number}/@@order-status/{orders['b_owner']}",
        f"{orders['portal']}/orders/{orders['b'].number}/orders/{a_number}",
        f"{orders['portal']}/@@cart?token={orders['b_owner']}",
    ):
        response = get(url)
        assert "Lovelace" not in response.text, url
        assert response.status_code in (302, 401, 404, 200), url


def test_anonymous_search_finds_no_order(orders):
    for query in (
        "portal_type=Order",
        "SearchableText=Lovelace",
        f"SearchableText={orders['a'].number}",
    ):
        response = requests.get(
            f"{orders['portal']}/@search?{query}",
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert response.json()["items_total"] == 0, query
    html = get(f"{orders['portal']}/@@search?SearchableText=Lovelace").text
    assert orders["a"].number not in html


def test_share_page_shows_status_only(orders):
    response = get(status_url(orders, orders["a_share"]))
    assert response.status_code == 200
    assert "Mug" in response.text and "Created" in response.text
    for secret in PERSONAL:
        assert secret not in response.text, secret
    assert "Pay with PayPal" not in response.text
    assert "Cancel this order" not in response.text
    assert "Make a share link" not in response.text


def test_share_json_shows_status_only(orders):
    response = requests.get(
        f"{orders['portal']}/@order-status/{orders['a_share']}",
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 200
    data = response.json()
    assert data["viewer"] == "share link"
    assert not any(data["actions"][name] for name in ("pay", "cancel", "share"))
    assert [(line["display_name"], line["quantity"]) for line in data["lines"]] == [
        ("Mug", 2),
        ("Tee", 1),
    ]
    for secret in PERSONAL:
        assert secret not in response.text, secret
    for name, value in PRIVACY.items():
        assert response.headers[name] == value


def test_owner_json(orders):
    response = requests.get(
        f"{orders['portal']}/@order-status/{orders['a_owner']}",
        headers={"Accept": "application/json"},
        timeout=30,
    )
    data = response.json()
    assert (data["viewer"], data["total"], data["customer"]["last_name"]) == (
        "owner link",
        "50.00",
        "Lovelace",
    )
    assert (data["actions"]["pay"], data["actions"]["share"]) == (True, True)
    assert data["lines"][0]["unit_price"] == "12.50"  # a decimal string


def test_json_refusals_are_404(orders):
    for token in (secrets.token_urlsafe(32), "x", orders["a_owner"][:-2]):
        response = requests.get(
            f"{orders['portal']}/@order-status/{token}",
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert response.status_code == 404
        assert "Lovelace" not in response.text


@pytest.mark.parametrize("which", ["a_owner", "a_share"])
def test_privacy_headers_on_pages(orders, which):
    response = get(status_url(orders, orders[which]))
    for name, value in PRIVACY.items():
        assert response.headers[name] == value
    assert '<script src="http' not in response.text.replace(orders["portal"], "")


def test_opening_links_writes_nothing(orders, functional):
    db = functional["zodbDB"]
    get(status_url(orders, orders["a_owner"]))  # warm up (keyring, caches)
    before = db.lastTransaction()
    for token in (orders["a_owner"], orders["a_share"], secrets.token_urlsafe(32)):
        get(status_url(orders, token))
        requests.get(
            f"{orders['portal']}/@order-status/{token}",
            headers={"Accept": "application/json"},
            timeout=30,
        )
    assert db.lastTransaction() == before


def test_owner_makes_and_revokes_a_share_link(orders):
    import lxml.html

    session = requests.Session()
    page = lxml.html.fromstring(session.get(status_url(orders, orders["a_owner"])).text)
    (form,) = [f for f in page.forms if f.get("action", "").endswith("/share")]
    made = session.post(form.get("action"), data=dict(form.form_values()))
    new_url = (
        lxml.html.fromstring(made.text).cssselect(".getpaid-new-share code")[0].text
    )
    assert new_url.startswith(f"{orders['portal']}/@@order-status/")
    assert get(new_url).status_code == 200

    page = lxml.html.fromstring(session.get(status_url(orders, orders["a_owner"])).text)
    revoke_forms = [f for f in page.forms if "/unshare/" in f.get("action", "")]
    assert len(revoke_forms) == 2  # the fixture's share link and the new one
    for form in revoke_forms:
        session.post(form.get("action"), data=dict(form.form_values()))
    assert_refused(get(new_url))
    assert_refused(get(status_url(orders, orders["a_share"])))
    assert get(status_url(orders, orders["a_owner"])).status_code == 200


def test_share_link_cannot_act(orders):
    base = status_url(orders, orders["a_share"])
    for action in ("cancel", "share", "unshare/0"):
        response = requests.post(f"{base}/{action}", timeout=30)
        assert response.status_code == 404, action
    transaction.begin()
    from plone import api

    assert api.content.get_state(orders["a"]) == "created"
