"""Install and uninstall steps that GenericSetup XML can't express."""

from Acquisition import aq_base
from getpaid.orders import logger
from getpaid.orders.api.checkout_keys import checkout_keys
from getpaid.orders.api.orders import ORDERS_FOLDER_ID
from getpaid.orders.permissions import STAFF_ROLES
from plone import api
from plone.base.interfaces import INonInstallable
from plone.dexterity.utils import createContent
from zope.interface import implementer


# Our display view for folders (browser/shop.py), offered in Display.
SHOP_VIEW = "shop-view"


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
    # Customers reach their own orders by URL and through "My orders"; the
    # listing of everybody's is for staff.
    for permission in ("View", "Access contents information"):
        folder.manage_permission(permission, STAFF_ROLES, acquire=False)
    folder.reindexObjectSecurity()
    offer_shop_view(offered=True)


def offer_shop_view(offered: bool) -> None:
    """Offer our view in the folder type's Display menu, or take it off
    every type's (integrators may have added it to their own, and made it
    a type's default).

    Here, not in types/Folder.xml: that would make a bare Folder type on a
    site without plone.app.contenttypes' one.
    """
    types = api.portal.get_tool("portal_types")
    if offered:
        fti = types.get("Folder")
        if fti is not None and SHOP_VIEW not in fti.view_methods:
            fti.view_methods = (*fti.view_methods, SHOP_VIEW)
        return
    for fti in types.objectValues():
        methods = getattr(fti, "view_methods", ())
        if SHOP_VIEW not in methods:
            continue
        others = tuple(name for name in methods if name != SHOP_VIEW)
        fti.view_methods = others
        if fti.default_view == SHOP_VIEW:
            if "listing_view" in others:
                fti.default_view = "listing_view"
            else:
                fti.default_view = others[0] if others else "view"


def unset_shop_views() -> int:
    """Show the folders shown as a shop with their type's default view again:
    without the add-on's layer, ``shop-view`` would be a page not found."""
    catalog = api.portal.get_tool("portal_catalog")
    unset = 0
    for brain in catalog.unrestrictedSearchResults(is_folderish=True):
        folder = brain._unrestrictedGetObject()
        if getattr(aq_base(folder), "layout", None) == SHOP_VIEW:
            folder.setLayout(folder.getTypeInfo().default_view)
            unset += 1
    return unset


def uninstall(context):
    """The layer, settings and control panel go (uninstall profile); data stays."""
    offer_shop_view(offered=False)
    unset = unset_shop_views()
    if unset:
        logger.info("%d folders shown as a shop now show their default view", unset)
    logger.warning(
        "getpaid.orders uninstalled: its orders folder, orders, payments and "
        "products were kept. Delete /%s yourself if you want them gone.",
        ORDERS_FOLDER_ID,
    )
