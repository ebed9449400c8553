"""The shop settings, through plone.restapi's @controlpanels as well."""

from datetime import date
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.restapi.testing import RelativeSession

import pytest
import transaction


PANEL = "@controlpanels/getpaid-orders-settings"


@pytest.fixture
def rest(functional_portal):
    session = RelativeSession(functional_portal.absolute_url())
    session.headers["Accept"] = "application/json"
    session.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    yield session
    session.close()


@pytest.fixture
def anonymous_rest(functional_portal):
    session = RelativeSession(functional_portal.absolute_url())
    session.headers["Accept"] = "application/json"
    yield session
    session.close()


def test_listed_among_controlpanels(rest):
    panels = {
        panel["@id"].rsplit("/", 1)[-1] for panel in rest.get("@controlpanels").json()
    }
    assert "getpaid-orders-settings" in panels


def test_read_settings(rest):
    data = rest.get(PANEL).json()["data"]
    assert data["default_currency"]["token"] == "EUR"
    assert data["paypal_mode"]["token"] == "sandbox"
    assert data["unpaid_timeout_minutes"] == 4320
    assert (data["reminder_first_hours"], data["reminder_last_hours"]) == (24, 12)
    # New sites pay with PayPal Checkout (its client secret is no setting).
    assert [term["token"] for term in data["payment_providers"]] == ["paypal_checkout"]
    assert set(data) == {
        "shop_name",
        "shop_email",
        "notify_shop",
        "terms_url",
        "default_currency",
        "paypal_receiver_email",
        "paypal_mode",
        "paypal_payment_url",
        "paypal_verify_url",
        "paypal_pay_canceled_orders",
        "payment_providers",
        "paypal_merchant_id",
        "paypal_client_id",
        "paypal_webhook_id",
        "paypal_api_url",
        "stripe_api_url",
        "secret_link_days",
        "sweeper_key",
        "unpaid_timeout_minutes",
        "reminder_first_hours",
        "reminder_last_hours",
        "retention_days",
        "erasure_hold_until",
    }


def test_change_settings(rest, functional_portal):
    response = rest.patch(
        PANEL,
        json={
            "shop_name": "Ada's shop",
            "default_currency": "JPY",
            "unpaid_timeout_minutes": 90,
            "retention_days": 3650,
            "erasure_hold_until": "2027-06-30",
        },
    )
    assert response.status_code == 204, response.text
    transaction.begin()  # see what the server committed
    assert api.portal.get_registry_record("getpaid.orders.retention_days") == 3650
    assert api.portal.get_registry_record("getpaid.orders.erasure_hold_until") == date(
        2027, 6, 30
    )
    record = "getpaid.orders.default_currency"
    assert api.portal.get_registry_record(record) == "JPY"
    assert api.portal.get_registry_record("getpaid.orders.shop_name") == "Ada's shop"


@pytest.mark.parametrize(
    "change",
    [
        {"default_currency": "EURO"},
        {"unpaid_timeout_minutes": 0},
        {"reminder_first_hours": -1},
        {"retention_days": -1},
        {"erasure_hold_until": "not a day"},
        {
            "paypal_mode": "custom",
            "paypal_payment_url": None,
            "paypal_verify_url": None,
        },
    ],
    ids=repr,
)
def test_bad_settings_refused(rest, change):
    before = rest.get(PANEL).json()["data"]
    response = rest.patch(PANEL, json=change)
    assert response.status_code == 400, response.text
    assert "Traceback" not in response.text
    assert rest.get(PANEL).json()["data"] == before


def test_anonymous_cannot_read(anonymous_rest):
    assert anonymous_rest.get(PANEL).status_code == 401


SECRET = "Zx9-the-client-secret-4q"


@pytest.mark.parametrize(
    "where",
    [
        "@@getpaid-orders-settings",  # Site Setup's panel
        PANEL,  # plone.restapi
        "@registry",  # every record, to Managers
        "portal_registry/manage_main",  # the ZMI
        "portal_registry/@@configuration_registry",  # Configuration Registry
    ],
)
def test_the_client_secret_cannot_be_read_back(rest, monkeypatch, where):
    monkeypatch.setenv("GETPAID_PAYPAL_CLIENT_SECRET", SECRET)
    from getpaid.orders.payments.paypal_checkout.settings import client_secret

    assert client_secret() == SECRET  # it is set, and used
    answer = rest.get(where, headers={"Accept": "text/html"})
    if where.startswith("@"):
        answer = rest.get(where)  # JSON where it is an API
    assert answer.status_code == 200, where
    assert SECRET not in answer.text


def test_the_panel_says_whether_the_secret_is_set(rest, monkeypatch):
    page = rest.get("@@getpaid-orders-settings", headers={"Accept": "text/html"})
    assert "The client secret is not set" in page.text
    assert "GETPAID_PAYPAL_CLIENT_SECRET" in page.text
    monkeypatch.setenv("GETPAID_PAYPAL_CLIENT_SECRET", SECRET)
    page = rest.get("@@getpaid-orders-settings", headers={"Accept": "text/html"})
    assert "The client secret is set" in page.text
    assert SECRET not in page.text


def test_the_secret_from_zope_conf(monkeypatch):
    from App.config import getConfiguration
    from getpaid.orders.payments.paypal_checkout import settings

    monkeypatch.delenv("GETPAID_PAYPAL_CLIENT_SECRET", raising=False)
    config = getConfiguration()
    monkeypatch.setattr(
        config,
        "product_config",
        {"getpaid.orders": {"paypal-client-secret": SECRET}},
        raising=False,
    )
    assert settings.client_secret() == SECRET
