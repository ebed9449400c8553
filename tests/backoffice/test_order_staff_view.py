"""What staff see on an order's page: its history, and a payment problem to
deal with; customers see neither."""

from getpaid.orders import api as shop
from plone.testing.zope import Browser

import lxml.html
import pytest
import re
import transaction


PROBLEM = "PayPal 8MC58: paid after it was canceled: refund it"


@pytest.fixture
def placed(shop_site, customer):
    placed = shop.checkout([(shop_site["mug"], 1)], customer)
    shop.mark_paid(placed.order, comment="Bank transfer arrived")
    transaction.commit()
    return placed


def history_table(html: str) -> list[list[str]]:
    page = lxml.html.fromstring(html)
    rows = page.cssselect("section.getpaid-history tbody tr")
    return [[cell.text_content().strip() for cell in row] for row in rows]


def test_staff_see_the_history(placed, staff):
    staff.open(placed.order.absolute_url())
    rows = history_table(staff.contents)
    paid = rows[-1]
    assert paid[2] == "Mark paid: Created → Paid"  # the workflow's titles
    assert paid[3] == "Bank transfer arrived"
    assert "(payment provider)" in paid[1]


def test_a_problem_is_shown_and_dealt_with(placed, staff):
    placed.order.attention = PROBLEM
    transaction.commit()
    staff.open(placed.order.absolute_url())
    (banner,) = lxml.html.fromstring(staff.contents).cssselect(".getpaid-attention")
    assert PROBLEM in banner.text_content()

    staff.getControl(name="comment").value = "Refunded in PayPal"
    staff.getControl("Mark as dealt with").click()
    assert "Marked as dealt with." in staff.contents
    assert not lxml.html.fromstring(staff.contents).cssselect(".getpaid-attention")
    transaction.begin()
    assert placed.order.attention == ""
    entry = placed.order.history[-1]
    assert (entry.action, entry.old, entry.comment) == (
        "attention cleared",
        PROBLEM,
        "Refunded in PayPal",
    )


def test_the_listing_marks_orders_that_need_attention(placed, staff):
    placed.order.attention = PROBLEM
    placed.order.reindexObject()
    transaction.commit()
    orders_url = placed.order.aq_parent.absolute_url()
    staff.open(orders_url)
    (badge,) = lxml.html.fromstring(staff.contents).cssselect(
        ".getpaid-attention-badge"
    )
    assert badge.get("title") == PROBLEM

    staff.open(placed.order.absolute_url())
    staff.getControl("Mark as dealt with").click()
    staff.open(orders_url)
    assert "getpaid-attention-badge" not in staff.contents


def test_the_listing_shows_only_orders_that_need_attention(
    shop_site, customer, placed, staff
):
    calm = shop.checkout([(shop_site["mug"], 2)], customer).order
    placed.order.attention = PROBLEM
    placed.order.reindexObject()
    transaction.commit()
    orders_url = placed.order.aq_parent.absolute_url()

    staff.open(orders_url)
    assert listed_numbers(staff.contents) == {placed.order.number, calm.number}
    assert attention_count(staff.contents) == "1"
    staff.getControl(name="needs_attention").value = True
    staff.getForm(action=re.escape(orders_url) + "$").submit()  # not Plone's
    assert listed_numbers(staff.contents) == {placed.order.number}
    assert staff.getControl(name="needs_attention").value == ["1"]  # kept ticked
    assert "needs_attention=1" in staff.getLink("Download as CSV").url

    staff.open(placed.order.absolute_url())
    staff.getControl("Mark as dealt with").click()
    staff.open(orders_url + "?needs_attention=1")
    assert listed_numbers(staff.contents) == set()
    assert attention_count(staff.contents) == "0"


def test_orders_without_a_problem_stay_out_of_the_attention_index(placed):
    index = placed.order.portal_catalog._catalog.indexes["needs_attention"]
    assert index.numObjects() == 0  # checkouts never write to it
    placed.order.attention = PROBLEM
    placed.order.reindexObject()
    transaction.commit()  # runs the indexing queue
    assert index.numObjects() == 1


def listed_numbers(html: str) -> set[str]:
    return {a.text for a in lxml.html.fromstring(html).cssselect("a.getpaid-number")}


def attention_count(html: str) -> str:
    page = lxml.html.fromstring(html)
    return page.cssselect(".getpaid-attention-count")[0].text_content()


def test_customers_see_neither(shop_site, placed, functional_app):
    placed.order.attention = PROBLEM
    transaction.commit()
    browser = Browser(functional_app)
    browser.handleErrors = True
    browser.open(f"{shop_site.absolute_url()}/@@order-status/{placed.owner_token}")
    assert placed.order.number in browser.contents
    assert "getpaid-history" not in browser.contents
    assert PROBLEM not in browser.contents


def test_only_staff_may_clear_and_only_by_post(placed, staff, functional_app):
    placed.order.attention = PROBLEM
    transaction.commit()
    anonymous = Browser(functional_app)
    anonymous.handleErrors = True
    anonymous.post(placed.order.absolute_url() + "/clear-attention", "comment=x")
    assert "login" in anonymous.url  # Plone asks who you are
    staff.raiseHttpErrors = False
    staff.open(placed.order.absolute_url() + "/clear-attention")
    assert staff.headers["status"].startswith("404")
    transaction.begin()
    assert placed.order.attention == PROBLEM


def test_staff_read_the_customers_comment_where_they_handle_the_order(
    shop_site, customer, staff, functional_app
):
    comment = "Gift wrap, please.\n<b>Ring twice</b>: the bell is broken."
    placed = shop.checkout([(shop_site["mug"], 1)], customer, comment=comment)
    transaction.commit()
    for page in ("", "/@@edit-order"):
        staff.open(placed.order.absolute_url() + page)
        (shown,) = lxml.html.fromstring(staff.contents).cssselect(
            ".getpaid-customer-comment p"
        )
        assert shown.text_content() == comment  # as written, markup as text
        assert "<b>Ring" not in staff.contents
    # Not for whoever holds a share link: names and words stay private.
    share = shop.create_link(placed.order, "status")
    transaction.commit()
    browser = Browser(functional_app)
    browser.open(f"{shop_site.absolute_url()}/@@order-status/{share}")
    assert "Ring twice" not in browser.contents
