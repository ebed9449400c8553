"""The shop settings control panel, in Classic UI and plone.restapi."""

from getpaid.orders import _
from getpaid.orders.controlpanel.settings import IShopSettings
from getpaid.orders.controlpanel.settings import REGISTRY_PREFIX
from getpaid.orders.interfaces import IGetpaidOrdersLayer
from getpaid.orders.payments.paypal_checkout.settings import client_secret
from getpaid.orders.payments.paypal_checkout.settings import SECRET_VARIABLE
from getpaid.orders.payments.stripe import settings as stripe
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.restapi.controlpanels import RegistryConfigletPanel
from zope.component import adapter
from zope.interface import Interface


CONFIGLET_ID = "getpaid-orders-settings"


class ShopSettingsForm(RegistryEditForm):
    schema = IShopSettings
    schema_prefix = REGISTRY_PREFIX
    label = _("Shop settings")
    description = _(
        "Name, notification e-mail, currency, payment providers and timeouts."
    )

    def updateWidgets(self):
        super().updateWidgets()
        # The client secret is no setting (paypal_checkout/settings.py): the
        # panel says whether it is set, never what it is.
        widget = self.widgets.get("paypal_client_id")
        if widget is not None:
            widget.description = secret_status()
        # Nor are Stripe's (stripe/settings.py).
        widget = self.widgets.get("stripe_api_url")
        if widget is not None:
            widget.description = stripe_secret_status()


def secret_status():
    if client_secret():
        return _(
            "The client secret is set (outside the database, where nobody "
            "can read it back here)."
        )
    return _(
        "The client secret is not set: give it to Zope as the environment "
        "variable ${variable}, or in zope.conf (see the documentation).",
        mapping={"variable": SECRET_VARIABLE},
    )


def stripe_secret_status():
    if not stripe.secret_key():
        return _(
            "The Stripe secret key is not set: give it to Zope as the "
            "environment variable ${variable}, and the webhook signing secret "
            "as ${signing_variable}, or in zope.conf (see the documentation).",
            mapping={
                "variable": stripe.SECRET_KEY_VARIABLE,
                "signing_variable": stripe.WEBHOOK_SECRET_VARIABLE,
            },
        )
    if not stripe.webhook_secret():
        return _(
            "The Stripe webhook signing secret is not set: give it to Zope as "
            "the environment variable ${variable}, or in zope.conf (see the "
            "documentation).",
            mapping={"variable": stripe.WEBHOOK_SECRET_VARIABLE},
        )
    if stripe.livemode():
        return _(
            "The Stripe secret key (live mode) and the webhook signing secret "
            "are set (outside the database, where nobody can read them back "
            "here)."
        )
    return _(
        "The Stripe secret key (test mode) and the webhook signing secret are "
        "set (outside the database, where nobody can read them back here)."
    )


class ShopSettingsView(ControlPanelFormWrapper):
    form = ShopSettingsForm


@adapter(Interface, IGetpaidOrdersLayer)
class ShopSettingsControlpanel(RegistryConfigletPanel):
    """``@controlpanels/getpaid-orders-settings`` in plone.restapi."""

    schema = IShopSettings
    schema_prefix = REGISTRY_PREFIX
    configlet_id = CONFIGLET_ID
    configlet_category_id = "Products"
