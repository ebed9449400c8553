"""Stripe's secrets come from outside the database; the panel says only
whether they are set."""

from getpaid.orders.controlpanel.views import stripe_secret_status
from getpaid.orders.payments.stripe import settings
from zope.i18n import translate


def test_status(portal, monkeypatch):
    monkeypatch.delenv("GETPAID_STRIPE_SECRET_KEY", raising=False)
    monkeypatch.delenv("GETPAID_STRIPE_WEBHOOK_SECRET", raising=False)
    assert "GETPAID_STRIPE_SECRET_KEY" in translate(stripe_secret_status())
    monkeypatch.setenv("GETPAID_STRIPE_SECRET_KEY", "sk_test_abc")
    assert "GETPAID_STRIPE_WEBHOOK_SECRET" in translate(stripe_secret_status())
    monkeypatch.setenv("GETPAID_STRIPE_WEBHOOK_SECRET", "whsec_abc")
    said = translate(stripe_secret_status())
    assert "test mode" in said and "abc" not in said
    monkeypatch.setenv("GETPAID_STRIPE_SECRET_KEY", "sk_live_abc")
    assert "live mode" in translate(stripe_secret_status())
    assert settings.livemode() is True and settings.unusable() == ""


def test_a_publishable_key_is_no_secret_key(portal, monkeypatch):
    monkeypatch.setenv("GETPAID_STRIPE_SECRET_KEY", "pk_test_abc")
    assert settings.livemode() is None
    assert "sk_test_" in translate(settings.unusable())
