"""The shop's PayPal Checkout app: its client id and webhook id from the
shop's settings, its secret from outside the database.

plone.registry shows every record to Managers (Configuration Registry,
``@registry``), so the client secret is not kept there: it comes from the
environment variable ``GETPAID_PAYPAL_CLIENT_SECRET`` (zope.conf's
``<environment>`` section can set it), or from zope.conf's
``<product-config getpaid.orders>`` key ``paypal-client-secret``. The
control panel says only whether it is set.
"""

from App.config import getConfiguration
from getpaid.orders import _
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.controlpanel.settings import PAYPAL_CUSTOM
from getpaid.orders.controlpanel.settings import PAYPAL_SANDBOX
from getpaid.orders.payments.paypal_checkout.client import Client

import os


SECRET_VARIABLE = "GETPAID_PAYPAL_CLIENT_SECRET"
SECRET_PRODUCT_CONFIG = "paypal-client-secret"


def client_secret() -> str:
    secret = os.environ.get(SECRET_VARIABLE, "")
    if secret:
        return secret
    config = (getattr(getConfiguration(), "product_config", None) or {}).get(
        "getpaid.orders", {}
    )
    return config.get(SECRET_PRODUCT_CONFIG, "")


def api_location() -> str:
    """``sandbox``, ``live``, or the custom API URL (a simulator)."""
    mode = get_setting("paypal_mode", PAYPAL_SANDBOX)
    if mode == PAYPAL_CUSTOM:
        return get_setting("paypal_api_url", "") or ""
    return mode


def unusable() -> str:
    """Why PayPal Checkout can't be used now ("" when it can)."""
    if not get_setting("paypal_client_id", ""):
        return _("The PayPal Checkout client id is not set.")
    if not client_secret():
        return _(
            "The PayPal Checkout client secret is not set (${variable}).",
            mapping={"variable": SECRET_VARIABLE},
        )
    if not api_location():
        return _("Custom PayPal mode needs the REST API URL.")
    return ""


def client() -> Client:
    """A client for the shop's app; ValueError if it isn't set up."""
    why = unusable()
    if why:
        raise ValueError(str(why))
    return Client(get_setting("paypal_client_id"), client_secret(), api_location())
