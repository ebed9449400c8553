"""Mail that leaves only with a committed transaction."""

from getpaid.orders import logger
from plone import api

import transaction


def send_after_commit(messages, sender: str, what: str) -> None:
    """Send (message, recipient) pairs through MailHost once committed.

    An aborted or conflict-retried attempt sends nothing; a failing mail
    server is logged and can't undo what was committed.
    """
    transaction.get().addAfterCommitHook(
        _send_if_committed,
        args=(api.portal.get_tool("MailHost"), list(messages), sender, what),
    )


def _send_if_committed(committed, mailhost, messages, sender, what):
    if not committed:
        return
    for message, recipient in messages:
        try:
            mailhost.send(message, mto=[recipient], mfrom=sender, immediate=True)
        except Exception:  # what was committed stands; say the mail failed
            logger.exception("Could not send %s to %s", what, recipient)
