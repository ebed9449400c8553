"""Members attach their earlier guest orders, after proving their address."""

from getpaid.orders import api as shop
from getpaid.orders.api.claim import check_claim_token
from getpaid.orders.api.claim import claim_token
from plone import api
from plone.app.testing import setRoles
from plone.testing.zope import Browser

import re
import time
import transaction


def member(shop_site, user_id, email):
    api.user.create(email=email, username=user_id, password="secret-pw-1234")
    setRoles(shop_site, user_id, ["Member"])


def browser_for(app, user_id):
    browser = Browser(app)
    browser.handleErrors = True
    browser.addHeader("Accept", "text/html")
    browser.addHeader("Authorization", f"Basic {user_id}:secret-pw-1234")
    return browser


def test_claim_through_the_mailed_link(shop_site, customer, functional_app, inbox):
    member(shop_site, "ada", "Ada@Example.org")
    member(shop_site, "eve", "eve@example.org")
    guest = shop.checkout([(shop_site["mug"], 1)], customer).order
    eves = shop.checkout([(shop_site["tee"], 1)], customer, buyer_id="eve").order
    transaction.commit()
    inbox.wait_for(4)
    inbox.received.clear()

    browser = browser_for(functional_app, "ada")
    browser.open(shop_site.absolute_url() + "/@@my-orders")
    assert guest.number not in browser.contents
    browser.getControl("Find my earlier orders").click()
    ((_, recipients, message),) = inbox.wait_for(1)
    assert recipients == ["Ada@Example.org"]
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"(http\S+@@claim-orders\?token=\S+)", text)
    browser.open(link.group(1))
    assert "1 orders attached" in browser.contents
    assert guest.number in browser.contents
    assert eves.number not in browser.contents  # another member's stays theirs
    transaction.begin()
    assert (guest.buyer_id, eves.buyer_id) == ("ada", "eve")
    assert guest.history[-1].action == "claimed"


def test_someone_elses_claim_link_attaches_nothing(shop_site, customer, functional_app):
    member(shop_site, "ada", "ada@example.org")
    member(shop_site, "mallory", "ada@example.org")  # same address, no mailbox
    guest = shop.checkout([(shop_site["mug"], 1)], customer).order
    transaction.commit()
    stolen = claim_token("ada", "ada@example.org")
    browser = browser_for(functional_app, "mallory")
    browser.open(f"{shop_site.absolute_url()}/@@claim-orders?token={stolen}")
    assert "not valid" in browser.contents
    transaction.begin()
    assert guest.buyer_id is None


def test_claim_tokens_expire_and_bind(portal):
    token = claim_token("ada", "ada@example.org")
    assert check_claim_token(token, "ada", "ADA@example.org")
    assert not check_claim_token(token, "eve", "ada@example.org")
    assert not check_claim_token(token, "ada", "eve@example.org")
    old = claim_token("ada", "ada@example.org", now=time.time() - 2 * 86400)
    assert not check_claim_token(old, "ada", "ada@example.org")
    assert not check_claim_token("garbage", "ada", "ada@example.org")


def test_a_claim_link_that_cannot_be_mailed_is_not_promised(
    shop_site, functional_app, inbox
):
    member(shop_site, "ada", "ada@example.org")
    api.portal.set_registry_record("plone.email_from_address", "")
    transaction.commit()
    browser = browser_for(functional_app, "ada")
    browser.open(shop_site.absolute_url() + "/@@my-orders")
    browser.getControl("Find my earlier orders").click()
    assert "This shop can't send e-mail at the moment." in browser.contents
    assert "We sent a link" not in browser.contents
    assert inbox.wait_for(1, timeout=1) == []
