"""The shop's Stripe account: its secret key and webhook signing secret
from outside the database, the API's address from the shop's settings.

plone.registry shows every record to Managers, so neither secret is kept
there (as for PayPal's client secret): they come from the environment
variables ``GETPAID_STRIPE_SECRET_KEY`` and ``GETPAID_STRIPE_WEBHOOK_SECRET``
(zope.conf's ``<environment>`` can set them), or from zope.conf's
``<product-config getpaid.orders>`` keys ``stripe-secret-key`` and
``stripe-webhook-secret``. Test or live mode follows from the key
(``sk_test_…``, ``sk_live_…``; restricted keys ``rk_…`` too). A Checkout
Session made by the server needs no publishable key.
"""

from App.config import getConfiguration
from getpaid.orders import _
from getpaid.orders.controlpanel.settings import get_setting

import os


SECRET_KEY_VARIABLE = "GETPAID_STRIPE_SECRET_KEY"
WEBHOOK_SECRET_VARIABLE = "GETPAID_STRIPE_WEBHOOK_SECRET"
SECRET_KEY_PRODUCT_CONFIG = "stripe-secret-key"
WEBHOOK_SECRET_PRODUCT_CONFIG = "stripe-webhook-secret"
LIVE_PREFIXES = ("sk_live_", "rk_live_")
TEST_PREFIXES = ("sk_test_", "rk_test_")


def _secret(variable: str, key: str) -> str:
    found = os.environ.get(variable, "")
    if found:
        return found.strip()
    config = (getattr(getConfiguration(), "product_config", None) or {}).get(
        "getpaid.orders", {}
    )
    return str(config.get(key, "") or "").strip()


def secret_key() -> str:
    return _secret(SECRET_KEY_VARIABLE, SECRET_KEY_PRODUCT_CONFIG)


def webhook_secret() -> str:
    return _secret(WEBHOOK_SECRET_VARIABLE, WEBHOOK_SECRET_PRODUCT_CONFIG)


def livemode() -> bool | None:
    """True for a live key, False for a test key, None for no such key."""
    key = secret_key()
    if key.startswith(LIVE_PREFIXES):
        return True
    if key.startswith(TEST_PREFIXES):
        return False
    return None


def api_base() -> str:
    """Where Stripe's API is: "" for Stripe's own, else the shop's
    ``stripe_api_url`` (a simulator)."""
    return (get_setting("stripe_api_url", "") or "").rstrip("/")


def unusable() -> str:
    """Why Stripe can't be used now ("" when it can)."""
    if not secret_key():
        return _(
            "The Stripe secret key is not set (${variable}).",
            mapping={"variable": SECRET_KEY_VARIABLE},
        )
    if livemode() is None:
        return _(
            "The Stripe secret key (${variable}) is no secret key: it begins "
            "with sk_test_ or sk_live_.",
            mapping={"variable": SECRET_KEY_VARIABLE},
        )
    return ""
