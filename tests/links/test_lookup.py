"""@@order-lookup: a lost link comes back by mail, and the page tells nobody
whether an order number and e-mail address belong together."""

from getpaid.orders import api as shop
from getpaid.orders.browser.lookup import ATTEMPTS_PER_HOUR
from getpaid.orders.browser.lookup import limiter
from getpaid.orders.browser.ratelimit import RateLimiter

import lxml.html
import pytest
import re
import requests
import transaction


@pytest.fixture(autouse=True)
def fresh_limits():
    limiter.clear()
    yield
    limiter.clear()


@pytest.fixture
def placed(shop_site, customer):
    placed = shop.checkout([(shop_site["mug"], 1)], customer)
    transaction.commit()
    return placed


def ask(portal_url: str, number: str, email: str) -> str:
    """The page's answer, as a customer's browser would get it."""
    session = requests.Session()
    page = lxml.html.fromstring(session.get(f"{portal_url}/@@order-lookup").text)
    form = [f for f in page.forms if f.get("action", "").endswith("@@order-lookup")][0]
    data = dict(form.form_values())
    data.update(number=number, email=email)
    answer = lxml.html.fromstring(session.post(form.get("action"), data=data).text)
    found = answer.cssselect(".getpaid-lookup-answer, .getpaid-lookup-refused")
    return found[0].text_content().strip() if found else ""


def test_match_mails_a_fresh_link(shop_site, placed, inbox):
    inbox.wait_for(2)  # the confirmation and its shop copy
    inbox.received.clear()
    answer = ask(
        shop_site.absolute_url(), placed.order.number.lower(), "ADA@example.org"
    )
    assert answer.startswith("If an order with this number")
    ((_, recipients, message),) = inbox.wait_for(1)
    assert recipients == ["ada@example.org"]
    text = message.get_body(("plain",)).get_content()
    token = re.search(r"@@order-status/([\w-]{43})", text).group(1)
    assert token != placed.owner_token
    transaction.begin()
    assert shop.find_by_token(token)[0].number == placed.order.number
    assert shop.find_by_token(placed.owner_token)  # the old one still works


@pytest.mark.parametrize(
    "number, email",
    [("261101-ZZZZZ", "ada@example.org"), (None, "grace@example.org"), (None, "")],
    ids=["unknown number", "other e-mail", "no e-mail"],
)
def test_no_match_says_the_same_and_sends_nothing(
    shop_site, placed, inbox, functional, number, email
):
    inbox.wait_for(2)
    inbox.received.clear()
    matched = ask(shop_site.absolute_url(), placed.order.number, "ada@example.org")
    inbox.wait_for(1)
    inbox.received.clear()
    db = functional["zodbDB"]
    before = db.lastTransaction()
    answer = ask(shop_site.absolute_url(), number or placed.order.number, email)
    assert answer == matched
    assert inbox.wait_for(1, timeout=1) == []
    assert db.lastTransaction() == before


def test_attempts_are_limited(shop_site, placed):
    url = shop_site.absolute_url()
    for n in range(ATTEMPTS_PER_HOUR):
        assert ask(url, f"261101-AAAA{n}", f"x{n}@example.org").startswith("If an")
    assert ask(url, placed.order.number, "ada@example.org").startswith("Too many")


def test_limiter_counts_per_key_and_forgets():
    now = [0.0]
    limiter = RateLimiter(2, window_seconds=60, clock=lambda: now[0])
    assert limiter.allow("client:a", "email:x")
    assert limiter.allow("client:b", "email:x")
    assert not limiter.allow("client:c", "email:x")  # the address is spent
    assert limiter.allow("client:c", "email:y")
    now[0] = 61
    assert limiter.allow("client:a", "email:x")


def test_a_shop_that_cannot_mail_says_so_whatever_the_order(shop_site, placed, inbox):
    from plone import api

    inbox.wait_for(2)
    inbox.received.clear()
    api.portal.set_registry_record("plone.email_from_address", "")
    transaction.commit()
    url = shop_site.absolute_url()
    matched = ask(url, placed.order.number, "ada@example.org")
    unknown = ask(url, "261101-ZZZZZ", "ada@example.org")
    assert matched == unknown
    assert matched.startswith("This shop can't send e-mail at the moment.")
    transaction.begin()
    assert len(placed.order.secret_links) == 1  # no link made for nobody
