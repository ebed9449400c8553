"""Writing the order's history."""

from datetime import datetime
from datetime import UTC
from getpaid.orders.content.history import HistoryEntry
from getpaid.orders.workflow import SOURCES
from plone import api


def current_actor() -> str:
    """The id of the user acting now, or ``Anonymous User``."""
    user = api.user.get_current()
    return user.getId() or user.getUserName()


def add_history(
    order, *, source: str, action: str, old="", new="", comment="", field=""
):
    """Append one entry to the order's history."""
    if source not in SOURCES:
        raise ValueError(f"Unknown source {source!r}; one of {SOURCES}.")
    entry = HistoryEntry(
        when=datetime.now(UTC),
        actor=current_actor(),
        source=source,
        action=action,
        old=str(old or ""),
        new=str(new or ""),
        comment=comment or "",
        field=field,
    )
    order.history = (*order.history, entry)
    return entry
