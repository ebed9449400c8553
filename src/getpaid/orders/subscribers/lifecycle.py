"""When an order is paid, a time-limited purchase starts running; when it
is final, the time its customer's data is kept."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC


def start_time_limited(event) -> None:
    """Start now, end after the longest duration among its lines.

    Managers may change start and end afterwards (update_order); a second
    payment event never moves a period already set.
    """
    order = event.order
    durations = [
        line.snapshot.duration_days
        for line in order.lines
        if line.snapshot.duration_days
    ]
    if not durations or order.end is not None:
        return
    start = datetime.now(UTC)
    order.start = start
    order.end = start + timedelta(days=max(durations))
    order.reindexObject(idxs=["order_end"])


def index_final(event) -> None:
    """Reindex when the order became final (or stopped being final): the
    sweeper finds orders past the retention period by it."""
    event.order.reindexObject(idxs=["order_final"])
