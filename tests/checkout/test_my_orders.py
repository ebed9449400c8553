""" "My orders": a member sees their own orders and no one else's."""

from getpaid.orders import api as shop
from plone import api
from plone.app.testing import setRoles
from plone.testing.zope import Browser

import lxml.html
import pytest
import transaction


@pytest.fixture
def members(shop_site):
    for user_id in ("grace", "alan"):
        api.user.create(
            email=f"{user_id}@example.org", username=user_id, password="secret-pw-1234"
        )
        setRoles(shop_site, user_id, ["Member"])
    transaction.commit()


def browser_for(app, user_id=None):
    browser = Browser(app)
    browser.handleErrors = True
    browser.addHeader("Accept", "text/html")
    if user_id:
        browser.addHeader("Authorization", f"Basic {user_id}:secret-pw-1234")
    return browser


def listed(browser) -> list[str]:
    page = lxml.html.fromstring(browser.contents)
    return [link.text for link in page.cssselect("table.getpaid-my-orders td a")]


def test_only_own_orders(shop_site, members, customer, functional_app):
    mug = shop_site["mug"]
    graces = [
        shop.checkout([(mug, n)], customer, buyer_id="grace").order.number
        for n in (1, 2)
    ]
    shop.checkout([(mug, 1)], customer, buyer_id="alan")
    shop.checkout([(mug, 1)], customer)  # anonymous
    transaction.commit()

    browser = browser_for(functional_app, "grace")
    browser.open(shop_site.absolute_url() + "/@@my-orders")
    assert sorted(listed(browser)) == sorted(graces)
    assert "€25.00" in browser.contents  # the second order's total
    browser.getLink(graces[0]).click()
    assert "Order total" in browser.contents


def test_member_cannot_open_another_members_order(
    shop_site, members, customer, functional_app
):
    alans = shop.checkout([(shop_site["mug"], 1)], customer, buyer_id="alan").order
    transaction.commit()
    browser = browser_for(functional_app, "grace")
    browser.open(alans.absolute_url())
    assert "Order total" not in browser.contents
    assert "Insufficient Privileges" in browser.contents or "login" in browser.url


def test_no_orders_yet(shop_site, members, functional_app):
    browser = browser_for(functional_app, "alan")
    browser.open(shop_site.absolute_url() + "/@@my-orders")
    assert "You have no orders yet." in browser.contents


def test_anonymous_is_asked_to_log_in(shop_site, functional_app):
    browser = browser_for(functional_app)
    browser.open(shop_site.absolute_url() + "/@@my-orders")
    assert "login" in browser.url


def test_my_orders_in_the_user_menu(shop_site):
    actions = shop_site.portal_actions.user
    assert actions["getpaid-my-orders"].url_expr.endswith("/@@my-orders")


def test_member_shares_from_the_order_page(
    shop_site, members, customer, functional_app
):
    order = shop.checkout([(shop_site["mug"], 1)], customer, buyer_id="grace").order
    transaction.commit()
    browser = browser_for(functional_app, "grace")
    browser.open(order.absolute_url())
    browser.getControl("Make a share link").click()
    page = lxml.html.fromstring(browser.contents)
    share_url = page.cssselect(".getpaid-new-share code")[0].text
    anonymous = browser_for(functional_app)
    anonymous.open(share_url)
    assert "Mug" in anonymous.contents and "12.50" not in anonymous.contents
    browser.open(order.absolute_url())
    browser.getControl("Revoke").click()
    from urllib.error import HTTPError

    with pytest.raises(HTTPError):
        anonymous.open(share_url)


def test_other_members_cannot_share(shop_site, members, customer, functional_app):
    order = shop.checkout([(shop_site["mug"], 1)], customer, buyer_id="grace").order
    transaction.commit()
    browser = browser_for(functional_app, "alan")
    browser.post(order.absolute_url() + "/share", "")
    assert "getpaid-new-share" not in browser.contents
    transaction.begin()
    assert [link.kind for link in order.secret_links] == ["owner"]
