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
    # Who a share link is for, in the buyer's words ("Grandma"); links
    # stored before it existed read the class default.
    label: str = ""

    @property
    def active(self) -> bool:
        return self.revoked is None
