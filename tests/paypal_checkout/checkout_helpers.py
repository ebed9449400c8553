"""Orders as a shop would send them, and a browser on PayPal's page."""

from decimal import Decimal
from getpaid.orders.payments.paypal_checkout.amounts import money
from getpaid.orders.payments.paypal_checkout.client import request_id
from urllib.parse import parse_qs
from urllib.parse import urljoin
from urllib.parse import urlsplit

import itertools
import lxml.html
import requests
import time


RETURN_URL = "https://shop.example/orders/7/paypal-return?attempt=1"
CANCEL_URL = "https://shop.example/orders/7/paypal-cancel"
_numbers = itertools.count(1)


def order_body(
    currency: str = "EUR",
    lines=(("Book", "10.00", 3),),
    *,
    invoice_id: str = "",
) -> dict:
    """A one-unit order as PayPal Checkout without JavaScript wants it."""
    items = [
        {
            "name": name,
            "quantity": str(quantity),
            "unit_amount": money(Decimal(price), currency),
        }
        for name, price, quantity in lines
    ]
    total = sum(
        (Decimal(price) * quantity for _n, price, quantity in lines), Decimal(0)
    )
    return {
        "intent": "CAPTURE",
        "purchase_units": [
            {
                "invoice_id": invoice_id or f"ORD-{next(_numbers)}",
                "custom_id": "0f8fad5bd9cb469fa16570867728950e",
                "amount": {
                    **money(total, currency),
                    "breakdown": {"item_total": money(total, currency)},
                },
                "items": items,
            }
        ],
        "payment_source": {
            "paypal": {
                "experience_context": {
                    "return_url": RETURN_URL,
                    "cancel_url": CANCEL_URL,
                    "user_action": "PAY_NOW",
                    "shipping_preference": "NO_SHIPPING",
                    "locale": "de-DE",
                }
            }
        },
    }


def link(resource: dict, rel: str) -> str:
    (href,) = [item["href"] for item in resource["links"] if item["rel"] == rel]
    return href


def create(client, body: dict | None = None) -> dict:
    return client.create_order(
        body or order_body(), request_id=request_id("create", str(next(_numbers)))
    )


def choose(url: str, choice: str) -> requests.Response:
    """Open PayPal's page at ``url`` as a browser does and press ``choice``
    (approve, decline, pending, abandon, cancel); the answer unfollowed."""
    browser = requests.Session()
    page = browser.get(url, timeout=10)
    assert page.status_code == 200, page.text
    forms = lxml.html.fromstring(page.text).forms
    (form,) = [f for f in forms if f.get("action").endswith(f"/{choice}")]
    return browser.post(
        urljoin(url, form.get("action")), allow_redirects=False, timeout=10
    )


def came_back(answer: requests.Response) -> dict:
    """Where PayPal sent the browser: the URL's query, checked against RETURN_URL."""
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(RETURN_URL + "&")
    return {
        key: values[0] for key, values in parse_qs(urlsplit(location).query).items()
    }


def approved(client, choice: str = "approve", body: dict | None = None) -> dict:
    """A new order, approved on PayPal's page with ``choice``."""
    order = create(client, body)
    choose(link(order, "payer-action"), choice)
    return order


def capture(client, order: dict) -> dict:
    """Capture ``order``: its capture."""
    captured = client.capture_order(
        order["id"], request_id=request_id("capture", order["id"])
    )
    return captured["purchase_units"][0]["payments"]["captures"][0]


def wait_for(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not (result := condition()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return result


def shop_pays_at(rest, base: str, monkeypatch, providers=("paypal_checkout",)):
    """Set the test site up to pay with PayPal Checkout at the simulator's
    REST API ``rest`` on ``base``, as a shop sets it up (its client secret
    through the environment); committed."""
    from getpaid.orders.payments.paypal_checkout.settings import SECRET_VARIABLE
    from plone import api

    import transaction

    for name, value in (
        ("payment_providers", list(providers)),
        ("paypal_mode", "custom"),
        ("paypal_api_url", base),
        ("paypal_client_id", rest.client_id),
        ("paypal_webhook_id", rest.webhook_id),
        # The simulator's merchant account (paypal_rest_resources.PAYEE).
        ("paypal_merchant_id", "SIMULATORMERCHANT"),
    ):
        api.portal.set_registry_record(f"getpaid.orders.{name}", value)
    monkeypatch.setenv(SECRET_VARIABLE, rest.client_secret)
    transaction.commit()
