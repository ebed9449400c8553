"""Install and uninstall steps that GenericSetup XML can't express."""

from getpaid.orders import logger
from getpaid.orders.api.checkout import checkout_keys
from getpaid.orders.api.orders import ORDERS_FOLDER_ID
from plone import api
from plone.base.interfaces import INonInstallable
from plone.dexterity.utils import createContent
from zope.interface import implementer


# Who sees the orders folder itself. Customers reach their own orders by
# URL and through "My orders"; the listing of everybody's is for staff.
STAFF_ROLES = ("Manager", "Site Administrator", "Shop Manager")


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        return ["getpaid.orders:uninstall", "getpaid.orders:demo"]

    def getNonInstallableProducts(self):
        return []


def post_install(context):
    """Make the site's orders folder, once."""
    portal = api.portal.get()
    if ORDERS_FOLDER_ID not in portal.objectIds():
        folder = createContent("OrdersFolder", title="Orders", exclude_from_nav=True)
        folder.id = ORDERS_FOLDER_ID
        portal._setObject(ORDERS_FOLDER_ID, folder)
        logger.info("Created the orders folder at /%s", ORDERS_FOLDER_ID)
    folder = portal[ORDERS_FOLDER_ID]
    checkout_keys(folder)
    for permission in ("View", "Access contents information"):
        folder.manage_permission(permission, STAFF_ROLES, acquire=False)
    folder.reindexObjectSecurity()


def uninstall(context):
    """The layer, settings and control panel go (uninstall profile); data stays."""
    logger.warning(
        "getpaid.orders uninstalled: its orders folder, orders, payments and "
        "products were kept. Delete /%s yourself if you want them gone.",
        ORDERS_FOLDER_ID,
    )
