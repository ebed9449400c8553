"""The OAuth2 token: fetched once per process and key, reused until shortly
before it expires, fetched again once after a 401, never in a loop."""

from getpaid.orders.payments.paypal_checkout.client import Client
from getpaid.orders.payments.paypal_checkout.errors import PayPalError
from getpaid.orders.payments.paypal_checkout.errors import PayPalUnavailable
from getpaid.orders.payments.paypal_checkout.tokens import TokenCache

import checkout_helpers as shop
import pytest
import threading


def test_one_token_for_many_calls_and_clients(paypal, client, clock):
    order = shop.create(client)
    client.get_order(order["id"])
    same_app = Client(
        paypal.client_id, paypal.client_secret, paypal.base, tokens=client.tokens
    )
    same_app.get_order(order["id"])
    assert paypal.token_requests == 1


def test_a_token_is_fetched_again_shortly_before_it_expires(paypal, client, clock):
    paypal.token_seconds = 600  # refreshed a tenth (60 s) before its end
    order = shop.create(client)
    clock.advance(539)
    client.get_order(order["id"])
    assert paypal.token_requests == 1
    clock.advance(2)
    client.get_order(order["id"])
    assert paypal.token_requests == 2


def test_an_expired_token_is_replaced_once(paypal, client):
    order = shop.create(client)
    paypal.expire_tokens()  # PayPal ended it before the cache expected
    assert client.get_order(order["id"])["id"] == order["id"]
    assert paypal.token_requests == 2


def test_a_second_401_is_an_error_not_a_loop(paypal, client):
    order = shop.create(client)
    paypal.fail_next("get_order", "401", count=3)
    with pytest.raises(PayPalError) as refused:
        client.get_order(order["id"])
    assert refused.value.status == 401
    assert refused.value.name == "invalid_token"
    assert paypal.token_requests == 2  # the first, and one after the 401
    assert paypal.faults["get_order"] == ["401"]  # two calls, not three


def test_wrong_credentials_are_paypals_refusal(paypal, clock):
    client = Client(
        paypal.client_id, "not-the-secret", paypal.base, tokens=TokenCache(clock)
    )
    with pytest.raises(PayPalError) as refused:
        client.get_order("5O190127TN364715T")
    assert (refused.value.status, refused.value.name) == (401, "invalid_client")
    assert "not-the-secret" not in str(refused.value)
    assert paypal.token_requests == 0


def test_new_credentials_take_effect_at_once(paypal, client):
    order = shop.create(client)
    other = Client(paypal.client_id, "rotated", paypal.base, tokens=client.tokens)
    with pytest.raises(PayPalError):
        other.get_order(order["id"])  # not served the cached token


def test_threads_share_one_token(paypal, client):
    order = shop.create(client)
    fresh = Client(
        paypal.client_id,
        paypal.client_secret,
        paypal.base,
        tokens=TokenCache(client.tokens.clock),
    )
    start, errors = threading.Barrier(8), []

    def read():
        start.wait()
        try:
            fresh.get_order(order["id"])
        except Exception as error:  # pragma: no cover (reported below)
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert paypal.token_requests == 2  # the fixture client's, and one more


def test_token_endpoint_down_is_try_again(paypal, client):
    paypal.fail_next("token", "500")
    with pytest.raises(PayPalUnavailable) as unavailable:
        client.get_order("5O190127TN364715T")
    assert unavailable.value.status == 500
