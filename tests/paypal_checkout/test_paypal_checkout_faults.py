"""When PayPal can't be asked or can't answer: PayPalUnavailable, "try
again later", and the same request id finds what was done."""

from getpaid.orders.payments.paypal_checkout.client import Client
from getpaid.orders.payments.paypal_checkout.client import request_id
from getpaid.orders.payments.paypal_checkout.errors import PayPalError
from getpaid.orders.payments.paypal_checkout.errors import PayPalUnavailable
from getpaid.orders.payments.paypal_checkout.tokens import TokenCache
from shop_fixtures import free_port

import checkout_helpers as shop
import pytest
import requests


@pytest.mark.parametrize("operation", ["create_order", "get_order", "capture_order"])
def test_a_500_is_try_again(paypal, client, operation):
    order = shop.approved(client)
    paypal.fail_next(operation, "500")
    with pytest.raises(PayPalUnavailable) as unavailable:
        if operation == "create_order":
            shop.create(client)
        elif operation == "get_order":
            client.get_order(order["id"])
        else:
            shop.capture(client, order)
    assert unavailable.value.status == 500
    assert unavailable.value.debug_id
    assert paypal.captures == {}


def test_a_timeout_is_try_again_and_the_same_id_finds_the_capture(paypal, client):
    order = shop.approved(client)
    quick = Client(
        paypal.client_id,
        paypal.client_secret,
        paypal.base,
        tokens=client.tokens,
        timeout=(2.0, 0.3),
    )
    paypal.hang_seconds = 1.0
    paypal.fail_next("capture_order", "hang")
    with pytest.raises(PayPalUnavailable) as unavailable:
        shop.capture(quick, order)
    assert unavailable.value.status is None
    # PayPal did capture; only the answer was lost.
    assert shop.wait_for(lambda: paypal.captures)
    (done,) = paypal.captures
    assert shop.capture(client, order)["id"] == done  # the same request id


def test_nobody_listening_is_try_again(clock):
    nowhere = Client(
        "id", "secret", f"http://127.0.0.1:{free_port()}", tokens=TokenCache(clock)
    )
    with pytest.raises(PayPalUnavailable):
        nowhere.capture_order(
            "5O190127TN364715T", request_id=request_id("capture", "1")
        )


def answer(status: int, body: bytes, **headers) -> requests.Response:
    response = requests.Response()
    response.status_code, response._content = status, body
    response.headers.update(headers)
    return response


@pytest.mark.parametrize(
    "status, body",
    [
        (201, b"<html>maintenance</html>"),  # a proxy's page: no answer of PayPal's
        (200, b"[]"),
        (429, b'{"name": "RATE_LIMIT_REACHED"}'),
        (502, b"Bad Gateway"),
    ],
)
def test_unusable_answers_are_try_again(clock, status, body):
    client = Client("id", "secret", "sandbox", tokens=TokenCache(clock))
    with pytest.raises(PayPalUnavailable) as unavailable:
        client._answer(answer(status, body, **{"Paypal-Debug-Id": "f00"}))
    assert (unavailable.value.status, unavailable.value.debug_id) == (status, "f00")


def test_a_refusal_without_paypals_body(clock):
    client = Client("id", "secret", "sandbox", tokens=TokenCache(clock))
    with pytest.raises(PayPalError) as refused:
        client._answer(answer(403, b"<html>Forbidden</html>"))
    assert (refused.value.status, refused.value.name, refused.value.issue) == (
        403,
        "",
        "",
    )
    assert refused.value.link("redirect") == ""
