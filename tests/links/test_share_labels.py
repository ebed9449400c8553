"""Share links say who they are for, on the buyer's page only."""

from getpaid.orders import api as shop
from getpaid.orders.api.links import MAX_SHARE_LINKS
from getpaid.orders.api.links import STATUS

import lxml.html
import pytest
import requests
import transaction


@pytest.fixture
def placed(shop_site, customer):
    placed = shop.checkout([(shop_site["mug"], 1)], customer)
    transaction.commit()
    return placed


def owner_page(shop_site, placed, session):
    url = f"{shop_site.absolute_url()}/@@order-status/{placed.owner_token}"
    return lxml.html.fromstring(session.get(url, timeout=30).text)


def share(page, session, label: str) -> requests.Response:
    (form,) = [f for f in page.forms if f.get("action", "").endswith("/share")]
    fields = {**dict(form.form_values()), "label": label}
    return session.post(form.get("action"), data=fields, timeout=30)


def listed(page) -> list[str]:
    items = page.cssselect("section.getpaid-share li")
    return [" ".join(li.text_content().split()) for li in items]


def test_the_buyer_sees_who_each_link_is_for(shop_site, placed):
    session = requests.Session()
    made = share(owner_page(shop_site, placed, session), session, "Grandma")
    (new_link,) = lxml.html.fromstring(made.text).cssselect(".getpaid-new-share code")
    share_url = new_link.text
    share(owner_page(shop_site, placed, session), session, "")

    shown = listed(owner_page(shop_site, placed, session))
    assert len(shown) == 2
    assert shown[0].startswith("Share link for Grandma, made ")
    assert shown[1].startswith("Share link made ")
    recipient = requests.get(share_url, timeout=30)
    assert recipient.status_code == 200 and "Grandma" not in recipient.text


def test_a_label_too_long_makes_no_link_and_says_why(shop_site, placed):
    session = requests.Session()
    answer = share(owner_page(shop_site, placed, session), session, "x" * 101)
    page = lxml.html.fromstring(answer.text)
    (error,) = page.cssselect("#getpaid-share-error")
    assert "at most 100 characters" in error.text
    (field,) = page.cssselect("#getpaid-share-label")
    assert field.get("value") == "x" * 101  # kept, to shorten
    assert field.get("aria-describedby") == "getpaid-share-error"
    assert "getpaid-new-share" not in answer.text
    transaction.begin()
    assert STATUS not in {link.kind for link in placed.order.secret_links}


def test_share_links_beyond_the_limit_are_refused_and_said(shop_site, placed):
    for _ in range(MAX_SHARE_LINKS):
        shop.create_link(placed.order, STATUS)
    transaction.commit()
    session = requests.Session()
    answer = share(owner_page(shop_site, placed, session), session, "One more")
    page = lxml.html.fromstring(answer.text)
    (error,) = page.cssselect("#getpaid-share-error")
    assert f"at most {MAX_SHARE_LINKS} share links" in error.text
    assert "getpaid-new-share" not in answer.text
    transaction.begin()
    shares = [link for link in placed.order.secret_links if link.kind == STATUS]
    assert len(shares) == MAX_SHARE_LINKS
