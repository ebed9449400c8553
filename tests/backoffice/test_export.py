"""The orders export for accounting: columns, date range, streaming, REST."""

from dataclasses import replace
from DateTime import DateTime
from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.api.export import COLUMNS
from getpaid.orders.api.payments import PAYMENT
from getpaid.orders.api.payments import REFUND
from getpaid.orders.infrastructure import streaming
from getpaid.orders.workflow import SOURCE_PROVIDER
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import csv
import io
import pytest
import requests
import transaction


STAFF = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
ORDER_HEADERS = [
    "order",
    "created",
    "state",
    "currency",
    "order total",
    "paid",
    "refunded",
    "remaining",
    "first name",
    "surname",
    "e-mail",
    "member",
    "phone",
    "payments",
    *(f"billing {part}" for part in ("street", "postal code", "city", "country")),
    "billing region",
    *(f"ship to {part}" for part in ("street", "postal code", "city", "country")),
    "ship to region",
    "comment",
]
LINE_HEADERS = ["product", "sku", "unit price", "quantity", "line total"]


@pytest.fixture
def orders(shop_site, customer):
    mug, tee = shop_site["mug"], shop_site["tee"]
    made = {
        "two_lines": shop.place_order([(mug, 2), (tee, 1)], customer),
        "old": shop.place_order([(tee, 1)], customer),
        "evil": shop.place_order(
            [(mug, 1)], replace(customer, first_name='=HYPERLINK("x")')
        ),
    }
    # Paid 50.00 by its records, then 20.00 of it refunded.
    paid = made["two_lines"]
    payment = shop.record_payment(
        paid,
        provider="paypal",
        txn_id="PAY-1",
        status="Completed",
        amount=Decimal("50.00"),
        currency="EUR",
        kind=PAYMENT,
    )
    shop.apply_payment(paid, payment, source=SOURCE_PROVIDER, label="PayPal PAY-1")
    refund = shop.record_payment(
        paid,
        provider="paypal",
        txn_id="REF-1",
        status="Refunded",
        amount=Decimal("-20.00"),
        currency="EUR",
        kind=REFUND,
        parent_txn_id="PAY-1",
    )
    assert (
        shop.apply_refund(paid, refund, source=SOURCE_PROVIDER, label="PayPal REF-1")
        == "refund recorded"
    )
    made["old"].creation_date = DateTime("2025-01-31T23:59:30+00:00")
    made["old"].reindexObject(idxs=["created"])
    transaction.commit()
    return made


def export(shop_site, auth=STAFF, view="orders/@@orders-csv", stream=False, **params):
    return requests.get(
        f"{shop_site.absolute_url()}/{view}",
        params=params,
        auth=auth,
        stream=stream,
        timeout=30,
    )


def table(answer) -> list[dict]:
    assert answer.status_code == 200, answer.text[:500]
    assert answer.content.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    header, *rows = csv.reader(io.StringIO(answer.content.decode("utf-8-sig")))
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def test_the_column_set_is_decided_once():
    assert [c.header for c in COLUMNS] == ORDER_HEADERS + LINE_HEADERS
    assert len({c.name for c in COLUMNS}) == len(COLUMNS)
    assert [c.header for c in COLUMNS if c.per_line] == LINE_HEADERS


def test_a_row_per_line_by_default(shop_site, orders):
    header, rows = table(export(shop_site))
    assert header == ORDER_HEADERS + LINE_HEADERS
    order = orders["two_lines"]
    mine = [row for row in rows if row["order"] == order.number]
    assert [(r["product"], r["quantity"], r["line total"]) for r in mine] == [
        ("Mug", "2", "25.00"),
        ("Tee", "1", "25.00"),
    ]
    assert {r["unit price"] for r in mine} == {"12.50", "25.00"}
    assert len(rows) == 4  # 2 + 1 + 1 lines


def test_a_row_per_order(shop_site, orders):
    header, rows = table(export(shop_site, rows="orders"))
    assert header == ORDER_HEADERS
    by_number = {row["order"]: row for row in rows}
    assert sorted(by_number) == sorted(o.number for o in orders.values())
    row = by_number[orders["two_lines"].number]
    cells = [row[name] for name in ("state", "currency", "order total")]
    assert cells == ["paid", "EUR", "50.00"]
    assert row["billing country"] == "GB"
    assert (row["first name"], row["surname"], row["e-mail"]) == (
        "Ada",
        "Lovelace",
        "ada@example.org",
    )
    assert row["payments"] == "PAY-1 REF-1"


def test_refund_columns_from_the_payment_records(shop_site, orders):
    _header, rows = table(export(shop_site, rows="orders"))
    by_number = {row["order"]: row for row in rows}
    refunded = by_number[orders["two_lines"].number]
    assert [refunded[c] for c in ("paid", "refunded", "remaining")] == [
        "50.00",
        "20.00",
        "30.00",
    ]
    unpaid = by_number[orders["old"].number]
    assert [Decimal(unpaid[c]) for c in ("paid", "refunded", "remaining")] == [0] * 3


def test_created_is_iso_8601_in_utc(shop_site, orders):
    _header, rows = table(export(shop_site, rows="orders"))
    old = {row["order"]: row for row in rows}[orders["old"].number]
    assert old["created"] == "2025-01-31T23:59:30+00:00"


@pytest.mark.parametrize(
    "params, names",
    [
        ({"from": "2025-01-31", "to": "2025-01-31"}, {"old"}),  # the whole day
        ({"to": "2025-01-30"}, set()),
        ({"from": "2025-02-01"}, {"two_lines", "evil"}),
        ({"created.min": "2025-01-01", "created.max": "2025-02-28"}, {"old"}),
        ({"review_state": "paid"}, {"two_lines"}),
        ({"SearchableText": "tee", "from": "2025-01-01"}, {"two_lines", "old"}),
    ],
)
def test_date_range_and_the_listings_filters(shop_site, orders, params, names):
    _header, rows = table(export(shop_site, rows="orders", **params))
    assert {row["order"] for row in rows} == {orders[n].number for n in names}


@pytest.mark.parametrize(
    "params, says",
    [
        ({"from": "yesterday"}, "from is not a date"),
        ({"to": "2025-02-30"}, "to is not a date"),
        ({"created.min": "2025-13-01"}, "created.min is not a date"),
        ({"from": "2025-03-01", "to": "2025-02-01"}, "ends (2025-02-01) before"),
        ({"rows": "customers"}, "rows is one of"),
    ],
)
@pytest.mark.parametrize("view", ["orders/@@orders-csv", "@orders-csv"])
def test_bad_parameters_are_a_400(shop_site, orders, params, says, view):
    headers = {"Accept": "application/json"}
    answer = requests.get(
        f"{shop_site.absolute_url()}/{view}",
        params=params,
        auth=STAFF,
        headers=headers,
        timeout=30,
    )
    assert answer.status_code == 400
    assert says in answer.text
    if view == "@orders-csv":
        assert answer.json()["error"]["type"] == "BadRequest"


def test_formula_injection_is_defused(shop_site, orders):
    _header, rows = table(export(shop_site, rows="orders"))
    evil = {row["order"]: row for row in rows}[orders["evil"].number]
    assert evil["first name"] == '\'=HYPERLINK("x")'


def test_the_file_is_sent_as_it_is_made(shop_site, orders, monkeypatch):
    # A chunk per order's rows: the body comes in more than one piece,
    # without a length known beforehand.
    monkeypatch.setattr(streaming, "CHUNK", 1)
    answer = export(shop_site, stream=True)
    assert answer.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in answer.headers
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.headers["Cache-Control"] == "private, no-store"
    pieces = list(answer.raw.stream(decode_content=False))
    assert len(pieces) > 1
    text = b"".join(pieces).decode("utf-8-sig")
    assert len(text.splitlines()) == 5  # the header and 4 lines


def in_a_stream(render):
    catalog = api.portal.get_tool("portal_catalog")
    results = catalog.unrestrictedSearchResults(portal_type="Order", sort_on="created")
    rids = streaming.record_ids(results)
    assert len(rids) == len(results)
    return streaming.CatalogStream(catalog, rids, render)


def test_the_stream_lets_go_of_objects(shop_site, orders, monkeypatch):
    monkeypatch.setattr(streaming, "BATCH", 2)
    loaded, ghosts = [], []

    def render(found):
        for _brain, order in found:
            # Which orders loaded before this one are ghosts again.
            ghosts.append([earlier._p_changed is None for earlier in loaded])
            loaded.append(order)
            yield order.number

    assert len(b"".join(in_a_stream(render))) == 3 * len(orders["old"].number)
    assert ghosts == [[], [False], [True, True]]  # released after 2


def test_an_order_gone_since_the_search_is_left_out(shop_site, orders):
    stream = in_a_stream(lambda found: (o.number + " " for _brain, o in found))
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(orders["old"])
    transaction.commit()
    assert b"".join(stream).decode().split() == [
        orders["two_lines"].number,
        orders["evil"].number,
    ]


def test_over_rest_for_staff(shop_site, orders):
    answer = requests.get(
        f"{shop_site.absolute_url()}/++api++/@orders-csv",
        params={"rows": "orders", "review_state": "paid"},
        auth=STAFF,
        timeout=30,
    )
    _header, rows = table(answer)
    assert [row["order"] for row in rows] == [orders["two_lines"].number]
    assert rows[0]["refunded"] == "20.00"


@pytest.mark.parametrize("view", ["orders/@@orders-csv", "++api++/@orders-csv"])
def test_staff_only(shop_site, orders, view):
    api.user.create(email="m@example.org", username="member1", password="pw-123456789")
    setRoles(shop_site, "member1", ["Member"])
    transaction.commit()
    for auth in (None, ("member1", "pw-123456789")):
        answer = export(shop_site, auth=auth, view=view)
        assert "Lovelace" not in answer.text
        assert not answer.headers.get("Content-Type", "").startswith("text/csv")
