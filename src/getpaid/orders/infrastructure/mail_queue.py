"""MailHost's mail queue, kept sending, with the mail settings of the day.

With the queue on (ZMI → MailHost → *Use mail queue*), a mail is a file
that the transaction's commit moves into a maildir; a thread of the process
sends it (zope.sendmail; docs/settings.rst says when it tries again).
MailHost starts that thread when the process queues its first mail, with a
mailer made from the mail settings of that moment. Two things follow that
a shop can't have: a mail left from before a restart waits for the next
order, and a thread keeps sending with old settings after Site Setup
changed them, even the mails another instance queued in a shared folder
(a changed password even gets them discarded as refused). And a mail the
server did not take waits 3 hours for its next try: the confirmation, with
the customer's link to pay, too. So here:

- each process starts the thread of every queuing site at its first
  request (zconsole scripts, which serve none, don't start one), and takes
  over a thread restarted from the ZMI at the next request;
- the thread's mailer reads the site's mail settings at every send;
- a mail that failed is tried again after about as long as it has been
  queued: a minute, then 2, 4... up to an hour between tries;
- a mail the server took is sent, even if the goodbye after it fails.

All of it is opt-in: it changes how every mail of the site is sent, so it
acts only where the environment says ``GETPAID_TEND_MAIL_QUEUE=on``
(zope.conf's ``<environment>``; the demo sets it). It relies on internals
of the versions in WRITTEN_AGAINST (MailHost's queue-thread registry and
thread key, zope.sendmail's ``_process_one_file``, ``.sending-`` marks and
maildir names); tests/infrastructure fails when they change.
"""

from Acquisition import aq_base
from getpaid.orders import logger
from Products.MailHost.MailHost import queue_threads
from zope.component.hooks import getSite
from zope.component.hooks import setSite
from zope.sendmail.queue import MAX_SEND_TIME

import contextlib
import functools
import os
import smtplib
import threading
import time
import Zope2


SWITCH = "GETPAID_TEND_MAIL_QUEUE"
WRITTEN_AGAINST = {"Products.MailHost": "6.1", "zope.sendmail": "7.2"}
FIRST_RETRY = 60  # seconds, at least, from a failed send to the next
LONGEST_WAIT = 3600  # seconds, at most


def enabled() -> bool:
    """Whether this process tends MailHost's queues (read at each call, so
    a test or a script may switch it)."""
    return os.environ.get(SWITCH, "").lower() in ("on", "1", "true")


def retry_delay(queued_for: float) -> float:
    """Seconds from a failed send to the next, for a mail queued that long:
    as long again, so the waits double, from a minute up to an hour."""
    return min(max(queued_for, FIRST_RETRY), LONGEST_WAIT)


def queued_at(filename: str) -> int | None:
    """When a mail was queued: zope.sendmail's maildir names start with it."""
    try:
        return int(os.path.basename(filename).split(".", 1)[0])
    except ValueError:
        return None


class SiteMailer:
    """Sends through the site's MailHost with its mail settings as they are now.

    Runs in the queue's thread: it reads them through a connection of its own.
    ``failed`` says a send raised (reset by retry_failed_sends_soon).
    """

    failed = False

    def __init__(self, database, site_path: str):
        self.database, self.site_path = database, site_path

    def send(self, fromaddr, toaddrs, message):
        try:
            self.current().send(fromaddr, toaddrs, message)
        except Exception:
            self.failed = True
            raise

    def current(self):
        connection = self.database.open()
        before = getSite()
        try:
            site = connection.root()["Application"].unrestrictedTraverse(self.site_path)
            setSite(site)  # Plone's mailer reads the site's registry
            mailer = site.MailHost._makeMailer()
            mailer.smtp = keeping_accepted(mailer.smtp)
            return mailer
        finally:
            setSite(before)
            connection.close()


@functools.cache
def keeping_accepted(smtp_class):
    """``smtp_class`` whose mail, once the server took it, counts as sent
    even if QUIT fails.

    The server's reply to the mail's DATA hands it over (RFC 5321); but
    zope.sendmail raises what QUIT raises after it, and the queue would send
    the mail again: the customer would get it twice.
    """

    class Connection(smtp_class):
        accepted = False

        def sendmail(self, *args, **kwargs):
            refused = super().sendmail(*args, **kwargs)
            self.accepted = True
            return refused

        def quit(self):
            try:
                return super().quit()
            except (smtplib.SMTPException, OSError):
                if not self.accepted:
                    raise
                logger.warning("The mail server took a mail, then failed at QUIT")
                self.close()

    return Connection


_adopted = {}  # queue thread key -> (database, site path), in this process
_adopting = threading.Lock()


def adopt_queue_thread(mailhost, site, database) -> None:
    """Give the queue thread of ``mailhost`` (if running) our mailer and retries."""
    if not enabled():
        return
    key = mailhost._getThreadKey()
    _adopted[key] = (database, "/".join(site.getPhysicalPath()))
    adopt_threads()


def adopt_threads() -> None:
    """Take over the running queue threads of the sites adopted before.

    Cheap enough for every request: MailHost's ZMI can stop and start a
    thread, and the new one comes with MailHost's plain mailer.
    """
    for key, (database, path) in list(_adopted.items()):
        thread = queue_threads.get(key)
        if thread is None or getattr(thread, "getpaid_adopted", False):
            continue
        with _adopting:
            if not getattr(thread, "getpaid_adopted", False):
                thread.setMailer(SiteMailer(database, path))
                retry_failed_sends_soon(thread)
                thread.getpaid_adopted = True


def retry_failed_sends_soon(thread) -> None:
    """Try a mail the server did not take again in minutes, not hours.

    zope.sendmail marks a mail it sends with a ``.sending-`` link, which
    also keeps other threads and processes off it; after a failed send the
    mark stays, and only a mark older than MAX_SEND_TIME (3 hours) is taken
    for an abandoned attempt. Backdating the mark makes it that old sooner,
    for every process sharing the folder, and after a restart.
    """
    process_one_file = thread._process_one_file

    def process(filename):
        mailer = thread.mailer
        if isinstance(mailer, SiteMailer):
            mailer.failed = False
        process_one_file(filename)  # sends, or skips a mail marked by another
        if getattr(mailer, "failed", False) and os.path.exists(filename):
            now = time.time()
            waited = now - (queued_at(filename) or now)
            due = now - MAX_SEND_TIME + retry_delay(waited)
            head, tail = os.path.split(filename)
            # OSError: sent by another meanwhile; never let it stop the thread.
            with contextlib.suppress(OSError):
                os.utime(os.path.join(head, ".sending-" + tail), (due, due))

    thread._process_one_file = process


_started = False
_starting = threading.Lock()


def tend_queues(event) -> None:
    """IPubStart: start the queues at the process's first request, and take
    over a thread restarted since at any request.

    Not at IProcessStarting, which zconsole fires too: a script that ends
    while its thread sends would leave that mail marked for hours.
    """
    global _started
    if not enabled():
        return
    if _started:
        adopt_threads()
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
                adopt_queue_thread(mailhost, site, database)
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
