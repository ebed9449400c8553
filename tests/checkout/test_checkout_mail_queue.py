"""With MailHost's queue on, order mails are files written with the commit:
they wait out a mail server that is down, follow the mail settings, and go
out when the process starts again. Real SMTP on loopback throughout."""

from aiosmtpd.controller import Controller
from getpaid.orders import api as shop
from getpaid.orders.infrastructure import mail_queue as queue
from getpaid.orders.infrastructure.mail_queue import SiteMailer
from getpaid.orders.infrastructure.mail_queue import start_queues
from plone import api
from Products.MailHost.MailHost import queue_threads
from shop_fixtures import free_port
from shop_fixtures import Inbox
from ZODB.POSException import ConflictError
from zope.sendmail.delivery import QueuedMailDelivery
from zope.sendmail.queue import MAX_SEND_TIME
from zope.sendmail.queue import QueueProcessorThread

import os
import pytest
import smtplib
import time
import transaction


class Queue:
    def __init__(self, folder):
        self.folder = folder

    def waiting(self) -> list:
        """Messages committed to the queue and not sent yet."""
        return sorted(
            p.name for p in (self.folder / "new").iterdir() if p.name[0] != "."
        )

    def unfinished(self) -> list:
        """Messages written by a transaction that has not committed."""
        return sorted(p.name for p in (self.folder / "tmp").iterdir())


@pytest.fixture
def mail_queue(shop_site, tmp_path, monkeypatch):
    """The site's MailHost queuing, and this process tending its queue."""
    monkeypatch.setenv(queue.SWITCH, "on")
    mailhost = api.portal.get_tool("MailHost")
    mailhost.smtp_queue = True
    mailhost.smtp_queue_directory = str(tmp_path / "queue")
    transaction.commit()
    yield Queue(tmp_path / "queue")
    thread = queue_threads.pop(mailhost._getThreadKey(), None)
    if thread is not None:
        thread.stop()  # ends after its nap; not worth waiting 3 s for


@pytest.fixture
def checkout(shop_site, customer):
    def place():
        placed = shop.checkout([(shop_site["mug"], 1)], customer)
        return placed.order.number

    return place


def recipients(received) -> list:
    return sorted(r for _, rcpts, _ in received for r in rcpts)


def wait_until(condition, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def marks(mail_queue) -> dict:
    """How long ago each ``.sending-`` mark was last touched, in seconds."""
    now = time.time()
    return {
        p.name: now - p.stat().st_mtime
        for p in (mail_queue.folder / "new").glob(".sending-*")
    }


def test_a_queued_confirmation_waits_for_the_mail_server(
    checkout, mail_queue, caplog, monkeypatch
):
    monkeypatch.setattr(queue, "FIRST_RETRY", 1)  # instead of a minute
    port = free_port()
    api.portal.set_registry_record("plone.smtp_port", port)  # nothing listens
    number = checkout()
    transaction.commit()

    assert wait_until(lambda: caplog.text.count("Error while sending mail") >= 2)
    assert len(mail_queue.waiting()) == 2  # the customer's and the shop's copy

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        received = inbox.wait_for(2, timeout=15)  # tried again, a second later
        # The server up until the sends are over: a goodbye cut short is not
        # what this test is about (see the test after it).
        assert wait_until(lambda: mail_queue.waiting() == [])
    finally:
        server.stop()
    assert recipients(received) == ["ada@example.org", "orders@example.org"]
    assert all(number in message["Subject"] for _, _, message in received)


class HangsUpAtQuit(Inbox):
    """Takes the mail, then drops the connection instead of saying goodbye."""

    async def handle_QUIT(self, server, session, envelope):
        server.transport.abort()
        return "221 Bye"


def test_a_mail_the_server_took_is_not_sent_again(shop_site, mail_queue, caplog):
    inbox = HangsUpAtQuit()
    port = free_port()
    api.portal.set_registry_record("plone.smtp_port", port)
    transaction.commit()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        start_queues(shop_site._p_jar.db())
        QueuedMailDelivery(str(mail_queue.folder)).send(
            "shop@example.org", ["ada@example.org"], b"Subject: once\r\n\r\nHi"
        )
        transaction.commit()
        assert wait_until(lambda: mail_queue.waiting() == [])
        time.sleep(3.5)  # a round of the thread (every 3 s), were it kept
    finally:
        server.stop()
    assert [message["Subject"] for _, _, message in inbox.received] == ["once"]
    assert "failed at QUIT" in caplog.text
    assert "Error while sending mail" not in caplog.text


def put(mail_queue, name: str, marked: bool = False) -> None:
    """Queue a mail as another process would, maybe already sending it."""
    message = mail_queue.folder / "tmp" / name
    message.write_bytes(b"X-Zope-From: a@example.org\nX-Zope-To: b@example.org\n\nHi")
    if marked:
        os.link(message, mail_queue.folder / "new" / f".sending-{name}")
    message.rename(mail_queue.folder / "new" / name)


def due_in(mail_queue) -> dict:
    """Seconds until each marked mail is tried again."""
    return {
        name.removeprefix(".sending-"): MAX_SEND_TIME - age
        for name, age in marks(mail_queue).items()
    }


def test_a_failed_mail_waits_as_long_as_it_was_queued_a_minute_to_an_hour(
    checkout, mail_queue, caplog
):
    api.portal.set_registry_record("plone.smtp_port", free_port())  # nobody
    checkout()
    transaction.commit()
    assert wait_until(lambda: caplog.text.count("Error while sending mail") == 2)
    # zope.sendmail alone would try them again in 3 hours.
    assert all(55 < due <= 60 for due in due_in(mail_queue).values())

    now = int(time.time())
    put(mail_queue, f"{now - 600}.1.queued-10-minutes-ago.1")
    put(mail_queue, f"{now - 7200}.1.queued-2-hours-ago.1")
    assert wait_until(lambda: caplog.text.count("Error while sending mail") == 4)
    waits = due_in(mail_queue)
    # Queued 10 minutes ago when the thread came to it, a few seconds later.
    assert 590 < waits[f"{now - 600}.1.queued-10-minutes-ago.1"] < 615
    assert 3590 < waits[f"{now - 7200}.1.queued-2-hours-ago.1"] <= 3600


class PlainSMTP:
    """A mailer of another process (Plone patches zope.sendmail's own)."""

    def __init__(self, port: int):
        self.port = port

    def send(self, fromaddr, toaddrs, message):
        with smtplib.SMTP("127.0.0.1", self.port) as smtp:
            smtp.sendmail(fromaddr, toaddrs, message)


def test_another_process_on_the_folder_tries_a_failed_mail_when_due(
    checkout, mail_queue, caplog, monkeypatch
):
    monkeypatch.setattr(queue, "FIRST_RETRY", 1)  # instead of a minute
    port = free_port()
    api.portal.set_registry_record("plone.smtp_port", port)  # nothing listens
    checkout()
    transaction.commit()
    assert wait_until(lambda: caplog.text.count("Error while sending mail") == 2)
    mailhost = api.portal.get_tool("MailHost")
    queue_threads.pop(mailhost._getThreadKey()).stop()  # this process is gone

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    # Another process: zope.sendmail's own thread, which knows nothing of
    # getpaid.orders, reads only the marks.
    other = QueueProcessorThread(interval=0.5)
    other.setMailer(PlainSMTP(port))
    other.setQueuePath(str(mail_queue.folder))
    other.start()
    try:
        received = inbox.wait_for(2, timeout=15)
    finally:
        other.stop()
        server.stop()
    assert recipients(received) == ["ada@example.org", "orders@example.org"]


def test_retries_wait_as_long_as_the_mail_was_queued_a_minute_to_an_hour():
    waits = [queue.retry_delay(seconds) for seconds in (0, 59, 60, 61, 600, 7200)]
    assert waits == [60, 60, 60, 61, 600, 3600]
    assert queue.queued_at("/queue/new/1795451574.16101.host.1522064902") == 1795451574
    assert queue.queued_at("/queue/new/nan.1.host.1") is None


def test_a_mail_another_process_is_sending_is_left_alone(checkout, mail_queue, caplog):
    api.portal.set_registry_record("plone.smtp_port", free_port())  # nobody
    checkout()
    transaction.commit()
    assert wait_until(lambda: caplog.text.count("Error while sending mail") == 2)

    put(mail_queue, "elsewhere", marked=True)  # by another instance, just now
    time.sleep(4)  # a round of the thread (every 3 s) after its failed sends

    assert marks(mail_queue)[".sending-elsewhere"] < 5
    assert "elsewhere" in mail_queue.waiting()


def test_a_thread_restarted_in_the_zmi_is_taken_over_at_the_next_request(
    shop_site, mail_queue, monkeypatch
):
    start_queues(shop_site._p_jar.db())
    mailhost = api.portal.get_tool("MailHost")
    key = mailhost._getThreadKey()
    first = queue_threads[key]
    assert isinstance(first.mailer, SiteMailer)

    mailhost.manage_restartQueueThread("stop")
    mailhost.manage_restartQueueThread("start")
    thread = queue_threads[key]
    assert thread is not first and not isinstance(thread.mailer, SiteMailer)

    monkeypatch.setattr(queue, "_started", True)  # not the process's first
    queue.tend_queues(None)
    assert isinstance(thread.mailer, SiteMailer)
    taken_over = thread._process_one_file
    queue.tend_queues(None)
    start_queues(shop_site._p_jar.db())
    assert thread._process_one_file is taken_over  # wrapped once, not stacked


def test_without_the_switch_the_queue_is_mailhost_s_own(
    shop_site, checkout, mail_queue, monkeypatch
):
    """Tending changes how every mail of the site is sent: opt-in only."""
    monkeypatch.delenv(queue.SWITCH)
    monkeypatch.setattr(queue, "_started", False)  # the process's first request
    queue.tend_queues(None)
    mailhost = api.portal.get_tool("MailHost")
    assert mailhost._getThreadKey() not in queue_threads  # nothing started

    checkout()
    transaction.commit()  # MailHost starts its thread for the queued mails
    thread = queue_threads[mailhost._getThreadKey()]
    assert not isinstance(thread.mailer, SiteMailer)
    assert not getattr(thread, "getpaid_adopted", False)


def test_an_aborted_checkout_leaves_nothing_in_the_queue(checkout, mail_queue):
    checkout()
    assert len(mail_queue.unfinished()) == 2  # written, not yet committed
    transaction.abort()
    assert mail_queue.unfinished() == []
    assert mail_queue.waiting() == []


def test_a_retried_checkout_queues_the_mails_of_the_last_attempt_only(
    shop_site, checkout, mail_queue, inbox
):
    numbers = []
    for attempt in transaction.manager.attempts(3):
        with attempt:
            numbers.append(checkout())
            if len(numbers) == 1:
                raise ConflictError("as if another thread had won")

    received = inbox.wait_for(2, timeout=15)
    time.sleep(0.5)  # a third mail would be a bug: give it a chance to show
    assert recipients(received) == ["ada@example.org", "orders@example.org"]
    assert all(numbers[1] in message["Subject"] for _, _, message in received)
    assert mail_queue.unfinished() == mail_queue.waiting() == []


def test_the_queue_sends_with_the_mail_settings_of_the_moment(
    shop_site, mail_queue, inbox
):
    api.portal.set_registry_record("plone.smtp_port", free_port())  # nobody
    transaction.commit()
    start_queues(shop_site._p_jar.db())  # the thread starts with these settings
    api.portal.set_registry_record("plone.smtp_port", inbox.port)  # Site Setup
    transaction.commit()

    # Queued by another instance sharing the folder: this process only sends it.
    QueuedMailDelivery(str(mail_queue.folder)).send(
        "shop@example.org", ["ada@example.org"], b"Subject: queued elsewhere\r\n\r\nHi"
    )
    transaction.commit()

    received = inbox.wait_for(1, timeout=15)
    assert [message["Subject"] for _, _, message in received] == ["queued elsewhere"]


def test_mails_left_in_the_queue_go_out_when_the_process_starts(
    shop_site, checkout, mail_queue, inbox, monkeypatch
):
    # As if the process had died after the commit, before its thread sent.
    monkeypatch.setenv("MAILHOST_QUEUE_ONLY", "1")
    number = checkout()
    transaction.commit()
    assert os.path.realpath(mail_queue.folder) not in queue_threads
    assert len(mail_queue.waiting()) == 2
    monkeypatch.delenv("MAILHOST_QUEUE_ONLY")

    start_queues(shop_site._p_jar.db())  # what IProcessStarting runs

    received = inbox.wait_for(2, timeout=15)
    assert recipients(received) == ["ada@example.org", "orders@example.org"]
    assert all(number in message["Subject"] for _, _, message in received)


def test_an_unwritable_queue_sends_directly_and_says_so(
    shop_site, checkout, inbox, tmp_path, caplog
):
    (tmp_path / "a-file").write_text("")
    mailhost = api.portal.get_tool("MailHost")
    mailhost.smtp_queue = True
    mailhost.smtp_queue_directory = str(tmp_path / "a-file" / "queue")

    number = checkout()
    transaction.commit()

    received = inbox.wait_for(2, timeout=5)
    assert recipients(received) == ["ada@example.org", "orders@example.org"]
    assert all(number in message["Subject"] for _, _, message in received)
    assert "Could not queue the confirmation of order" in caplog.text


def test_a_queue_folder_that_is_no_maildir_neither_stops_start_up_nor_orders(
    shop_site, checkout, inbox, tmp_path, caplog
):
    (tmp_path / "some-folder").mkdir()
    mailhost = api.portal.get_tool("MailHost")
    mailhost.smtp_queue = True
    mailhost.smtp_queue_directory = str(tmp_path / "some-folder")  # as ZMI's /tmp
    transaction.commit()

    start_queues(shop_site._p_jar.db())
    assert "Could not start the mail queue of plone" in caplog.text

    number = checkout()
    transaction.commit()
    received = inbox.wait_for(2, timeout=5)
    assert all(number in message["Subject"] for _, _, message in received)
    assert len(received) == 2
    assert "Could not queue the confirmation of order" in caplog.text
