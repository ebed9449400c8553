"""Refunds from the order page over real HTTP: staff's form, what the
page then says (to staff and to the customer), double clicks, PayPal
failing, Payments Standard."""

from getpaid.orders.api.links import link_url
from plone import api

import lxml.html
import pytest
import requests
import transaction


# The shop on the simulator, and paid orders (a plain module, not a conftest).
pytest_plugins = ["refund_fixtures"]


def messages(page) -> list[str]:
    """The status messages, as "Info: ..." or "Error: ..." (after Plone's
    hidden ``statusmessage_mtype_…``)."""
    return [
        " ".join(node.text_content().split()).split(" ", 1)[-1]
        for node in page.cssselect(".portalMessage")
    ]


def text(page, selector: str) -> str:
    (node,) = page.cssselect(selector)
    return " ".join(node.text_content().split())


def amounts(page) -> tuple[str, str]:
    """(Refunded, Paid after refunds) as the order's table shows them."""
    return tuple(
        text(page, f"tr.getpaid-order-{row} td:last-child")
        for row in ("refunded", "remaining")
    )


def refund_records(order) -> list:
    transaction.begin()
    return [record for record in order.payments() if record.amount < 0]


def test_staff_see_the_form(paid_order, staff_http):
    order, _capture = paid_order
    form = staff_http.refund_form(order)
    assert form["action"] == f"{order.absolute_url()}/@@refund"
    assert (form["amount"], form["seen"], form["note"]) == ("25.00", "0", "")
    assert form["_authenticator"]
    section = text(staff_http.page(order), "section.getpaid-refund")
    assert "Up to €25.00 can be refunded." in section
    assert "a refund can't be undone" in section
    assert not staff_http.page(order).cssselect("tr.getpaid-order-refunded")


def test_a_partial_refund_shows_refunded_and_remaining(
    paid_placed, staff_http, checkout_shop
):
    placed, _capture = paid_placed
    order = placed.order
    form = staff_http.refund_form(order)
    page = staff_http.post_refund(form, amount="10.00", note="One was broken.")
    assert messages(page) == ["Info: €10.00 was refunded."]
    assert text(page, ".getpaid-order-state strong") == "Paid"
    assert amounts(page) == ("€10.00", "€15.00")
    assert staff_http.refund_form(order)["amount"] == "15.00"
    (sent,) = checkout_shop.refunds.values()
    assert sent.fields["note_to_payer"] == "One was broken."
    # The customer sees it too, on the owner link's page.
    customer = requests.get(link_url(placed.owner_token), timeout=30)
    page = lxml.html.fromstring(customer.text)
    assert amounts(page) == ("€10.00", "€15.00")
    assert not page.cssselect("section.getpaid-refund")


def test_twice_partial_then_the_rest_refunds_the_order(
    paid_order, staff_http, checkout_shop
):
    order, _capture = paid_order
    staff_http.post_refund(staff_http.refund_form(order), amount="5.00")
    page = staff_http.post_refund(staff_http.refund_form(order), amount="5.00")
    assert amounts(page) == ("€10.00", "€15.00")
    page = staff_http.post_refund(staff_http.refund_form(order))  # the rest
    assert messages(page) == ["Info: €15.00 was refunded."]
    assert text(page, ".getpaid-order-state strong") == "Refunded"
    assert amounts(page) == ("€25.00", "€0.00")
    assert text(page, ".getpaid-refund-elsewhere") == "Nothing remains to be refunded."
    assert not page.cssselect("form.getpaid-refund-form")
    assert len(checkout_shop.refunds) == 3
    assert len(refund_records(order)) == 3


def test_a_double_click_refunds_once(paid_order, staff_http, checkout_shop):
    order, _capture = paid_order
    form = staff_http.refund_form(order)
    staff_http.post_refund(form, amount="10.00")
    page = staff_http.post_refund(form, amount="10.00")  # the same form again
    (message,) = messages(page)
    assert "A refund was recorded after this form was shown" in message
    assert amounts(page) == ("€10.00", "€15.00")
    assert len(checkout_shop.refunds) == 1
    assert len(refund_records(order)) == 1


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        ("25.01", "At most €25.00 remains to be refunded."),
        ("abc", "abc is not an amount of EUR above zero."),
        ("0", "0 is not an amount of EUR above zero."),
        ("1.001", "1.001 is not an amount of EUR above zero."),
    ],
)
def test_amounts_refused_on_the_page(
    paid_order, staff_http, checkout_shop, amount, said
):
    order, _capture = paid_order
    page = staff_http.post_refund(staff_http.refund_form(order), amount=amount)
    assert messages(page) == [f"Error: {said}"]
    assert checkout_shop.refunds == {}
    assert refund_records(order) == []
    assert text(page, ".getpaid-order-state strong") == "Paid"


def test_a_note_too_long_is_refused(paid_order, staff_http, checkout_shop):
    order, _capture = paid_order
    page = staff_http.post_refund(staff_http.refund_form(order), note="x" * 256)
    (message,) = messages(page)
    assert "256 characters long; at most 255" in message
    assert checkout_shop.refunds == {}


def test_paypal_failing_is_said_and_a_retry_refunds_once(
    paid_order, staff_http, checkout_shop
):
    order, _capture = paid_order
    checkout_shop.fail_next("refund_capture", "500")
    page = staff_http.post_refund(staff_http.refund_form(order), amount="10.00")
    (message,) = messages(page)
    assert message.startswith("Error: PayPal did not answer")
    assert refund_records(order) == []
    assert not page.cssselect("tr.getpaid-order-refunded")
    page = staff_http.post_refund(staff_http.refund_form(order), amount="10.00")
    assert messages(page) == ["Info: €10.00 was refunded."]
    assert len(checkout_shop.refunds) == 1
    assert len(refund_records(order)) == 1


def test_no_refund_without_the_csrf_token(paid_order, staff_http, checkout_shop):
    order, _capture = paid_order
    form = staff_http.refund_form(order)
    del form["_authenticator"]
    answer = staff_http.post(form.pop("action"), data=form, timeout=30)
    assert answer.status_code == 403
    assert checkout_shop.refunds == {}


def test_customers_cant_refund(paid_placed, checkout_shop):
    placed, _capture = paid_placed
    answer = requests.post(
        f"{placed.order.absolute_url()}/@@refund",
        data={"amount": "5.00", "seen": "0"},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code in (302, 401, 403)
    owner = requests.post(
        f"{link_url(placed.owner_token)}/refund", data={"amount": "5.00"}, timeout=30
    )
    assert owner.status_code in (403, 404)
    assert checkout_shop.refunds == {}


def test_a_standard_payment_says_refund_in_paypal(standard_paid_order, staff_http):
    page = staff_http.page(standard_paid_order)
    assert text(page, ".getpaid-refund-elsewhere") == (
        "Refund this payment in your PayPal account: PayPal's notification "
        "then records the refund here."
    )
    assert not page.cssselect("form.getpaid-refund-form")
    answer = staff_http.post(
        f"{standard_paid_order.absolute_url()}/@@refund",
        data={
            "amount": "5.00",
            "seen": "0",
            "_authenticator": _token(staff_http, standard_paid_order),
        },
        timeout=30,
    )
    (message,) = messages(lxml.html.fromstring(answer.text))
    assert message.startswith("Error: Refund this payment in your PayPal account")
    assert api.content.get_state(standard_paid_order) == "paid"


def _token(staff_http, order) -> str:
    page = staff_http.page(order)
    return page.cssselect("input[name=_authenticator]")[0].get("value")
