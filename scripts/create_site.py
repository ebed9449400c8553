"""Create the demo site once; run by `make start` through Zope's zconsole.

    zconsole run instance/etc/zope.conf scripts/create_site.py [MAIL_QUEUE]

Idempotent: an existing site is kept and only missing profiles are applied,
so restarting never touches orders already in the database. With a folder
MAIL_QUEUE, the site's MailHost queues its mails there (docs/settings.rst).
"""

from AccessControl.SecurityManagement import newSecurityManager
from plone.base.utils import get_installer
from plone.distribution.api import site as site_api
from zope.component.hooks import setSite

import sys
import transaction


SITE_ID = "Plone"
ADMIN = "admin"
DEMO_PROFILE = "profile-getpaid.orders:demo"


def demo_applied(setup_tool) -> bool:
    return setup_tool.getLastVersionForProfile(DEMO_PROFILE) != "unknown"


def queue_mail(site, folder: str) -> None:
    """Mails wait in ``folder`` until the mail server takes them."""
    mailhost = site.MailHost
    if (mailhost.smtp_queue, mailhost.smtp_queue_directory) != (True, folder):
        mailhost.smtp_queue, mailhost.smtp_queue_directory = True, folder
        print(f"Mails queue in {folder}.")


def main(app, mail_queue=None):
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
    if mail_queue:
        queue_mail(site, mail_queue)
    transaction.commit()


# zconsole keeps its own argv: run, the zope.conf, this script, then ours.
main(app, *sys.argv[4:])  # noqa: F821 -- zconsole provides `app`
