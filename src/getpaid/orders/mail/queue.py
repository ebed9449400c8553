"""MailHost's mail queue, kept sending and kept current.

With the queue on (ZMI → MailHost → *Use mail queue*), a mail is a file
that the transaction's commit moves into a maildir; a thread of the process
sends it, and tries again later if the mail server is down (docs/settings.rst).
MailHost starts that thread when the process queues its first mail, with
the mail settings of that moment, and keeps them: a mail left from before a
restart would wait for the next order, and a mail server changed in Site
Setup would not be used before a restart. Here the thread starts with the
process and gets the current settings with every mail queued.
"""

from Acquisition import aq_base
from getpaid.orders import logger
from Products.MailHost.MailHost import queue_threads
from zope.component.hooks import getSite
from zope.component.hooks import setSite

import os
import Zope2


def queue_only() -> bool:
    """MailHost's switch for a queue sent by another process (zope-sendmail)."""
    return bool(os.environ.get("MAILHOST_QUEUE_ONLY"))


def refresh_sender(mailhost) -> None:
    """Give the running queue thread Plone's mail settings as they are now.

    Plone builds a mailer from its registry (Site Setup → Mail), so this
    needs the site: call it within a request or with the site hook set.
    """
    thread = queue_threads.get(mailhost._getThreadKey())
    if thread is not None:
        thread.setMailer(mailhost._makeMailer())


def start_sending(event) -> None:
    """At process start (IProcessStarting, which zconsole scripts don't fire)."""
    if not queue_only():
        start_queues(Zope2.DB)


def start_queues(database) -> None:
    """A sending thread for every Plone site whose MailHost queues.

    Mails queued before a crash or a restart go out now, not with the next
    order.
    """
    connection = database.open()
    before = getSite()
    try:
        app = connection.root()["Application"]
        for site in app.objectValues("Plone Site"):
            mailhost = getattr(aq_base(site), "MailHost", None)
            if mailhost is None or not mailhost.smtp_queue:
                continue
            setSite(site)  # Plone's mailer reads the site's registry
            mailhost._startQueueProcessorThread()
            logger.info(
                "Sending the mail queue of /%s from %s",
                site.getId(),
                mailhost.smtp_queue_directory,
            )
    finally:
        setSite(before)
        connection.close()
