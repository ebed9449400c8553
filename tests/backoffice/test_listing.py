"""The back office's orders listing, CSV export and bulk fulfilment."""

from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.api.customer import Address
from getpaid.orders.api.customer import Customer
from getpaid.orders.api.export import safe_cell
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser
from urllib.parse import urlencode

import csv
import io
import lxml.html
import pytest
import requests
import transaction


STAFF = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)


def who(first, last, email):
    return Customer(
        first_name=first,
        last_name=last,
        email=email,
        billing=Address(street="1 Road", postal_code="1000", city="Town", country="BE"),
    )


@pytest.fixture
def orders(shop_site):
    mug, tee = shop_site["mug"], shop_site["tee"]
    made = {
        "ada": shop.place_order([(mug, 2)], who("Ada", "Lovelace", "ada@example.org")),
        "grace": shop.place_order(
            [(tee, 1)], who("Grace", "Hopper", "grace@example.org")
        ),
        "alan": shop.place_order(
            [(mug, 1), (tee, 1)], who("Alan", "=cmd|' /C calc'!A0", "alan@example.org")
        ),
    }
    shop.record_payment(
        made["grace"],
        provider="paypal",
        txn_id="TXN-GRACE",
        status="Completed",
        amount="25.00",
        currency="EUR",
    )
    shop.mark_paid(made["grace"])
    transaction.commit()
    return made


def listed(browser, query="") -> list[str]:
    browser.open(api.portal.get()["orders"].absolute_url() + query)
    page = lxml.html.fromstring(browser.contents)
    return [a.text for a in page.cssselect("a.getpaid-number")]


@pytest.mark.parametrize(
    "query, names",
    [
        ("?SearchableText=hopper", ["grace"]),
        ("?SearchableText=ada%40example.org", ["ada"]),
        ("?SearchableText=TXN-GRACE", ["grace"]),
        ("?SearchableText=tee", ["grace", "alan"]),
        ("?SearchableText=mug+alan", ["alan"]),
        ("?review_state:list=paid", ["grace"]),
        ("?review_state:list=paid&review_state:list=created", ["ada", "grace", "alan"]),
        ("?SearchableText=nobody", []),
    ],
)
def test_search_and_filter(orders, staff, query, names):
    assert sorted(listed(staff, query)) == sorted(orders[n].number for n in names)


@pytest.mark.parametrize(
    "words, found",
    [
        ("smith", "zoe"),
        ("Jones", "zoe"),
        ("zoe", "zoe"),  # typed without the accent
        ("Zoë SMITH-JONES", "zoe"),
        ("lukasiewicz", "jan"),
        ("Łukasiewicz", "jan"),
        ("muller", "anna"),
        ("Müller", "anna"),
        ("o'brien", "sean"),
        ("brien", "sean"),
    ],
)
def test_search_finds_parts_of_names_and_ignores_accents(
    shop_site, staff, words, found
):
    mug = shop_site["mug"]
    made = {
        "zoe": shop.place_order([(mug, 1)], who("Zoë", "Smith-Jones", "z@example.org")),
        "jan": shop.place_order([(mug, 1)], who("Jan", "Łukasiewicz", "j@example.org")),
        "anna": shop.place_order([(mug, 1)], who("Anna", "Müller", "a@example.org")),
        "sean": shop.place_order([(mug, 1)], who("Seán", "O'Brien", "s@example.org")),
    }
    transaction.commit()
    query = urlencode({"SearchableText": words})
    assert listed(staff, f"?{query}") == [made[found].number]


def test_an_order_number_is_found_whole(orders, staff):
    number = orders["ada"].number
    assert listed(staff, f"?SearchableText={number.lower()}") == [number]
    assert listed(staff, f"?SearchableText={number.split('-')[1]}") == []


def test_sort_by_total_and_customer(orders, staff):
    by_total = listed(staff, "?sort_on=total&sort_order=descending")
    assert by_total[0] == orders["alan"].number  # 37.50; the others 25.00 each
    assert set(by_total[1:]) == {orders["ada"].number, orders["grace"].number}
    by_customer = listed(staff, "?sort_on=customer&sort_order=ascending")
    assert by_customer[-2:] == [orders["grace"].number, orders["ada"].number]


def test_date_range(orders, staff):
    from datetime import date
    from datetime import timedelta

    today = date.today()
    assert len(listed(staff, f"?created.min={today}&created.max={today}")) == 3
    tomorrow = today + timedelta(days=1)
    assert listed(staff, f"?created.min={tomorrow}") == []
    # From after To: the range the user meant, not every order.
    last_week, two_weeks_ago = today - timedelta(days=7), today - timedelta(days=14)
    assert len(listed(staff, f"?created.min={today}&created.max={last_week}")) == 3
    reversed_past = f"?created.min={last_week}&created.max={two_weeks_ago}"
    assert listed(staff, reversed_past) == []


def test_batching_and_counts(orders, staff):
    first = listed(staff, "?b_size=2&sort_on=number&sort_order=ascending")
    assert len(first) == 2
    staff.getLink("Next").click()
    page = lxml.html.fromstring(staff.contents)
    rest = [a.text for a in page.cssselect("a.getpaid-number")]
    assert sorted(first + rest) == sorted(o.number for o in orders.values())
    counts = {
        span.get("data-state"): span.text for span in page.cssselect(".getpaid-count")
    }
    assert (counts["created"], counts["paid"], counts["refunded"]) == ("2", "1", "0")
    assert page.cssselect(".getpaid-total")[0].text_content().split() == [
        "Orders",
        "found:",
        "3",
    ]


def test_a_search_that_finds_nothing_says_so(orders, staff):
    assert listed(staff, "?SearchableText=nobody") == []
    assert "No orders match." in staff.contents
    assert "@@orders-bulk" not in staff.contents  # no steps for no orders


def test_csv_export(orders, staff):
    staff.open(api.portal.get()["orders"].absolute_url() + "?SearchableText=alan")
    staff.getLink("Download as CSV").click()
    assert staff.headers["Content-Type"].startswith("text/csv")
    text = staff.contents
    text = text if isinstance(text, str) else text.decode("utf-8")
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header[:3] == ["order", "created", "state"]
    rows = [dict(zip(header, row, strict=True)) for row in rows]
    assert [row["product"] for row in rows] == ["Mug", "Tee"]  # one row per line
    assert {row["surname"] for row in rows} == {"'=cmd|' /C calc'!A0"}  # defused
    assert Decimal(rows[0]["order total"]) == orders["alan"].total
    first = rows[0]
    billing = [first[f"billing {part}"] for part in ("street", "postal code", "city")]
    assert billing == ["1 Road", "1000", "Town"]
    # No shipping address of its own: the goods go to the billing address.
    assert [first["ship to street"], first["ship to country"]] == ["1 Road", "BE"]


def test_csv_ships_to_the_shipping_address_when_there_is_one(orders, staff):
    ada = orders["ada"]
    ada.shipping_street, ada.shipping_postal_code = "7 Dock Lane", "2000"
    ada.shipping_city, ada.shipping_country = "Port", "NL"
    transaction.commit()
    staff.open(api.portal.get()["orders"].absolute_url() + "?SearchableText=ada")
    staff.getLink("Download as CSV").click()
    text = staff.contents
    text = text if isinstance(text, str) else text.decode("utf-8")
    header, row = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    cells = dict(zip(header, row, strict=True))
    ship_to = [cells[f"ship to {part}"] for part in ("street", "city", "country")]
    assert ship_to == ["7 Dock Lane", "Port", "NL"]
    assert cells["billing street"] == "1 Road"


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+1", "'=1+1"),
        ("+31 6", "'+31 6"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("Ada", "Ada"),
        (Decimal("1.50"), "1.50"),
        (Decimal("-5.00"), "-5.00"),  # an amount, not a formula
        (-2, "-2"),
        (None, ""),
    ],
)
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


def test_bulk_deliver(orders, staff):
    shop.mark_paid(orders["ada"])
    transaction.commit()
    staff.open(api.portal.get()["orders"].absolute_url())
    for number in (orders["ada"].number, orders["alan"].number):
        staff.getControl(name="numbers:list").getControl(value=number).selected = True
    staff.getControl(name="message").value = "Shipped today"
    staff.getControl("Mark delivered").click()
    assert "1 orders updated; 1 not in a state for it." in staff.contents
    transaction.begin()
    assert api.content.get_state(orders["ada"]) == "delivered"
    assert orders["ada"].message == "Shipped today"
    assert api.content.get_state(orders["alan"]) == "created"


def test_bulk_steps_never_send_staff_off_the_site(orders, staff):
    folder_url = api.portal.get()["orders"].absolute_url()
    staff.open(folder_url)
    token = staff.getControl(name="_authenticator", index=0).value
    staff.addHeader("Referer", "https://evil.example/orders")
    staff.post(f"{folder_url}/@@orders-bulk", urlencode({"_authenticator": token}))
    assert staff.url == folder_url


def test_members_cannot_open_the_listing(orders, shop_site, functional_app):
    api.user.create(
        email="m@example.org", username="member1", password="secret-pw-1234"
    )
    setRoles(shop_site, "member1", ["Member"])
    transaction.commit()
    browser = Browser(functional_app)
    browser.handleErrors = True
    browser.addHeader("Authorization", "Basic member1:secret-pw-1234")
    browser.open(shop_site["orders"].absolute_url())
    assert "getpaid-number" not in browser.contents
    browser.open(shop_site["orders"].absolute_url() + "/@@orders-csv")
    assert "Lovelace" not in str(browser.contents)
    assert "insufficient-privileges" in browser.url


@pytest.mark.parametrize(
    "query",
    ["SearchableText=%FF%FE", "SearchableText=%ED%A0%80", "q=Ada%FF"],
    ids=["not UTF-8", "an encoded surrogate", "q"],
)
def test_a_search_in_bytes_that_arent_utf8_finds_nothing(orders, query):
    folder_url = api.portal.get()["orders"].absolute_url()
    page = requests.get(f"{folder_url}?{query}", auth=STAFF, timeout=30)
    assert page.status_code == 200, page.text[:500]
    assert "No orders match." in page.text
    csv_url = f"{folder_url}/@@orders-csv?{query}"
    exported = requests.get(csv_url, auth=STAFF, timeout=30)
    assert exported.status_code == 200
    assert len(exported.text.splitlines()) == 1  # the header only
    answer = requests.get(
        f"{api.portal.get().absolute_url()}/@orders?{query}",
        auth=STAFF,
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 200 and answer.json()["items_total"] == 0


COMMENT = "Gift wrap, please:\nit is for my grandmother's ninetieth birthday, " + (
    "and she loves blue ribbons " * 4
)


def test_the_customers_comment_in_the_listing_and_the_csv(orders, staff):
    commented = shop.place_order(
        [(api.portal.get()["mug"], 1)],
        who("Zoë", "Quill", "zoe@example.org"),
        comment=COMMENT,
    )
    transaction.commit()
    listed(staff)
    page = lxml.html.fromstring(staff.contents)
    (shown,) = page.cssselect(".getpaid-listing-comment")
    excerpt = " ".join(COMMENT.split())[:99] + "…"  # the start, on one line
    assert shown.text_content().split() == ["Comment:", *excerpt.split()]
    assert commented.number in shown.getparent().getparent().text_content()

    staff.getLink("Download as CSV").click()
    text = staff.contents
    text = text if isinstance(text, str) else text.decode("utf-8")
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header.index("comment") == header.index("ship to region") + 1
    by_order = {row[0]: row[header.index("comment")] for row in rows}
    assert by_order[commented.number] == COMMENT  # whole, line break and all
    assert by_order[orders["ada"].number] == ""
