"""Create the demo site once; run by `make start` through Zope's zconsole.

    zconsole run instance/etc/zope.conf scripts/create_site.py

Idempotent: an existing site is kept and only missing profiles are applied,
so restarting never touches orders already in the database.
"""

from AccessControl.SecurityManagement import newSecurityManager
from plone.base.utils import get_installer
from plone.distribution.api import site as site_api
from zope.component.hooks import setSite

import transaction


SITE_ID = "Plone"
ADMIN = "admin"
DEMO_PROFILE = "profile-getpaid.orders:demo"


def demo_applied(setup_tool) -> bool:
    return setup_tool.getLastVersionForProfile(DEMO_PROFILE) != "unknown"


def main(app):
    admin = app.acl_users.getUserById(ADMIN)
    newSecurityManager(None, admin.__of__(app.acl_users))

    if SITE_ID in app.objectIds():
        site = app[SITE_ID]
        print(f"Site /{SITE_ID} exists; keeping it.")
    else:
        answers = {"site_id": SITE_ID, "title": "getpaid.orders demo shop"}
        site = site_api.create(app, "classic", answers)
        print(f"Created the Classic UI site /{SITE_ID}.")
    setSite(site)

    installer = get_installer(site)
    if not installer.is_product_installed("getpaid.orders"):
        installer.install_product("getpaid.orders")
        print("Installed getpaid.orders.")
    if not demo_applied(site.portal_setup):
        site.portal_setup.runAllImportStepsFromProfile(DEMO_PROFILE)
        print("Added the demo products under /shop.")
    transaction.commit()


main(app)  # noqa: F821 -- zconsole provides `app`
