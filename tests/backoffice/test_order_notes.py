"""Staff's notes on an order, over HTTP: added on the order page and over
REST (``POST <order>/@notes``), read by whom access allows, a note for the
customer mailed to them in their language, an internal one never."""

from getpaid.orders import _
from getpaid.orders import api as shop
from getpaid.orders.api.links import STATUS
from getpaid.orders.api.notes import MAX_NOTE
from getpaid.orders.mail.sending import shop_name
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser
from zope.i18n import translate

import lxml.html
import pytest
import requests
import transaction


STAFF = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
GRACE = ("grace", "secret-pw-1234")
FOR_YOU = "Your mug ships on Monday.\nTracking: DHL 00340434"
BETWEEN_US = "Called her: she prefers DHL. Don't tell about the delay."


@pytest.fixture
def placed(shop_site, customer, inbox):
    api.user.create(email="g@example.org", username="grace", password=GRACE[1])
    setRoles(shop_site, "grace", ["Member"])
    placed = shop.checkout([(shop_site["mug"], 1)], customer, buyer_id="grace")
    transaction.commit()
    inbox.wait_for(2)  # the confirmation and the shop's New order mail
    inbox.received.clear()
    return placed


def add_on_page(staff, order, text, for_customer):
    staff.open(order.absolute_url())
    staff.getControl(name="text").value = text
    staff.getControl(name="for_customer").value = ["1"] if for_customer else []
    staff.getControl("Add the note").click()


def notes_on(html: str) -> list[str]:
    page = lxml.html.fromstring(html)
    return [p.text_content() for p in page.cssselect(".getpaid-note-text")]


def browse(functional_app, url, auth=None) -> str:
    browser = Browser(functional_app)
    browser.handleErrors = True
    if auth:
        browser.addHeader("Authorization", "Basic {}:{}".format(*auth))
    browser.open(url)
    return browser.contents


def test_staff_add_both_kinds_and_each_viewer_reads_its_own(
    shop_site, placed, staff, functional_app, inbox
):
    order = placed.order
    add_on_page(staff, order, FOR_YOU, True)
    assert "Note added; the customer gets it by e-mail." in staff.contents
    add_on_page(staff, order, BETWEEN_US, False)
    assert "Internal note added." in staff.contents

    page = lxml.html.fromstring(staff.contents)
    assert notes_on(staff.contents) == [FOR_YOU, BETWEEN_US]
    (internal,) = page.cssselect(".getpaid-note-internal .getpaid-note-text")
    assert internal.text_content() == BETWEEN_US
    history = [row.text_content() for row in page.cssselect(".getpaid-history tr")]
    assert any("Note for the customer added" in row for row in history)
    assert any("Internal note added" in row for row in history)
    assert FOR_YOU not in "".join(history)  # the note keeps its words, once

    status = f"{shop_site.absolute_url()}/@@order-status"
    owner = browse(functional_app, f"{status}/{placed.owner_token}")
    assert notes_on(owner) == [FOR_YOU]
    assert "Don't tell" not in owner and "getpaid-add-note" not in owner
    buyer = browse(functional_app, order.absolute_url(), auth=GRACE)
    assert notes_on(buyer) == [FOR_YOU] and "Don't tell" not in buyer

    share = shop.create_link(order, STATUS)
    transaction.commit()
    shared = browse(functional_app, f"{status}/{share}")
    assert order.number in shared
    assert "getpaid-notes" not in shared
    assert "DHL" not in shared

    transaction.begin()
    assert [(n.text, n.for_customer, n.author) for n in order.notes] == [
        (FOR_YOU, True, SITE_OWNER_NAME),
        (BETWEEN_US, False, SITE_OWNER_NAME),
    ]
    # One mail, to the customer, with the customer's note only.
    ((_sender, recipients, message),) = inbox.wait_for(1)
    assert recipients == ["ada@example.org"]
    text = message.get_body(("plain",)).get_content()
    assert "Tracking: DHL 00340434" in text and "Don't tell" not in text
    assert len(inbox.wait_for(2, timeout=1)) == 1  # the internal note: none


@pytest.mark.parametrize(
    "text, words",
    [("x" * (MAX_NOTE + 1), f"at most {MAX_NOTE}"), ("   ", "needs some text")],
    ids=["too long", "empty"],
)
def test_a_note_that_wont_do_is_shown_again_and_nothing_kept(
    placed, staff, inbox, text, words
):
    history = len(placed.order.history)
    add_on_page(staff, placed.order, text, True)
    (error,) = lxml.html.fromstring(staff.contents).cssselect("#getpaid-note-error")
    assert words in error.text_content()
    assert staff.getControl(name="text").value == text  # to fix, not retype
    assert staff.getControl(name="for_customer").value == ["1"]  # still ticked
    transaction.begin()
    assert placed.order.notes == ()
    assert len(placed.order.history) == history
    assert inbox.wait_for(1, timeout=1) == []


def test_only_staff_add_notes_and_only_by_post(placed, staff, functional_app):
    url = placed.order.absolute_url() + "/add-note"
    for auth in (None, GRACE):
        browser = Browser(functional_app)
        browser.handleErrors = True
        if auth:
            browser.addHeader("Authorization", "Basic {}:{}".format(*auth))
        browser.post(url, "text=Hello&for_customer=1")
        assert browser.url.split("?")[0].rsplit("/", 1)[-1] in (
            "login",  # Plone asks who you are
            "insufficient-privileges",  # a member who isn't staff
        )
    staff.raiseHttpErrors = False
    staff.open(url)
    assert staff.headers["status"].startswith("404")
    staff.post(url, "text=Hello&for_customer=1")  # no CSRF token
    assert staff.headers["status"].startswith("403")
    transaction.begin()
    assert placed.order.notes == ()


def post_note(order, body, auth=STAFF, **kwargs):
    return requests.post(
        f"{order.absolute_url()}/@notes",
        auth=auth,
        headers={"Accept": "application/json"},
        timeout=30,
        **({"json": body} if body is not None else {}),
        **kwargs,
    )


def test_staff_add_notes_over_rest_and_each_viewer_reads_its_own(
    shop_site, placed, inbox
):
    order = placed.order
    made = post_note(order, {"text": FOR_YOU, "for_customer": True})
    assert made.status_code == 201, made.text
    note = made.json()
    assert (note["text"], note["for_customer"], note["author"]) == (
        FOR_YOU,
        True,
        SITE_OWNER_NAME,
    )
    internal = post_note(order, {"text": BETWEEN_US})  # internal unless said
    assert (internal.status_code, internal.json()["for_customer"]) == (201, False)

    def notes(url, auth=None):
        answer = requests.get(
            url, auth=auth, headers={"Accept": "application/json"}, timeout=30
        )
        assert answer.status_code == 200, answer.text
        return answer.json().get("notes")

    staff = notes(order.absolute_url(), STAFF)
    assert [(n["text"], n["for_customer"]) for n in staff] == [
        (FOR_YOU, True),
        (BETWEEN_US, False),
    ]
    status = f"{shop_site.absolute_url()}/@order-status"
    for customer in (
        notes(order.absolute_url(), GRACE),
        notes(f"{status}/{placed.owner_token}"),
    ):
        (seen,) = customer
        assert seen["text"] == FOR_YOU and set(seen) == {"when", "text"}
    transaction.begin()  # the order as the server committed it
    share = shop.create_link(order, STATUS)
    transaction.commit()
    assert notes(f"{status}/{share}") is None
    ((_sender, recipients, _message),) = inbox.wait_for(1)
    assert recipients == ["ada@example.org"]
    assert len(inbox.wait_for(2, timeout=1)) == 1  # the internal note: none


@pytest.mark.parametrize(
    "body, words",
    [
        ({"text": ""}, "needs some text"),
        ({"text": "  \n "}, "needs some text"),
        ({}, "needs some text"),
        ({"text": "x" * (MAX_NOTE + 1)}, f"at most {MAX_NOTE}"),
        ({"text": "Hi\u202e"}, "can't be printed"),
        ({"text": ["Hi"]}, "is text"),
        ({"text": "Hi", "for_customer": "yes"}, "true or false"),
        (["Hi"], "JSON object"),
    ],
    ids=[
        "empty",
        "blank",
        "no text",
        "too long",
        "bidi",
        "list",
        "for whom",
        "no object",
    ],
)
def test_rest_refuses_what_wont_do_and_keeps_nothing(placed, inbox, body, words):
    history = len(placed.order.history)
    answer = post_note(placed.order, body)
    assert answer.status_code == 400, answer.text[:2000]
    assert answer.json()["error"]["type"] == "BadRequest"
    assert words in answer.json()["error"]["message"]
    transaction.begin()
    assert placed.order.notes == ()
    assert len(placed.order.history) == history
    assert inbox.wait_for(1, timeout=1) == []


def test_rest_refuses_malformed_json(placed):
    answer = post_note(placed.order, None, data="{not json")
    assert answer.status_code == 400
    transaction.begin()
    assert placed.order.notes == ()


@pytest.mark.parametrize("auth", [None, GRACE], ids=["anonymous", "the buyer"])
def test_only_staff_add_notes_over_rest(placed, inbox, auth):
    answer = post_note(placed.order, {"text": "Hi", "for_customer": True}, auth=auth)
    assert answer.status_code == 401
    transaction.begin()
    assert placed.order.notes == ()
    assert inbox.wait_for(1, timeout=1) == []


def test_the_customers_note_is_mailed_in_their_language(placed, inbox):
    """Ordered in German on an English shop, staff writing in English: the
    mail around the note is German."""
    order = placed.order
    order.customer_language = "de"
    transaction.commit()
    assert post_note(order, {"text": FOR_YOU, "for_customer": True}).ok
    ((_sender, recipients, message),) = inbox.wait_for(1)
    assert recipients == ["ada@example.org"]
    subject = _(
        "A note about your order ${number} at ${shop}",
        mapping={"number": order.number, "shop": shop_name()},
    )
    assert message["Subject"] == translate(
        subject, domain="getpaid.orders", target_language="de"
    )
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Guten Tag Ada Lovelace,")
    assert "  Your mug ships on Monday.\n  Tracking: DHL 00340434\n" in text
    html = message.get_body(("html",)).get_content()
    assert "Tracking: DHL 00340434" in html
