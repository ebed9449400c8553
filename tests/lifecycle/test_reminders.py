"""Payment reminders over HTTP and SMTP: the sweeper mails them in the
customer's language, once, with a link to the order's page; staff send one
from the order page and over REST; the listing says how often."""

from DateTime import DateTime
from datetime import timedelta
from getpaid.orders import _
from getpaid.orders import api as shop
from getpaid.orders.api.links import link_url
from getpaid.orders.api.sweeper import sweep
from getpaid.orders.mail.sending import shop_name
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import clearRequest
from zope.globalrequest import setRequest
from zope.i18n import translate

import lxml.html
import pytest
import re
import requests
import threading
import transaction


STAFF = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
GRACE = ("grace", "secret-pw-1234")
HOUR = timedelta(hours=1)
LINK = re.compile(r'href="([^"]*@@order-status/[A-Za-z0-9_-]{43})"')


@pytest.fixture
def placed(shop_site, customer, inbox):
    """A German order placed by the member grace, 25 hours ago."""
    api.user.create(email="g@example.org", username="grace", password=GRACE[1])
    setRoles(shop_site, "grace", ["Member"])
    placed = shop.checkout([(shop_site["mug"], 2)], customer, buyer_id="grace")
    order = placed.order
    order.customer_language = "de"
    order.creation_date = DateTime() - 25 / 24
    order.reindexObject(idxs=["created"])  # as the sweeper's query finds it
    transaction.commit()
    inbox.wait_for(2)  # the confirmation and the shop's New order mail
    inbox.received.clear()
    return placed


def placed_at(order):
    return order.created().asdatetime()


def reminders_to(inbox, count=1, timeout=5.0) -> list:
    received = inbox.wait_for(count, timeout=timeout)
    mails = [m for _s, r, m in received if r == ["ada@example.org"]]
    inbox.received.clear()
    return mails


def link_in(message) -> str:
    (link,) = set(LINK.findall(message.get_body(("html",)).get_content()))
    return link


def opens_order(link: str, order) -> bool:
    answer = requests.get(link, timeout=30)
    return answer.status_code == 200 and order.number in answer.text


def test_the_sweeper_reminds_in_german_once_with_a_link_to_the_order(placed, inbox):
    order = placed.order
    report = sweep(placed_at(order) + 25 * HOUR)
    assert report.reminded == [f"{order.number}: first"]
    assert "reminders sent: 1" in str(report)
    (message,) = reminders_to(inbox)
    subject = _(
        "Your order ${number} at ${shop} is waiting for payment",
        mapping={"number": order.number, "shop": shop_name()},
    )
    assert message["Subject"] == translate(
        subject, domain="getpaid.orders", target_language="de"
    )
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Guten Tag Ada Lovelace,")
    first = link_in(message)
    assert opens_order(first, order)
    assert "paypal" not in first

    # Swept again, before the last reminder's time: nothing more.
    assert sweep(placed_at(order) + 30 * HOUR).reminded == []
    assert reminders_to(inbox, timeout=1) == []

    # The last one, twelve hours before the timeout: the first one's link
    # no longer opens the order, the last one's and the confirmation's do.
    assert sweep(placed_at(order) + 61 * HOUR).reminded == [f"{order.number}: last"]
    (message,) = reminders_to(inbox)
    last = link_in(message)
    assert opens_order(last, order)
    assert not opens_order(first, order)
    assert opens_order(link_url(placed.owner_token), order)
    # The last one says until when (a date the first one has none of).
    deadline = str((placed_at(order) + 72 * HOUR).year)
    assert deadline in message.get_body(("plain",)).get_content()
    assert deadline not in text

    assert sweep(placed_at(order) + 65 * HOUR).reminded == []
    assert reminders_to(inbox, timeout=1) == []
    transaction.begin()
    assert [one.kind for one in order.reminders] == ["first", "last"]
    actions = [entry.action for entry in order.history]
    assert (actions.count("first reminder"), actions.count("last reminder")) == (1, 1)


def test_no_reminder_once_paid(placed, inbox):
    order = placed.order
    shop.mark_paid(order)
    transaction.commit()
    inbox.wait_for(2)
    inbox.received.clear()
    assert sweep(placed_at(order) + 25 * HOUR).reminded == []
    assert sweep(placed_at(order) + 61 * HOUR).reminded == []
    assert reminders_to(inbox, timeout=1) == []


def test_staff_remind_from_the_order_page(placed, staff, inbox):
    order = placed.order
    staff.open(order.absolute_url())
    staff.getControl("Remind the customer to pay").click()
    assert "The customer gets a reminder to pay by e-mail." in staff.contents
    (message,) = reminders_to(inbox)
    assert opens_order(link_in(message), order)
    page = lxml.html.fromstring(staff.contents)
    history = [row.text_content() for row in page.cssselect(".getpaid-history tr")]
    assert any("Payment reminder sent" in row for row in history)
    # A manual reminder took the first one's place: the sweeper sends none.
    assert sweep(placed_at(order) + 25 * HOUR).reminded == []


def test_the_page_offers_no_reminder_once_paid(placed, staff):
    shop.mark_paid(placed.order)
    transaction.commit()
    staff.open(placed.order.absolute_url())
    assert "Remind the customer to pay" not in staff.contents


def test_the_page_action_needs_staff_and_a_post(placed, functional_app):
    url = f"{placed.order.absolute_url()}/send-reminder"
    for auth in (None, GRACE):
        answer = requests.post(url, auth=auth, timeout=30, allow_redirects=False)
        assert answer.status_code in (302, 401, 403), answer.status_code
        if answer.status_code == 302:  # to the login form
            assert "login" in answer.headers["Location"]
    # Staff, but without the form's CSRF token: refused.
    answer = requests.post(url, auth=STAFF, timeout=30, allow_redirects=False)
    assert answer.status_code == 403
    transaction.begin()
    assert placed.order.reminders == ()


def test_staff_remind_over_rest(placed, admin_rest, inbox):
    order = placed.order
    answer = admin_rest.post(f"{order.absolute_url()}/@send-reminder")
    assert answer.status_code == 201, answer.text
    assert answer.json()["kind"] == "manual"
    assert answer.json()["actor"] == SITE_OWNER_NAME
    (message,) = reminders_to(inbox)
    assert opens_order(link_in(message), order)
    data = admin_rest.get(order.absolute_url()).json()
    assert [one["kind"] for one in data["reminders"]] == ["manual"]


@pytest.mark.parametrize("auth", [None, GRACE], ids=["anonymous", "the buyer"])
def test_only_staff_remind_over_rest(placed, inbox, auth):
    answer = requests.post(
        f"{placed.order.absolute_url()}/@send-reminder",
        headers={"Accept": "application/json"},
        auth=auth,
        timeout=30,
    )
    assert answer.status_code == 401
    transaction.begin()
    assert placed.order.reminders == ()
    assert inbox.wait_for(1, timeout=1) == []


def test_rest_refuses_a_paid_order_with_409(placed, admin_rest, inbox):
    shop.mark_paid(placed.order)
    transaction.commit()
    inbox.wait_for(2)
    inbox.received.clear()
    answer = admin_rest.post(f"{placed.order.absolute_url()}/@send-reminder")
    assert answer.status_code == 409
    assert "not waiting for payment" in answer.json()["error"]["message"]
    transaction.begin()
    assert placed.order.reminders == ()
    assert inbox.wait_for(1, timeout=1) == []


def test_the_listing_says_how_often(placed, staff, admin_rest, shop_site):
    order = placed.order
    for _n in range(2):
        assert admin_rest.post(f"{order.absolute_url()}/@send-reminder").ok
    staff.open(shop_site["orders"].absolute_url())
    page = lxml.html.fromstring(staff.contents)
    (reminded,) = page.cssselect(".getpaid-reminded")
    assert reminded.text_content().strip() == "Reminded twice"
    listed = admin_rest.get("@orders").json()["items"]
    assert [item["reminders"] for item in listed] == [2]


def _sweep_in_thread(db, site_id, now, reports, errors):
    connection = db.open()
    try:
        app = makerequest(connection.root()["Application"])
        setRequest(app.REQUEST)
        setSite(app[site_id])
        reports.append(sweep(now, batch_size=5))
    except Exception as error:
        errors.append(repr(error))
    finally:
        setSite(None)
        clearRequest()
        transaction.abort()
        connection.close()


def test_two_sweepers_at_once_remind_each_order_once(
    functional, shop_site, customer, inbox
):
    orders = [shop.checkout([(shop_site["mug"], 1)], customer).order for _ in range(20)]
    for order in orders:
        order.creation_date = DateTime() - 25 / 24
        order.reindexObject(idxs=["created"])
    transaction.commit()
    inbox.wait_for(40)
    inbox.received.clear()
    now = max(placed_at(order) for order in orders) + 25 * HOUR
    reports, errors = [], []
    threads = [
        threading.Thread(
            target=_sweep_in_thread,
            args=(functional["zodbDB"], shop_site.getId(), now, reports, errors),
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    reminded = [entry for report in reports for entry in report.reminded]
    assert sorted(reminded) == sorted(f"{order.number}: first" for order in orders)
    mails = reminders_to(inbox, count=20)
    assert len(mails) == 20
    assert inbox.wait_for(21, timeout=2) == []  # no second one arrives
    transaction.begin()
    for order in orders:
        assert [one.kind for one in order.reminders] == ["first"]
