"""Reading shop settings in code."""

from getpaid.orders.controlpanel.settings import default_currency
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.controlpanel.settings import IShopSettings
from getpaid.orders.controlpanel.settings import paypal_urls
from plone import api


def test_get_setting_reads_the_registry(portal):
    api.portal.set_registry_record("getpaid.orders.shop_name", "Ada's shop")
    assert get_setting("shop_name") == "Ada's shop"
    assert IShopSettings(portal).shop_name == "Ada's shop"


def test_default_currency_follows_the_setting(portal):
    api.portal.set_registry_record("getpaid.orders.default_currency", "JPY")
    assert default_currency() == "JPY"


def test_missing_setting_gives_the_default(portal):
    assert get_setting("no_such_setting", "fallback") == "fallback"


def test_custom_paypal_urls(portal):
    assert paypal_urls()[0].startswith("https://www.sandbox.paypal.com/")
    settings = IShopSettings(portal)
    settings.paypal_mode = "custom"
    settings.paypal_payment_url = "http://127.0.0.1:9000/pay"
    settings.paypal_verify_url = "http://127.0.0.1:9000/verify"
    assert paypal_urls() == (
        "http://127.0.0.1:9000/pay",
        "http://127.0.0.1:9000/verify",
    )
