"""Shared by the HTTP tests: an SMTP server on loopback, a shop that mails,
and the PayPal simulator.
"""

from aiosmtpd.controller import Controller
from decimal import Decimal
from email import message_from_bytes
from email import policy
from getpaid.orders.setuphandlers.demo import _image
from getpaid.orders.setuphandlers.install import SHOP_VIEW
from pathlib import Path
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.restapi.testing import RelativeSession
from plone.testing.zope import Browser
from zope.sendmail.queue import MAX_SEND_TIME

import os
import pytest
import socket
import sys
import time
import transaction


sys.path.insert(0, str(Path(__file__).parents[1] / "tools"))
import paypal_simulator  # noqa: E402


class Inbox:
    """What the SMTP server received: (envelope sender, recipients, message)."""

    def __init__(self):
        self.received = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((envelope.mail_from, envelope.rcpt_tos, message))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 5.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received


def age_failed_sends(queue: Path) -> int:
    """Time passing for a mail queue: failed sends become due again now.

    zope.sendmail marks a message it sends with a ``.sending-`` link and
    leaves the mark when the mail server was unreachable; it tries again
    once the mark is older than ``MAX_SEND_TIME`` (3 hours), which
    getpaid.orders makes a minute or more after each failure
    (infrastructure/mail_queue.py).
    """
    then = time.time() - MAX_SEND_TIME - 1
    marks = list((queue / "new").glob(".sending-*"))
    for mark in marks:
        os.utime(mark, (then, then))
    return len(marks)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox():
    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def shop_site(functional_portal, inbox):
    """The functional site mailing through ``inbox``, with three products.

    The test site has no workflow for products: they are public as made.
    """
    portal = functional_portal
    # Plone's mail settings live in the registry (Site Setup → Mail).
    api.portal.set_registry_record("plone.smtp_host", "127.0.0.1")
    api.portal.set_registry_record("plone.smtp_port", inbox.port)
    api.portal.set_registry_record("plone.email_from_address", "shop@example.org")
    api.portal.set_registry_record("plone.email_from_name", "Ada's shop")
    api.portal.set_registry_record("getpaid.orders.shop_email", "orders@example.org")
    # The tests written for Payments Standard pay with it; PayPal Checkout's
    # enable it (tests/paypal_checkout).
    api.portal.set_registry_record(
        "getpaid.orders.payment_providers", ["paypal_standard"]
    )
    api.portal.set_registry_record(
        "getpaid.orders.paypal_receiver_email", "shop@example.org"
    )
    with api.env.adopt_roles(["Manager"]):
        for id, price, currency in (
            ("mug", "12.50", "EUR"),
            ("tee", "25.00", "EUR"),
            ("book", "30.00", "USD"),
        ):
            api.content.create(
                container=portal,
                type="Product",
                id=id,
                title=id.title(),
                price=Decimal(price),
                currency=currency,
            )
    transaction.commit()
    return portal


@pytest.fixture
def shop_folder(shop_site):
    """/shop shown as a shop: two products for sale (one with an image), one
    no longer for sale, and a page."""
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(
            container=shop_site, type="Folder", id="shop", title="Shop"
        )
        for id, fields in (
            ("mug", {"price": Decimal("12.50"), "image": _image((0, 0, 255), "m.png")}),
            ("tee", {"price": Decimal("25.00"), "description": "Organic cotton."}),
            ("old-hat", {"price": Decimal("5.00"), "for_sale": False}),
        ):
            api.content.create(
                container=folder, type="Product", id=id, title=id.title(), **fields
            )
        api.content.create(
            container=folder, type="Document", id="shipping", title="Shipping"
        )
        folder.setLayout(SHOP_VIEW)
    transaction.commit()
    return folder


@pytest.fixture
def staff(functional_app):
    """A browser logged in as the site owner (shop staff and more)."""
    browser = Browser(functional_app)
    browser.handleErrors = True
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    return browser


@pytest.fixture
def rest(shop_site):
    session = RelativeSession(shop_site.absolute_url())
    session.headers["Accept"] = "application/json"
    yield session
    session.close()


@pytest.fixture
def admin_rest(shop_site):
    session = RelativeSession(shop_site.absolute_url())
    session.headers["Accept"] = "application/json"
    session.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    yield session
    session.close()


@pytest.fixture
def simulator(shop_site):
    simulator, server, url = paypal_simulator.serve(0)
    simulator.retry_seconds = 0.2
    webscr = f"{url}/cgi-bin/webscr"
    api.portal.set_registry_record("getpaid.orders.paypal_mode", "custom")
    api.portal.set_registry_record("getpaid.orders.paypal_payment_url", webscr)
    api.portal.set_registry_record("getpaid.orders.paypal_verify_url", webscr)
    api.portal.set_registry_record(
        "getpaid.orders.paypal_receiver_email", "shop@example.org"
    )
    transaction.commit()
    simulator.base = url
    yield simulator
    server.shutdown()
