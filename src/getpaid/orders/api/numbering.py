"""Order numbers: short, readable, unique, and no shared counter.

A number is the day it was placed and five random characters, e.g.
``261122-7KQ2M``: 31**5 (28 million) a day, from an alphabet without 0/O and
1/I/L so it can be read over the phone. A counter would be one object every
checkout writes, a conflict hot spot across Zope instances; and a counter
that never conflicts (``BTrees.Length``) hands out duplicates. Here the number
is the order's id in the orders folder's BTree, so two transactions that draw
the same number insert the same key, and the ZODB refuses the second
(ConflictError, retried) instead of keeping two orders.
"""

from collections.abc import Callable
from datetime import datetime
from datetime import UTC

import secrets


ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 5


def random_suffix() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))


def new_order_number(
    taken: Callable[[str], bool],
    now: datetime | None = None,
    suffix: Callable[[], str] | None = None,
) -> str:
    """A number for which ``taken(number)`` is false."""
    suffix = suffix or random_suffix
    day = (now or datetime.now(UTC)).strftime("%y%m%d")
    while True:
        number = f"{day}-{suffix()}"
        if not taken(number):
            return number
