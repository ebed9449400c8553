"""A note staff add to an order: for its customer, or for staff only."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Note:
    """One note, as written; never changed once added (api/notes.py).

    ``for_customer``: shown on the customer's page (the buyer's and the
    owner link's, never a share link's) and mailed to them; otherwise an
    internal note, which only staff read.
    """

    when: datetime
    author: str  # the user id of the staff member who wrote it
    text: str
    for_customer: bool
