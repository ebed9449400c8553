"""A mail for each state an order reaches, through a real SMTP server."""

from chameleon.template import BaseTemplate
from concurrent.futures import ThreadPoolExecutor
from getpaid.orders import api as shop
from getpaid.orders.browser.mails import StateMail
from getpaid.orders.mail.compose import render
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api
from zope.pagetemplate.pagetemplate import PTRuntimeError

import pytest
import re
import requests
import time
import transaction


@pytest.fixture
def order(shop_site, customer, inbox):
    order = shop.checkout([(shop_site["mug"], 2)], customer).order
    transaction.commit()
    inbox.wait_for(2)  # the confirmation and the shop's New order mail
    inbox.received.clear()
    return order


def mails_after(inbox, step, count=2):
    step()
    transaction.commit()
    received = list(inbox.wait_for(count))
    inbox.received.clear()
    return received


def to_customer(received):
    (message,) = [m for _, r, m in received if r == ["ada@example.org"]]
    return message


@pytest.mark.parametrize(
    "steps, state, subject, words, link",
    [
        (
            [shop.mark_paid],
            "paid",
            "Payment received",
            "we received your payment",
            False,
        ),
        ([shop.fail_payment], "payment_failed", "failed", "did not go through", True),
        ([shop.time_out], "timeout", "not paid in time", "not paid in time", False),
        (
            [lambda o: shop.cancel_order(o, source=SOURCE_MANAGER)],
            "canceled",
            "canceled",
            "has been canceled",
            False,
        ),
        ([shop.mark_paid, shop.deliver], "delivered", "on its way", "on its way", True),
        (
            [shop.mark_paid, shop.complete],
            "completed",
            "complete",
            "is complete",
            False,
        ),
        ([shop.mark_paid, shop.expire], "expired", "ended", "has ended", False),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_mail_for_each_state(
    shop_site, order, inbox, steps, state, subject, words, link
):
    with api.env.adopt_roles(["Manager"]):
        for step in steps[:-1]:
            mails_after(inbox, lambda s=step: s(order))
        received = mails_after(inbox, lambda: steps[-1](order))
    assert sorted(r for _, r, _ in received) == [
        ["ada@example.org"],
        ["orders@example.org"],
    ]
    message = to_customer(received)
    assert subject in message["Subject"] and order.number in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert words in text and words in html
    assert "2 × Mug" in text
    found = re.search(r"@@order-status/([\w-]{43})", text)
    assert bool(found) is link
    if link:
        page = requests.get(
            f"{shop_site.absolute_url()}/@@order-status/{found.group(1)}", timeout=30
        )
        assert page.status_code == 200 and order.number in page.text


def test_the_shops_copy_links_to_the_back_office_not_the_customers_page(
    shop_site, order, inbox
):
    with api.env.adopt_roles(["Manager"]):
        mails_after(inbox, lambda: shop.mark_paid(order))
        received = mails_after(inbox, lambda: shop.deliver(order))
    (copy,) = [m for _, r, m in received if r == ["orders@example.org"]]
    text = copy.get_body(("plain",)).get_content()
    assert text.startswith("Copy of the mail to Ada Lovelace (ada@example.org):")
    assert f"The order in the back office: {order.absolute_url()}" in text
    assert "@@order-status" not in text  # the customer's mail has the link
    assert "@@order-status" in to_customer(received).get_body(("plain",)).get_content()


def test_a_shop_copy_that_fails_costs_neither_state_nor_customer_mail(
    shop_site, order, inbox, caplog, monkeypatch
):
    original = StateMail.__call__

    def fails_for_the_shop(self):
        if self.for_shop:
            raise KeyError("an integrator's template")
        return original(self)

    monkeypatch.setattr(StateMail, "__call__", fails_for_the_shop)
    with api.env.adopt_roles(["Manager"]):
        received = mails_after(inbox, lambda: shop.mark_paid(order), count=1)
    assert [r for _, r, _ in received] == [["ada@example.org"]]
    assert api.content.get_state(order) == "paid"
    assert "Could not write the shop's copy of" in caplog.text


def test_a_copy_sent_by_a_cron_job_has_no_link_nobody_could_open(portal):
    from getpaid.orders.mail.states import back_office_url

    class Made:  # what a cron job's request (makerequest) gives absolute_url
        def absolute_url(self):
            return "http://nohost/plone/orders/261123-ABCDE"

    assert back_office_url(Made()) == ""


def test_shop_copy_can_be_turned_off(shop_site, order, inbox):
    api.portal.set_registry_record("getpaid.orders.notify_shop", False)
    received = mails_after(inbox, lambda: shop.mark_paid(order), count=1)
    assert [r for _, r, _ in received] == [["ada@example.org"]]


def test_without_a_sender_address_the_mail_is_skipped_and_said(
    shop_site, order, inbox, caplog
):
    api.portal.set_registry_record("plone.email_from_address", "")
    shop.mark_paid(order)
    transaction.commit()
    assert inbox.wait_for(1, timeout=1) == []
    assert f"No site e-mail address: no paid mail for {order.number}" in caplog.text


def test_mail_views_show_nothing_when_published(shop_site):
    answer = requests.get(f"{shop_site.absolute_url()}/@@getpaid-mail-paid", timeout=30)
    assert answer.status_code == 404


def test_a_template_that_failed_to_compile_still_mails(
    shop_site, order, inbox, monkeypatch
):
    """What CPython gh-106905 does to Python 3.11.7 when two threads compile
    at once (seen in the scale-out tests): the mail still leaves."""
    template = StateMail.__dict__["template"]
    monkeypatch.setattr(template, "_v_last_read", 0)  # compile at next use
    compile_template = BaseTemplate._compile
    attempts = []

    def fails_once(self, *args, **kwargs):
        attempts.append(self)
        if len(attempts) == 1:
            raise SystemError("AST constructor recursion depth mismatch")
        return compile_template(self, *args, **kwargs)

    monkeypatch.setattr(BaseTemplate, "_compile", fails_once)
    received = mails_after(inbox, lambda: shop.mark_paid(order))
    assert "Payment received" in to_customer(received)["Subject"]
    assert len(attempts) == 2


def test_mails_are_rendered_one_at_a_time():
    inside, most = [], []

    def view():
        inside.append(1)
        most.append(len(inside))
        time.sleep(0.05)
        inside.pop()
        return "<p>mail</p>"

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda _: render(view), range(4))) == ["<p>mail</p>"] * 4
    assert max(most) == 1


def test_only_a_failed_compilation_is_tried_again():
    calls = []

    def broken(error):
        def view():
            calls.append(error)
            raise error("broken")

        return view

    with pytest.raises(PTRuntimeError):
        render(broken(PTRuntimeError))
    assert calls == [PTRuntimeError] * 2
    calls.clear()
    with pytest.raises(KeyError):
        render(broken(KeyError))
    assert calls == [KeyError]
