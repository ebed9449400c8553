"""The PayPal order built from ours (purchase.py), checked by the
simulator's copy of PayPal's rules, and the REST pay endpoint."""

from decimal import Decimal
from flow_fixtures import checkout_shop_fixture  # noqa: F401
from flow_fixtures import fresh
from flow_fixtures import place
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.content.line import OrderLine
from getpaid.orders.content.line import ProductSnapshot
from getpaid.orders.payments.interfaces import PaymentUrls
from getpaid.orders.payments.paypal_checkout.purchase import paypal_locale
from getpaid.orders.payments.paypal_checkout.purchase import purchase
from types import SimpleNamespace

import paypal_rest_rules
import pytest
import requests


URLS = PaymentUrls(
    page="https://shop.example/o/1",
    pay="https://shop.example/o/1/@@pay/paypal_checkout",
    back="https://shop.example/o/1/@@payment-return/paypal_checkout",
    cancel="https://shop.example/o/1",
    site="https://shop.example",
)


def line(price: str, quantity: int, currency: str, name="Mug", sku="M-1"):
    snapshot = ProductSnapshot(
        uid="u",
        path="/p",
        name="mug",
        title=name,
        display_name=name,
        description="",
        detail="",
        sku=sku,
        unit_price=Decimal(price),
        currency=currency,
    )
    return OrderLine(snapshot=snapshot, quantity=quantity)


def order(currency, *lines, language="", shipping=False):
    found = SimpleNamespace(
        number="260101-ABCDE",
        currency=currency,
        lines=lines,
        customer_language=language,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        customer_name="Ada Lovelace",
        has_shipping_address=shipping,
        shipping_street="1 Main St" if shipping else "",
        shipping_postal_code="10115" if shipping else "",
        shipping_city="Berlin" if shipping else "",
        shipping_region="",
        shipping_country="DE" if shipping else "",
        UID=lambda: "0f8fad5bd9cb469fa16570867728950e",
    )
    found.total = sum((one.total for one in lines), Decimal(0))
    return found


@pytest.mark.parametrize(
    "currency,lines,total",
    [
        ("JPY", [("1500", 3)], "4500"),
        ("HUF", [("2490", 1), ("10", 7)], "2560"),
        # 0.10 + 0.20 + 0.70 is 1.0000000000000002 in floats
        ("EUR", [("0.10", 1), ("0.20", 1), ("0.70", 1)], "1.00"),
        ("EUR", [("19.99", 3), ("0.01", 999), ("1234.56", 7)], "8711.88"),
    ],
)
def test_item_total_is_the_exact_total(currency, lines, total):
    ours = order(currency, *(line(p, q, currency) for p, q in lines))
    body = purchase(ours, URLS)
    (unit,) = body["purchase_units"]
    assert unit["amount"]["value"] == total == str(ours.total)
    assert unit["amount"]["breakdown"]["item_total"]["value"] == total
    assert [item["quantity"] for item in unit["items"]] == [str(q) for _p, q in lines]
    # As PayPal checks it: no ITEM_TOTAL_MISMATCH, no DECIMAL_PRECISION
    assert paypal_rest_rules.purchase_unit(unit) == (currency, Decimal(total))


def test_the_paypal_order():
    long_name = "Mug " + "x" * 200
    body = purchase(order("EUR", line("12.50", 2, "EUR", name=long_name)), URLS)
    assert body["intent"] == "CAPTURE"
    assert "application_context" not in body and "payer" not in body
    (unit,) = body["purchase_units"]
    assert unit["invoice_id"] == "260101-ABCDE"
    assert unit["custom_id"] == "0f8fad5bd9cb469fa16570867728950e"
    (item,) = unit["items"]
    assert item["name"] == long_name[:127] and item["sku"] == "M-1"
    assert item["unit_amount"] == {"currency_code": "EUR", "value": "12.50"}
    paypal = body["payment_source"]["paypal"]
    assert paypal["name"] == {"given_name": "Ada", "surname": "Lovelace"}
    assert paypal["email_address"] == "ada@example.org"
    assert paypal["experience_context"] == {
        "return_url": URLS.back,
        "cancel_url": URLS.cancel,
        "user_action": "PAY_NOW",
        "shipping_preference": "NO_SHIPPING",
    }
    assert "shipping" not in unit
    paypal_rest_rules.experience(paypal["experience_context"], "")


def test_shipping_address_and_locale():
    ours = order("EUR", line("5.00", 1, "EUR"), language="de", shipping=True)
    body = purchase(ours, URLS)
    context = body["payment_source"]["paypal"]["experience_context"]
    assert context["shipping_preference"] == "SET_PROVIDED_ADDRESS"
    assert context["locale"] == "de-DE"
    assert body["purchase_units"][0]["shipping"] == {
        "name": {"full_name": "Ada Lovelace"},
        "address": {
            "address_line_1": "1 Main St",
            "admin_area_2": "Berlin",
            "postal_code": "10115",
            "country_code": "DE",
        },
    }
    paypal_rest_rules.experience(context, "")


@pytest.mark.parametrize(
    "language,locale",
    [
        ("de", "de-DE"),
        ("de-at", "de-AT"),
        ("de_CH", "de-CH"),
        ("en", "en-US"),
        ("en-gb", "en-GB"),
        ("pt-br", "pt-BR"),
        ("it", "it-IT"),
        ("pl", "pl-PL"),
        ("nb", "no-NO"),
        ("fr-be", "fr-FR"),
        ("eo", ""),
        ("", ""),
    ],
)
def test_paypal_locale(language, locale):
    assert paypal_locale(language) == locale
    assert not locale or paypal_rest_rules.LOCALE.fullmatch(locale)


def test_rest_pay_for_an_owner_link(checkout_shop, customer):
    order, status_url = place(checkout_shop.site, customer, ("mug", 1))
    rest_url = status_url.replace("@@order-status", "@order-status")
    headers = {"Accept": "application/json"}
    choices = requests.get(rest_url, headers=headers, timeout=30).json()
    (choice,) = choices["payment_choices"]
    fields = {name: value for name, value in choice["fields"]}
    assert fields["attempt"] == "1"
    pay_url = f"{rest_url}/pay/paypal_checkout"
    answers = [
        requests.post(pay_url, json={"attempt": "1"}, headers=headers, timeout=30)
        for _n in range(2)
    ]
    assert [answer.status_code for answer in answers] == [200, 200]
    (redirect,) = {answer.json()["redirect"] for answer in answers}
    assert redirect.startswith(checkout_shop.base + "/checkoutnow?token=")
    (attempt,) = attempts_of(fresh(order))
    assert attempt.payer_url == redirect
    # Its return comes back to the owner link's page
    (paypal_order,) = checkout_shop.paypal.orders.values()
    assert paypal_order.context["return_url"] == (
        f"{status_url}/return/paypal_checkout"
    )
    # Not a provider of this shop: 409; PayPal down: 503, nothing written
    answer = requests.post(
        f"{rest_url}/pay/paypal_standard", headers=headers, timeout=30
    )
    assert answer.status_code == 409, answer.text
    assert answer.json()["error"]["type"] == "Conflict"
    checkout_shop.paypal.fail_next("create_order", "500")
    answer = requests.post(pay_url, json={"attempt": "2"}, headers=headers, timeout=30)
    assert answer.status_code == 503, answer.text
    assert "try again in a few minutes" in answer.json()["error"]["message"]
    assert len(attempts_of(fresh(order))) == 1
    # A share link may not pay
    share = requests.post(f"{rest_url}/share", headers=headers, timeout=30).json()
    shared = share["share_link"].replace("@@order-status", "@order-status")
    answer = requests.post(f"{shared}/pay/paypal_checkout", headers=headers, timeout=30)
    assert answer.status_code == 404
