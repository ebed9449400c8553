"""Mail that leaves only with a committed transaction, from the site's sender."""

from email.headerregistry import Address
from getpaid.orders import _
from getpaid.orders import logger
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.infrastructure.mail_queue import adopt_queue_thread
from plone import api

import transaction


def sender_address() -> str:
    """The site's sender address (Site Setup → Mail), "" without one: the
    one place getpaid.orders reads it."""
    return api.portal.get_registry_record("plone.email_from_address", default="") or ""


def can_mail() -> bool:
    """Whether the site has a sender address: without one, no shop mail is
    sent, and screens must not say otherwise."""
    return bool(sender_address())


def shop_name() -> str:
    """The shop's name in mails: the Shop settings', or the site's title."""
    return get_setting("shop_name", "") or api.portal.get().Title()


def shop_sender() -> Address:
    """The site's sender (Site Setup → Mail), named as the site names it."""
    return Address(
        api.portal.get_registry_record("plone.email_from_name", default="")
        or shop_name(),
        addr_spec=sender_address(),
    )


# What customers are told instead (staff are told NO_MAIL).
SHOP_CANNOT_MAIL = _(
    "This shop can't send e-mail at the moment. Please contact the shop."
)

NO_MAIL = _(
    "No e-mail was sent: the site has no e-mail address to send from "
    "(Site Setup → Mail)."
)


def send_on_commit(messages, sender: str, what: str) -> None:
    """Send (message, recipient) pairs through MailHost once committed.

    An aborted or conflict-retried attempt sends nothing. With MailHost's
    queue on, each mail is written to the queue with the commit: it waits
    out a mail server that is down, and a crash right after the commit
    (infrastructure/mail_queue.py, docs/settings.rst). Without the queue
    the mails go out after the commit, and a failing mail server is only
    logged: it can't undo the commit.
    """
    mailhost = api.portal.get_tool("MailHost")
    messages = list(messages)
    if mailhost.smtp_queue:
        messages = _queue(mailhost, messages, sender, what)
    if messages:
        transaction.get().addAfterCommitHook(
            _send_if_committed, args=(mailhost, messages, sender, what)
        )


def _queue(mailhost, messages, sender, what) -> list:
    """Queue what the queue takes; return what it refused (to send directly)."""
    for n, (message, recipient) in enumerate(messages):
        try:
            mailhost.send(message, mto=[recipient], mfrom=sender, immediate=False)
        except (OSError, ValueError):  # a folder unwritable, or not a maildir
            logger.exception("Could not queue %s; sending it directly", what)
            return messages[n:]
    adopt_queue_thread(mailhost, api.portal.get(), mailhost._p_jar.db())
    return []


def _send_if_committed(committed, mailhost, messages, sender, what):
    if not committed:
        return
    for message, recipient in messages:
        try:
            mailhost.send(message, mto=[recipient], mfrom=sender, immediate=True)
        except Exception:  # what was committed stands; say the mail failed
            logger.exception("Could not send %s to %s", what, recipient)
