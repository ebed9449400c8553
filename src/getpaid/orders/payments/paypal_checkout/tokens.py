"""PayPal's OAuth2 access tokens, kept per process until shortly before
they expire.

A token lasts ``expires_in`` seconds (PayPal usually gives 9 hours). Asking
for one on every call would double the calls and PayPal rate-limits the
token endpoint, so each Zope process keeps one per (PayPal base URL, client
id, secret), shared by its threads. The secret is part of the key (as a
digest) so that new credentials take effect at once. One thread fetches
while the others for the same key wait for its token instead of fetching
their own.
"""

from collections.abc import Callable
from dataclasses import dataclass

import hashlib
import threading
import time


# Refresh this long before the expiry PayPal announced (at most 5 minutes,
# as Odoo does; a tenth of a short lifetime), so a token does not expire
# between our check and PayPal's.
MAX_MARGIN = 300.0


@dataclass(frozen=True)
class Token:
    value: str
    refresh_at: float  # on the cache's clock


class TokenCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._tokens: dict[tuple, Token] = {}
        self._locks: dict[tuple, threading.Lock] = {}
        self._guard = threading.Lock()

    @staticmethod
    def key(base_url: str, client_id: str, secret: str) -> tuple:
        return (base_url, client_id, hashlib.sha256(secret.encode()).hexdigest())

    def get(self, key: tuple, fetch: Callable[[], tuple[str, float]]) -> str:
        """The cached token for ``key``, or a new one from ``fetch()``, which
        returns (token, seconds it lasts) or raises."""
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            token = self._tokens.get(key)
            if token is None or self.clock() >= token.refresh_at:
                value, lasts = fetch()
                margin = min(MAX_MARGIN, lasts / 10)
                token = Token(value, self.clock() + lasts - margin)
                self._tokens[key] = token
            return token.value

    def discard(self, key: tuple, value: str) -> None:
        """Forget ``value`` (PayPal refused it), unless another thread has
        already replaced it with a newer token."""
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            token = self._tokens.get(key)
            if token is not None and token.value == value:
                del self._tokens[key]


TOKENS = TokenCache()  # the process's cache
