"""infrastructure/mail_queue.py relies on internals of Products.MailHost and
zope.sendmail. When an update changes any of them, these fail, loudly, before
a shop's mail silently stops or goes out twice: re-read mail_queue.py against
the new version, then move WRITTEN_AGAINST."""

from getpaid.orders.infrastructure.mail_queue import queued_at
from getpaid.orders.infrastructure.mail_queue import WRITTEN_AGAINST
from Products.MailHost import MailHost
from zope.sendmail import queue
from zope.sendmail.maildir import Maildir

import importlib.metadata
import inspect
import pytest
import time


@pytest.mark.parametrize("distribution", sorted(WRITTEN_AGAINST))
def test_the_versions_it_was_written_against(distribution):
    installed = importlib.metadata.version(distribution)
    release = ".".join(installed.split(".")[:2])  # a bug-fix release is fine
    assert release == WRITTEN_AGAINST[distribution], (
        f"{distribution} {installed}: check infrastructure/mail_queue.py"
    )


def test_mailhost_keeps_its_queue_threads_by_key():
    assert isinstance(MailHost.queue_threads, dict)
    for name in ("_getThreadKey", "_makeMailer", "_startQueueProcessorThread"):
        assert callable(getattr(MailHost.MailBase, name)), name
    assert "queue_threads[" in inspect.getsource(MailHost.MailBase)


def test_the_queue_thread_sends_each_file_through_one_method():
    """mail_queue wraps ``thread._process_one_file`` and sets its mailer."""
    thread = queue.QueueProcessorThread
    assert list(inspect.signature(thread._process_one_file).parameters) == [
        "self",
        "filename",
    ]
    assert "self._process_one_file(" in inspect.getsource(thread.run)
    assert callable(thread.setMailer)


def test_an_attempt_is_a_sending_mark_aged_out_after_max_send_time():
    """mail_queue backdates the ``.sending-`` mark of a failed send."""
    assert queue.MAX_SEND_TIME == 3 * 60 * 60
    source = inspect.getsource(queue.QueueProcessorThread._process_one_file)
    assert "'.sending-'" in source or '".sending-"' in source
    assert "MAX_SEND_TIME" in source


def test_a_queued_mail_is_named_by_when_it_was_queued(tmp_path):
    before = int(time.time())
    writer = Maildir(str(tmp_path / "queue"), create=True).newMessage()
    writer.write(b"Subject: hi\r\n\r\nHi")
    writer.commit()
    (name,) = (tmp_path / "queue" / "new").iterdir()
    assert before <= queued_at(str(name)) <= time.time()
