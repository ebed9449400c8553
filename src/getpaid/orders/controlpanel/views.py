"""The shop settings control panel, in Classic UI and plone.restapi."""

from getpaid.orders import _
from getpaid.orders.controlpanel.settings import IShopSettings
from getpaid.orders.controlpanel.settings import REGISTRY_PREFIX
from getpaid.orders.interfaces import IGetpaidOrdersLayer
from getpaid.orders.payments.paypal_checkout.settings import client_secret
from getpaid.orders.payments.paypal_checkout.settings import SECRET_VARIABLE
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


class ShopSettingsView(ControlPanelFormWrapper):
    form = ShopSettingsForm


@adapter(Interface, IGetpaidOrdersLayer)
class ShopSettingsControlpanel(RegistryConfigletPanel):
    """``@controlpanels/getpaid-orders-settings`` in plone.restapi."""

    schema = IShopSettings
    schema_prefix = REGISTRY_PREFIX
    configlet_id = CONFIGLET_ID
    configlet_category_id = "Products"
