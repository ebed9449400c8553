"""Payment records, for shop staff: linked from the order, shown verbatim."""

from getpaid.orders import api as shop
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser

import lxml.html
import pytest
import requests
import transaction


RAW = b"first_name=Ren%E9e&memo=%3Cb%3Ehi%3C%2Fb%3E&charset=windows-1252"


def browser_for(app, user, password):
    browser = Browser(app)
    browser.handleErrors = True
    browser.addHeader("Accept", "text/html")
    browser.addHeader("Authorization", f"Basic {user}:{password}")
    return browser


def test_staff_follow_a_payment_from_the_order(shop_site, customer, functional_app):
    order = shop.place_order([(shop_site["mug"], 1)], customer)
    shop.record_payment(
        order,
        provider="paypal",
        txn_id="8MC585209K746392H",
        status="Completed",
        amount="12.50",
        currency="EUR",
        raw=RAW,
        charset="windows-1252",
    )
    transaction.commit()
    staff = browser_for(functional_app, SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    staff.open(order.absolute_url())
    (row,) = lxml.html.fromstring(staff.contents).cssselect(".getpaid-payments tr")
    assert row.cssselect("td")[2].text == "€12.50"  # as the page writes amounts
    staff.getLink("8MC585209K746392H").click()
    assert "Completed" in staff.contents and "12.50 EUR" in staff.contents  # raw
    assert "first_name=Ren%E9e" in staff.contents  # the raw body, as received
    assert "%3Cb%3Ehi" in staff.contents and "<b>hi</b>" not in staff.contents


def test_buyers_do_not_see_payment_records(shop_site, customer, functional_app):
    api.user.create(email="g@example.org", username="grace", password="secret-pw-1234")
    setRoles(shop_site, "grace", ["Member"])
    order = shop.place_order([(shop_site["mug"], 1)], customer, buyer_id="grace")
    payment = shop.record_payment(
        order,
        provider="paypal",
        txn_id="TXN-STAFF-ONLY",
        status="Completed",
        amount="12.50",
        currency="EUR",
    )
    transaction.commit()
    grace = browser_for(functional_app, "grace", "secret-pw-1234")
    grace.open(order.absolute_url())
    # (Not "T1": an ISO time on the page has it between 10:00 and 19:59.)
    assert "Order total" in grace.contents
    assert "TXN-STAFF-ONLY" not in grace.contents
    grace.open(payment.absolute_url())
    assert "insufficient-privileges" in grace.url
    # Nor through Plone's folder views or plone.restapi.
    grace.open(order.absolute_url() + "/listing_view")
    assert "TXN-STAFF-ONLY" not in grace.contents
    answer = requests.get(
        payment.absolute_url(),
        headers={"Accept": "application/json"},
        auth=("grace", "secret-pw-1234"),
        timeout=30,
    )
    assert answer.status_code == 401 and "TXN-STAFF-ONLY" not in answer.text


@pytest.mark.parametrize("currency", ["USD", "XXX"])
def test_a_payment_in_another_currency_shows_its_code(
    shop_site, customer, functional_app, currency
):
    order = shop.place_order([(shop_site["mug"], 1)], customer)
    shop.record_payment(
        order,
        provider="paypal",
        txn_id="TXN-MISMATCH",
        status="Completed",
        amount="12.50",
        currency=currency,
    )
    transaction.commit()
    staff = browser_for(functional_app, SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    staff.open(order.absolute_url())
    (row,) = lxml.html.fromstring(staff.contents).cssselect(".getpaid-payments tr")
    assert row.cssselect("td")[2].text == f"12.50 {currency}"
