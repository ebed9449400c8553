"""The shop settings control panel, in Classic UI and plone.restapi."""

from getpaid.orders import _
from getpaid.orders.controlpanel.settings import IShopSettings
from getpaid.orders.controlpanel.settings import REGISTRY_PREFIX
from getpaid.orders.interfaces import IGetpaidOrdersLayer
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
    description = _("Name, notification e-mail, currency, PayPal and timeouts.")


class ShopSettingsView(ControlPanelFormWrapper):
    form = ShopSettingsForm


@adapter(Interface, IGetpaidOrdersLayer)
class ShopSettingsControlpanel(RegistryConfigletPanel):
    """``@controlpanels/getpaid-orders-settings`` in plone.restapi."""

    schema = IShopSettings
    schema_prefix = REGISTRY_PREFIX
    configlet_id = CONFIGLET_ID
    configlet_category_id = "Products"
