"""A payment reminder mailed to an order's customer, as kept on the order."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Reminder:
    """One reminder sent (api/reminders.py); never changed once kept.

    ``kind`` is ``first`` or ``last`` (the sweeper's) or ``manual`` (staff
    sent it); ``link`` the digest of the owner link it carried, revoked when
    the next reminder goes.
    """

    kind: str
    when: datetime
    actor: str  # who sent it: a staff member's id, or the sweeper's user
    link: str = ""
