"""Staff mail the customer a new owner link over REST, as the order's pages
do: ``@reissue-links`` (every link replaced), ``@resend-order-mail`` and
``@send-payment-link``."""

from getpaid.orders import api as shop
from getpaid.orders.api.links import STATUS
from getpaid.orders.exceptions import OrderNotFound
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import re
import requests
import transaction


STAFF = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)


@pytest.fixture
def placed(shop_site, customer, inbox):
    api.user.create(email="g@example.org", username="grace", password="secret-pw-1234")
    setRoles(shop_site, "grace", ["Member"])
    placed = shop.checkout([(shop_site["mug"], 1)], customer, buyer_id="grace")
    transaction.commit()
    inbox.wait_for(2)  # the confirmation and the shop's New order mail
    inbox.received.clear()
    return placed


def reissue(order, auth=STAFF, endpoint="@reissue-links"):
    return requests.post(
        f"{order.absolute_url()}/{endpoint}",
        auth=auth,
        headers={"Accept": "application/json"},
        timeout=30,
    )


def test_staff_replace_the_links_and_the_customer_gets_the_new_one(placed, inbox):
    order = placed.order
    share = shop.create_link(order, STATUS)
    transaction.commit()

    answer = reissue(order)
    assert (answer.status_code, answer.text) == (204, "")

    transaction.begin()
    for old in (placed.owner_token, share):
        with pytest.raises(OrderNotFound):
            shop.find_by_token(old)
    assert order.history[-1].action == "links reissued"
    ((_, recipients, message),) = inbox.wait_for(1)
    assert recipients == ["ada@example.org"]
    text = message.get_body(("plain",)).get_content()
    assert "no longer works" in text
    token = re.search(r"@@order-status/([\w-]{43})", text).group(1)
    assert shop.find_by_token(token)[0].number == order.number


def test_without_mail_nothing_changes_and_staff_are_told(placed, inbox):
    api.portal.set_registry_record("plone.email_from_address", "")
    transaction.commit()
    answer = reissue(placed.order)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["type"] == "BadRequest"
    assert error["message"].startswith("No e-mail was sent")
    transaction.begin()
    assert shop.find_by_token(placed.owner_token)[0].number == placed.order.number
    assert placed.order.history[-1].action != "links reissued"
    assert inbox.wait_for(1, timeout=1) == []


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"@@order-status/([\w-]{43})", text).group(1)


@pytest.mark.parametrize("endpoint", ["@resend-order-mail", "@send-payment-link"])
def test_staff_mail_a_new_link_and_the_old_one_still_works(placed, inbox, endpoint):
    answer = reissue(placed.order, endpoint=endpoint)
    assert (answer.status_code, answer.text) == (204, "")
    ((_, recipients, message),) = inbox.wait_for(1)
    assert recipients == ["ada@example.org"]  # the shop is told nothing
    transaction.begin()  # see what the server committed
    assert shop.find_by_token(link_in(message))[0].number == placed.order.number
    assert shop.find_by_token(placed.owner_token)[0].number == placed.order.number


def test_no_payment_link_for_a_paid_order(placed, inbox):
    with api.env.adopt_roles(["Manager"]):
        shop.mark_paid(placed.order)
    transaction.commit()
    inbox.wait_for(2)  # the paid mail and its copy
    inbox.received.clear()
    links = len(placed.order.secret_links)
    answer = reissue(placed.order, endpoint="@send-payment-link")
    assert answer.status_code == 400
    assert "not waiting for payment" in answer.json()["error"]["message"]
    transaction.begin()
    assert len(placed.order.secret_links) == links
    assert inbox.wait_for(1, timeout=1) == []


@pytest.mark.parametrize(
    "endpoint", ["@reissue-links", "@resend-order-mail", "@send-payment-link"]
)
@pytest.mark.parametrize(
    "auth", [None, ("grace", "secret-pw-1234")], ids=["anonymous", "the buyer"]
)
def test_only_staff_may(placed, inbox, auth, endpoint):
    answer = reissue(placed.order, auth=auth, endpoint=endpoint)
    assert answer.status_code == 401
    transaction.begin()
    assert shop.find_by_token(placed.owner_token)[0].number == placed.order.number
    assert inbox.wait_for(1, timeout=1) == []
