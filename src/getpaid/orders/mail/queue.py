"""MailHost's mail queue, kept sending, with the mail settings of the day.

With the queue on (ZMI → MailHost → *Use mail queue*), a mail is a file
that the transaction's commit moves into a maildir; a thread of the process
sends it (zope.sendmail; docs/settings.rst says when it tries again).
MailHost starts that thread when the process queues its first mail, with a
mailer made from the mail settings of that moment. Two things follow that
a shop can't have: a mail left from before a restart waits for the next
order, and a thread keeps sending with old settings after Site Setup
changed them, even the mails another instance queued in a shared folder
(a changed password even gets them discarded as refused). So here:

- each process starts the thread of every queuing site at its first
  request (zconsole scripts, which serve none, don't start one);
- the thread's mailer reads the site's mail settings at every send.
"""

from Acquisition import aq_base
from getpaid.orders import logger
from Products.MailHost.MailHost import queue_threads
from zope.component.hooks import getSite
from zope.component.hooks import setSite

import os
import threading
import Zope2


class SiteMailer:
    """Sends through the site's MailHost with its mail settings as they are now.

    Runs in the queue's thread: it reads them through a connection of its own.
    """

    def __init__(self, database, site_path: str):
        self.database, self.site_path = database, site_path

    def send(self, fromaddr, toaddrs, message):
        self.current().send(fromaddr, toaddrs, message)

    def current(self):
        connection = self.database.open()
        before = getSite()
        try:
            site = connection.root()["Application"].unrestrictedTraverse(self.site_path)
            setSite(site)  # Plone's mailer reads the site's registry
            return site.MailHost._makeMailer()
        finally:
            setSite(before)
            connection.close()


def send_with_current_settings(mailhost, site, database) -> None:
    """Make the queue thread of ``mailhost`` (if running) read the settings."""
    thread = queue_threads.get(mailhost._getThreadKey())
    path = "/".join(site.getPhysicalPath())
    if thread is not None and getattr(thread.mailer, "site_path", None) != path:
        thread.setMailer(SiteMailer(database, path))


_started = False
_starting = threading.Lock()


def start_on_first_request(event) -> None:
    """IPubStart: once per process, start the queues.

    Not at IProcessStarting, which zconsole fires too: a script that ends
    while its thread sends would leave that mail marked for hours.
    """
    global _started
    if _started:
        return
    with _starting:
        if _started:
            return
        _started = True
    database = getattr(Zope2, "DB", None)
    # MailHost's own switch: another process (zope-sendmail) sends.
    if database is not None and not os.environ.get("MAILHOST_QUEUE_ONLY"):
        start_queues(database)


def start_queues(database) -> None:
    """A sending thread for every Plone site whose MailHost queues.

    Mails never tried before a crash or a restart go out now, not with the
    next order. A queue that can't start is logged: the site still serves.
    """
    connection = database.open()
    before = getSite()
    try:
        app = connection.root()["Application"]
        for site in app.objectValues("Plone Site"):
            mailhost = getattr(aq_base(site), "MailHost", None)
            if mailhost is None or not mailhost.smtp_queue:
                continue
            try:
                setSite(site)
                mailhost = site.MailHost
                mailhost._startQueueProcessorThread()
                send_with_current_settings(mailhost, site, database)
            except Exception:  # e.g. a queue folder that isn't a maildir
                logger.exception("Could not start the mail queue of %s", site.getId())
                continue
            logger.info(
                "Sending the mail queue of /%s from %s",
                site.getId(),
                mailhost.smtp_queue_directory,
            )
    finally:
        setSite(before)
        connection.close()
