"""The order's history: every transition and edit, who, when, why, from where."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class HistoryEntry:
    """One change of an order.

    ``action`` is a transition id, or ``edit`` for a change of ``field``;
    ``old`` and ``new`` are states for a transition, values for an edit.
    ``source`` is one of ``getpaid.orders.workflow.SOURCES``.
    """

    when: datetime
    actor: str
    source: str
    action: str
    old: str
    new: str
    comment: str = ""
    field: str = ""
