"""A used checkout idempotency key, as stored: the order it placed, digests."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class KeyRecord:
    """What a key placed, and what a replay of it must show to be told.

    Kept in the orders folder's ``checkout_keys`` tree under the digest of
    the key (api/checkout_keys.py); holds no token and nothing of the
    customer but digests.
    """

    number: str  # the order the key placed
    created: datetime  # UTC; the key expires KEY_LIFETIME later
    # REST: SHA-256 of the whole request, which a replay must repeat.
    fingerprint: str = ""
    # The form: SHA-256 of the secret of the browser that used the key, and
    # the order's first owner token sealed with that secret (hex).
    browser: str = ""
    sealed: str = ""
