"""Checkout idempotency keys: what a used key placed, and for whom.

Records live in an OOBTree on the orders folder (``checkout_keys``), under
the SHA-256 of the key *and its namespace*: the form's keys (``FORM``) and
REST clients' ``Idempotency-Key`` headers (``REST``) never meet, whatever a
client sends. A record (content/checkout_key.py) holds the order's number
and digests only; who may learn what from a replay is api/checkout.py's
rule.

Keys expire KEY_LIFETIME after their first use, as Stripe's do: an expired
record counts as none, is overwritten if its key comes again, and is
pruned by the sweeper (``prune_keys``). A checkout still writes the tree
once, as before: no time index, no second hot object.

Records written before namespaces (a tuple of the number and a digest of
the e-mail and lines, under the bare key's digest) are still found, so a
retry across the update places no second order; they age with their order.
"""

from BTrees.OOBTree import OOBTree
from dataclasses import replace
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from getpaid.orders import _
from getpaid.orders.content.checkout_key import KeyRecord
from getpaid.orders.exceptions import InvalidValue

import base64
import hashlib
import hmac
import re
import secrets


FORM = "form"  # the checkout form's keys, bound to a browser
REST = "rest"  # Idempotency-Key headers, bound to the request's content
KEY_LIFETIME = timedelta(hours=24)
KEY_MIN_LENGTH = 20
KEY_MAX_LENGTH = 200
KEYS_ATTRIBUTE = "checkout_keys"
# A browser's secret, as new_browser_secret makes it: 256 random bits.
BROWSER_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")


class LegacyRecord(KeyRecord):
    """A record stored before namespaces, read into today's shape; never stored."""


def checkout_keys(folder):
    """The folder's idempotency keys (digest -> KeyRecord)."""
    keys = getattr(folder.aq_base, KEYS_ATTRIBUTE, None)
    if keys is None:  # made on install; this covers folders made before
        keys = OOBTree()
        setattr(folder, KEYS_ATTRIBUTE, keys)
    return keys


def key_digest(key: str, namespace: str) -> str:
    """The record's key in the tree; InvalidValue for a key that won't do."""
    if not isinstance(key, str) or not (KEY_MIN_LENGTH <= len(key) <= KEY_MAX_LENGTH):
        raise InvalidValue(
            _(
                "An idempotency key has ${low} to ${high} characters; "
                "a random UUID is a good one.",
                mapping={"low": KEY_MIN_LENGTH, "high": KEY_MAX_LENGTH},
            )
        )
    return _sha256(f"{namespace}\n{key}")


def _sha256(text: str) -> str:
    # surrogatepass: a form's bytes that weren't UTF-8 (lone surrogates in
    # Zope) make a key like any other, not a 500.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def new_browser_secret() -> str:
    return secrets.token_urlsafe(32)


def browser_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _pad(secret: str, key: str) -> bytes:
    """32 bytes only the browser holding ``secret`` can make again."""
    message = f"getpaid-checkout-seal\n{key}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def seal(token: str, secret: str, key: str) -> str:
    """The owner token (32 bytes, URL-safe base64) XOR the browser's pad, hex."""
    raw = base64.urlsafe_b64decode(token + "=")
    return bytes(a ^ b for a, b in zip(raw, _pad(secret, key), strict=True)).hex()


def unseal(sealed: str, secret: str, key: str) -> str:
    raw = bytes(
        a ^ b for a, b in zip(bytes.fromhex(sealed), _pad(secret, key), strict=True)
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _created(order) -> datetime:
    return order.created().asdatetime().astimezone(UTC)


def _read(folder, value) -> tuple[object, KeyRecord] | None:
    """(order, record) of a stored value, or None when its order is gone."""
    number = value.number if isinstance(value, KeyRecord) else value[0]
    order = folder.get(number) if isinstance(number, str) else None
    if order is None:
        return None
    if isinstance(value, KeyRecord):
        return order, value
    return order, LegacyRecord(number, _created(order), fingerprint=value[1])


def expired(record: KeyRecord, now: datetime | None = None) -> bool:
    return (now or datetime.now(UTC)) - record.created >= KEY_LIFETIME


def used(folder, key: str, namespace: str) -> tuple[object, KeyRecord] | None:
    """(order, record) if ``key`` placed an order that is still there, in the
    last KEY_LIFETIME; else None. InvalidValue for a key that won't do."""
    keys = checkout_keys(folder)
    value = keys.get(key_digest(key, namespace))
    if value is None:  # stored before namespaces: under the bare key
        value = keys.get(_sha256(key))
    found = _read(folder, value) if value is not None else None
    if found is None or expired(found[1]):
        return None
    return found


def remember(
    folder,
    key: str,
    namespace: str,
    number: str,
    *,
    fingerprint: str = "",
    browser_secret: str = "",
    token: str = "",
) -> None:
    """Keep what ``key`` placed: a REST request's fingerprint, or the
    browser's digest and the owner token sealed for that browser."""
    record = KeyRecord(number, datetime.now(UTC), fingerprint=fingerprint)
    if browser_secret:
        record = replace(
            record,
            browser=browser_digest(browser_secret),
            sealed=seal(token, browser_secret, key),
        )
    checkout_keys(folder)[key_digest(key, namespace)] = record


def prune_keys(folder, now: datetime | None = None, most: int = 1000) -> int:
    """Delete up to ``most`` expired records; how many.

    Old-style records go when their order is a day old, or gone.
    """
    keys = checkout_keys(folder)
    gone = []
    for digest, value in keys.items():
        # Today's records say their age: their orders aren't loaded.
        found = (None, value) if isinstance(value, KeyRecord) else _read(folder, value)
        if found is None or expired(found[1], now):
            gone.append(digest)
            if len(gone) >= most:
                break
    for digest in gone:
        del keys[digest]
    return len(gone)
