"""Helpers of the scale-out tests."""

import lxml.html
import requests
import time
import uuid


def new_tag() -> str:
    """A surname no other test uses: its orders are found by searching it."""
    return "Run" + uuid.uuid4().hex[:10]


def settled(read, timeout: float = 30, quiet: float = 5):
    """``read()`` once it has stopped changing for ``quiet`` seconds.

    Quiet for longer than the mail queue's 3 s between rounds: the
    instances queue their mails (scripts/cluster.py).
    """
    deadline = time.monotonic() + timeout
    last, since = read(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = read()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return last


def pay_form(owner_link: str) -> dict:
    """The fields of the order page's "Pay with PayPal" form."""
    page = lxml.html.fromstring(requests.get(owner_link, timeout=60).text)
    (form,) = page.cssselect("form.getpaid-pay-with-paypal")
    return {i.get("name"): i.get("value") for i in form.inputs if i.get("name")}
