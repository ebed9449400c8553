"""Create the demo site once; run by `make start` through Zope's zconsole.

    zconsole run instance/etc/zope.conf scripts/create_site.py \\
        [MAIL_QUEUE [OUTBOX_PORT]]

Idempotent: an existing site is kept, only missing profiles are applied and
pending upgrade steps run, so restarting never touches orders already in the
database. With a folder
MAIL_QUEUE, the site's MailHost queues its mails there (docs/settings.rst).
With OUTBOX_PORT, the site mails through the demo outbox listening there
(tools/mail_outbox.py), from a demo sender address unless one was set.
"""

from AccessControl.SecurityManagement import newSecurityManager
from plone import api
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


def mail_to_outbox(port: int) -> None:
    """The current site mails through the demo outbox on ``port``."""
    get, put = api.portal.get_registry_record, api.portal.set_registry_record
    put("plone.smtp_host", "127.0.0.1")
    put("plone.smtp_port", port)
    if not get("plone.email_from_address", default=""):
        put("plone.email_from_address", "shop@example.org")
        put("plone.email_from_name", "Demo shop")
    if not get("getpaid.orders.shop_email", default=""):
        put("getpaid.orders.shop_email", "orders@example.org")
    print(f"Mails go to the demo outbox on port {port}.")


def install_or_upgrade(site) -> None:
    """The add-on installed, and upgraded if the site is from older code."""
    installer = get_installer(site)
    if not installer.is_product_installed("getpaid.orders"):
        installer.install_product("getpaid.orders")
        print("Installed getpaid.orders.")
    elif installer.upgrade_info("getpaid.orders").get("required"):
        installer.upgrade_product("getpaid.orders")
        print("Upgraded getpaid.orders.")


def main(app, mail_queue=None, outbox_port=None):
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

    install_or_upgrade(site)
    if not demo_applied(site.portal_setup):
        site.portal_setup.runAllImportStepsFromProfile(DEMO_PROFILE)
        print("Added the demo products under /shop.")
    if mail_queue:
        queue_mail(site, mail_queue)
    if outbox_port:
        mail_to_outbox(int(outbox_port))
    transaction.commit()


if __name__ == "__main__":  # as zconsole runs it; tests import it
    # zconsole keeps its own argv: run, the zope.conf, this script, then ours.
    main(app, *sys.argv[4:])  # noqa: F821 -- zconsole provides `app`
