"""Helpers of the scale-out tests."""

import lxml.html
import requests
import time
import uuid


def new_tag() -> str:
    """A surname no other test uses: its orders are found by searching it."""
    return "Run" + uuid.uuid4().hex[:10]


def settled(read, at_least: int = 1, timeout: float = 60, quiet: float = 4):
    """``read()`` once it holds ``at_least`` things, then stays unchanged
    for ``quiet`` seconds (time for a duplicate to show).

    The instances queue their mail (scripts/cluster.py): a mail leaves with
    the queue's next round, every 3 s, after the mails queued before it.
    """

    def size(value):
        return len(value) if hasattr(value, "__len__") else value

    deadline = time.monotonic() + timeout
    last = read()
    while size(last) < at_least and time.monotonic() < deadline:
        time.sleep(0.2)
        last = read()
    since = time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.2)
        now = read()
        if now != last:
            last, since = now, time.monotonic()
    return last


def pay_form(owner_link: str) -> dict:
    """The fields of the order page's "Pay with PayPal" form."""
    page = lxml.html.fromstring(requests.get(owner_link, timeout=60).text)
    (form,) = page.cssselect("form.getpaid-pay-paypal_standard")
    return {i.get("name"): i.get("value") for i in form.inputs if i.get("name")}
