"""A small in-memory rate limiter: so many attempts per key and time window.

Kept in the Zope process, not the ZODB: counting attempts must not write
to the database (nor become a conflict hot spot). Several Zope processes
each count on their own, so the effective limit is per process.
"""

from collections import deque

import threading
import time


class RateLimiter:
    def __init__(self, attempts: int, window_seconds: float, clock=time.monotonic):
        self.attempts = attempts
        self.window = window_seconds
        self.clock = clock
        self.seen: dict[str, deque] = {}
        self.lock = threading.Lock()

    def allow(self, *keys: str) -> bool:
        """Count an attempt under every key; False if any key is over its limit."""
        now = self.clock()
        with self.lock:
            recent = []
            for key in keys:
                times = self.seen.setdefault(key, deque())
                while times and now - times[0] > self.window:
                    times.popleft()
                recent.append(times)
            if any(len(times) >= self.attempts for times in recent):
                return False
            for times in recent:
                times.append(now)
            return True

    def clear(self) -> None:
        with self.lock:
            self.seen.clear()
