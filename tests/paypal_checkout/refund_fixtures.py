"""A shop paying through PayPal Checkout on the simulator, and paid orders.

A plain module (not a conftest): the refund tests import its fixtures.
Until the checkout flow lands, an order is paid as PayPal would pay it: a
PayPal order made and approved on the simulator with our invoice and
custom ids, captured, and the capture recorded through the one recording
path (``recording.record_capture``).
"""

from checkout_helpers import shop_pays_at
from decimal import Decimal
from getpaid.orders import api as shop
from getpaid.orders.api.payments import PAYMENT
from getpaid.orders.api.payments import record_payment
from getpaid.orders.api.settlement import apply_payment
from getpaid.orders.payments.paypal_checkout import recording
from getpaid.orders.payments.paypal_checkout.amounts import money
from getpaid.orders.payments.paypal_checkout.client import Client
from getpaid.orders.payments.paypal_checkout.client import request_id
from getpaid.orders.workflow import SOURCE_PROVIDER
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from shop_fixtures import paypal_simulator

import itertools
import lxml.html
import pytest
import requests
import transaction


_numbers = itertools.count(1)


@pytest.fixture
def checkout_shop(shop_site, monkeypatch):
    """The functional shop with PayPal Checkout (and Standard) enabled,
    talking to the simulator's REST API: yields the ``RestSimulator``."""
    simulator, server, base = paypal_simulator.serve(0)
    rest = simulator.rest
    rest.auto_events = False  # the tests send the webhook echo themselves
    shop_pays_at(
        rest, base, monkeypatch, providers=("paypal_checkout", "paypal_standard")
    )
    yield rest
    server.shutdown()


@pytest.fixture
def paypal_client(checkout_shop):
    """The test's own client of the simulator (PayPal's buyer side)."""
    rest = checkout_shop
    return Client(rest.client_id, rest.client_secret, rest.base)


@pytest.fixture
def pay(checkout_shop, paypal_client):
    """``pay(order, invoice=True)``: pay it (again) through Checkout."""

    def pay(order, *, invoice: bool = True) -> dict:
        return pay_with_checkout(paypal_client, checkout_shop, order, invoice=invoice)

    return pay


def pay_with_checkout(client, rest, order, *, invoice: bool = True) -> dict:
    """Pay ``order`` through the simulator as Checkout would; its capture.
    ``invoice=False`` leaves our number out (PayPal takes an invoice id
    once: a second payment of the order)."""
    total = money(order.total, order.currency)
    invoice_id = {"invoice_id": order.number} if invoice else {}
    created = client.create_order(
        {
            "intent": "CAPTURE",
            "purchase_units": [
                {
                    **invoice_id,
                    "custom_id": order.UID(),
                    "amount": {**total, "breakdown": {"item_total": total}},
                }
            ],
        },
        request_id=request_id("create", "refund-tests", str(next(_numbers))),
    )
    rest.approve(created["id"])
    captured = client.capture_order(
        created["id"], request_id=request_id("capture", created["id"])
    )
    capture = captured["purchase_units"][0]["payments"]["captures"][0]
    outcome = recording.record_capture(
        order,
        capture,
        paypal_order_id=created["id"],
        payee=captured["purchase_units"][0].get("payee"),
    )
    assert outcome.action in ("paid", "flagged"), outcome
    transaction.commit()
    return capture


@pytest.fixture
def paid_placed(shop_site, customer, pay):
    """An order of one tee (25.00 EUR) paid through PayPal Checkout:
    (``Placed``, with the owner link's token; the capture)."""
    placed = shop.checkout([(shop_site["tee"], 1)], customer)
    transaction.commit()
    capture = pay(placed.order)
    assert api.content.get_state(placed.order) == "paid"
    return placed, capture


@pytest.fixture
def paid_order(paid_placed):
    """The paid order, and its capture."""
    placed, capture = paid_placed
    return placed.order, capture


@pytest.fixture
def standard_paid_order(shop_site, checkout_shop, customer):
    """An order of one tee paid through Payments Standard (its IPN's record)."""
    order = shop.checkout([(shop_site["tee"], 1)], customer).order
    payment = record_payment(
        order,
        provider="paypal",
        txn_id="8MC585209K746392H",
        status="Completed",
        amount=Decimal("25.00"),
        currency="EUR",
        kind=PAYMENT,
    )
    apply_payment(order, payment, source=SOURCE_PROVIDER, label="PayPal 8MC58")
    transaction.commit()
    return order


class Staff(requests.Session):
    """Shop staff over HTTP: the order page, its refund form, @refund."""

    def __init__(self):
        super().__init__()
        self.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)

    def page(self, order) -> lxml.html.HtmlElement:
        answer = self.get(order.absolute_url(), timeout=30)
        assert answer.status_code == 200, answer.text
        return lxml.html.fromstring(answer.text)

    def refund_form(self, order) -> dict:
        """The refund form's fields as the page renders them."""
        (form,) = self.page(order).cssselect("form.getpaid-refund-form")
        fields = {one.name: one.value or "" for one in form.inputs if one.name}
        return {"action": form.get("action"), **fields}

    def post_refund(self, form: dict, **changes) -> lxml.html.HtmlElement:
        """Post the refund form (as the page rendered it, with ``changes``);
        the page it leads to."""
        fields = {**form, **changes}
        action = fields.pop("action")
        answer = self.post(action, data=fields, timeout=60)
        assert answer.status_code == 200, answer.text
        return lxml.html.fromstring(answer.text)

    def rest_refund(self, order, body) -> requests.Response:
        return self.post(
            f"{order.absolute_url()}/@refund",
            json=body,
            headers={"Accept": "application/json"},
            timeout=60,
        )

    def rest_order(self, order) -> dict:
        answer = self.get(
            order.absolute_url(), headers={"Accept": "application/json"}, timeout=30
        )
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture
def staff_http(shop_site):
    session = Staff()
    yield session
    session.close()
