"""A secret link to one order, as stored: never the token, only its digest."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SecretLink:
    """``kind`` is ``owner`` (read, pay, cancel) or ``status`` (read only)."""

    kind: str
    digest: str  # SHA-256 of the token, hex
    created: datetime
    revoked: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked is None
