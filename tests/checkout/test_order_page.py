"""The order page, through its secret link and under normal security."""

from getpaid.orders import api as shop
from getpaid.orders.api.links import STATUS
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser
from urllib.error import HTTPError

import lxml.html
import pytest
import transaction


@pytest.fixture
def placed(shop_site, customer):
    placed = shop.checkout([(shop_site["mug"], 2), (shop_site["tee"], 1)], customer)
    transaction.commit()
    return placed


@pytest.fixture
def browser(functional_app):
    browser = Browser(functional_app)
    browser.handleErrors = True
    browser.addHeader("Accept", "text/html,application/xhtml+xml")  # as browsers do
    return browser


def status_url(shop_site, placed):
    return f"{shop_site.absolute_url()}/@@order-status/{placed.owner_token}"


def test_secret_link_shows_the_order(shop_site, placed, browser):
    browser.open(status_url(shop_site, placed))
    page = lxml.html.fromstring(browser.contents)
    assert placed.order.number in page.findtext(".//h1")
    rows = [
        [cell.text_content().strip() for cell in row.findall("td")]
        for row in page.cssselect("table.getpaid-order-lines tbody tr")
    ]
    assert [row[1:] for row in rows] == [
        ["Mug", "€12.50", "2", "€25.00"],
        ["Tee", "€25.00", "1", "€25.00"],
    ]
    assert page.cssselect(".getpaid-order-total")[0].text == "€50.00"
    assert "Created" in page.cssselect(".getpaid-order-state")[0].text_content()
    (billing,) = page.xpath("//h2[text()='Billing address']/following-sibling::p[1]")
    lines = [line.strip() for line in billing.itertext() if line.strip()]
    assert "United Kingdom" in lines and "GB" not in lines  # a name, not a code
    assert browser.headers["Cache-Control"] == "private, no-store"


def test_pay_with_paypal_fields(shop_site, placed, browser):
    browser.open(status_url(shop_site, placed))
    (form,) = lxml.html.fromstring(browser.contents).cssselect(
        "form.getpaid-pay-paypal_standard"
    )
    assert form.get("action") == "https://www.sandbox.paypal.com/cgi-bin/webscr"
    fields = {
        field.get("name"): field.get("value")
        for field in form.inputs
        if field.get("name")
    }
    portal_url = shop_site.absolute_url()
    assert fields["invoice"] == placed.order.number
    assert fields["custom"] == placed.order.UID()
    assert fields["notify_url"] == f"{portal_url}/@@paypal-ipn"
    assert fields["cancel_return"] == status_url(shop_site, placed)
    assert fields["return"] == status_url(shop_site, placed) + "/return/paypal_standard"
    assert (fields["cmd"], fields["upload"], fields["charset"]) == (
        "_cart",
        "1",
        "utf-8",
    )
    assert (fields["item_name_1"], fields["amount_1"], fields["quantity_1"]) == (
        "Mug",
        "12.50",
        "2",
    )
    assert fields["currency_code"] == "EUR"
    assert (fields["first_name"], fields["last_name"]) == ("Ada", "Lovelace")
    assert fields["country"] == "GB"


def test_unknown_link_is_a_plain_404(shop_site, placed, browser):
    last = placed.owner_token[-1]
    altered = placed.owner_token[:-1] + ("B" if last == "A" else "A")
    for token in ("A" * 43, "nonsense", altered):
        with pytest.raises(HTTPError) as error:
            browser.open(f"{shop_site.absolute_url()}/@@order-status/{token}")
        assert error.value.code == 404
        assert browser.headers["Content-Type"].startswith("text/html")
        assert "Traceback" not in browser.contents
        assert "Lovelace" not in browser.contents
        assert "login" not in browser.url


def test_snapshot_image_through_the_link(shop_site, customer, browser):
    from io import BytesIO
    from PIL import Image
    from plone.namedfile.file import NamedBlobImage

    data = BytesIO()
    Image.new("RGB", (800, 600), (10, 20, 30)).save(data, "PNG")
    shop_site["mug"].image = NamedBlobImage(data=data.getvalue(), filename="m.png")
    placed = shop.checkout([(shop_site["mug"], 1)], customer)
    transaction.commit()
    browser.open(status_url(shop_site, placed))
    (img,) = lxml.html.fromstring(browser.contents).cssselect("img[width='80']")
    browser.open(img.get("src"))
    assert browser.headers["Content-Type"].startswith("image/")
    assert Image.open(BytesIO(browser.contents)).size == (400, 300)


def test_cancel_through_the_link(shop_site, placed, browser):
    browser.open(status_url(shop_site, placed))
    browser.getControl("Cancel this order").click()
    assert "has been canceled" in browser.contents
    assert "Canceled" in browser.contents
    assert "Pay with PayPal" not in browser.contents


def test_a_timed_out_order_can_be_canceled_not_paid_through_the_link(
    shop_site, placed, browser
):
    """The workflow lets the owner cancel a timed-out order; the page offers
    what the workflow allows (it offered nothing before)."""
    with api.env.adopt_roles(["Manager"]):
        shop.time_out(placed.order)
    transaction.commit()
    browser.open(status_url(shop_site, placed))
    assert "Pay with PayPal" not in browser.contents
    browser.getControl("Cancel this order").click()
    assert "has been canceled" in browser.contents
    transaction.begin()
    assert api.content.get_state(placed.order) == "canceled"
    assert placed.order.history[-1].source == "customer"


def test_a_share_link_shows_the_state_without_payment_notices(
    shop_site, placed, browser
):
    share = shop.create_link(placed.order, STATUS)
    with api.env.adopt_roles(["Manager"]):
        shop.cancel_order(placed.order, source=SOURCE_MANAGER)
    transaction.commit()
    browser.open(f"{shop_site.absolute_url()}/@@order-status/{share}")
    assert "Canceled" in browser.contents
    assert "refund" not in browser.contents  # meant for whoever paid


def test_cancel_needs_the_form_token(shop_site, placed, browser):
    with pytest.raises(HTTPError) as error:
        browser.post(status_url(shop_site, placed) + "/cancel", "")
    assert error.value.code == 403
    transaction.begin()
    from plone import api

    assert api.content.get_state(placed.order) == "created"


def test_anonymous_cannot_open_the_order_url(placed, browser):
    browser.open(placed.order.absolute_url())
    assert "require_login" in browser.url or "login" in browser.url
    assert "Lovelace" not in browser.contents


def test_staff_see_the_order_page(placed, browser):
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    browser.open(placed.order.absolute_url())
    assert "Order total" in browser.contents and "€50.00" in browser.contents
    assert "Pay with PayPal" not in browser.contents  # staff don't pay


def test_return_from_paypal_marks_nothing_paid(shop_site, placed, browser):
    browser.open(status_url(shop_site, placed) + "/return/paypal_standard")
    assert browser.url == status_url(shop_site, placed) + "?payment=confirming"
    assert "Your payment is being confirmed" in browser.contents
    # Paid at PayPal, not confirmed yet: no second payment, the page looks again.
    assert "Pay with PayPal" not in browser.contents
    assert "Cancel this order" not in browser.contents
    page = lxml.html.fromstring(browser.contents)
    assert page.cssselect("meta[http-equiv=refresh]")[0].get("content") == "5"
    transaction.begin()
    from plone import api

    assert api.content.get_state(placed.order) == "created"
    browser.open(status_url(shop_site, placed))  # the link from the mail
    assert "Pay with PayPal" in browser.contents


def test_a_pending_payment_is_not_offered_again(shop_site, placed, browser):
    placed.order.payment_pending = "echeck"
    transaction.commit()
    browser.open(status_url(shop_site, placed))
    assert "pending at the payment provider (echeck)" in browser.contents
    assert "Pay with PayPal" not in browser.contents
    assert not lxml.html.fromstring(browser.contents).cssselect(
        "meta[http-equiv=refresh]"
    )


def test_back_from_a_failed_payment_pay_again(shop_site, placed, browser):
    shop.fail_payment(placed.order)
    transaction.commit()
    browser.open(status_url(shop_site, placed) + "?paypal=return")
    assert "PayPal is confirming" not in browser.contents
    assert "Pay with PayPal" in browser.contents


def test_timed_out_order_says_what_happens_next(shop_site, placed, browser):
    shop.time_out(placed.order)
    transaction.commit()
    browser.open(status_url(shop_site, placed))
    assert "not paid in time" in browser.contents
    assert "confirm it or refund you" in browser.contents
    assert "Pay with PayPal" not in browser.contents
