"""The orders export for accounting: its columns, decided here once.

Two kinds of row: one per order line (``lines``, the default) and one per
order (``orders``). Both have the order columns, in the same order; a line
row has the line columns after them, so a per-order file reads as the start
of a per-line one. The headers are fixed English names, not translated:
spreadsheets and accounting imports read them. From the first release on, a
new column is only ever appended (docs/backoffice.rst lists them).

Nothing here sees a request: the caller finds the orders
(``ExportQuery.catalog_query``) and hands them, with their catalog brains,
to ``csv_lines``, which makes the file piece by piece as they come.
"""

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from datetime import UTC
from decimal import Decimal
from getpaid.orders import _
from getpaid.orders.api.listing import created_range
from getpaid.orders.api.listing import ListingQuery
from getpaid.orders.api.settlement import Balance
from getpaid.orders.api.settlement import balance
from getpaid.orders.content.order import ADDRESS_PARTS
from getpaid.orders.exceptions import InvalidExport

import csv
import io


LINES, ORDERS = "lines", "orders"
ROW_KINDS = (LINES, ORDERS)


@dataclass(frozen=True)
class Row:
    """What a row's cells are read from: the order, its workflow state, its
    payment records and money by them and, in a line row, the line."""

    order: object
    state: str
    records: tuple
    money: Balance
    line: object = None


@dataclass(frozen=True)
class Column:
    name: str  # how docs and code name it
    header: str  # the file's header cell
    get: Callable[[Row], object]
    per_line: bool = False  # only in line rows


def _created(row: Row) -> str:
    moment = row.order.created().asdatetime().astimezone(UTC)
    return moment.isoformat(timespec="seconds")


def _payments(row: Row) -> str:
    ids = (payment.txn_id for payment in row.records)
    return " ".join(dict.fromkeys(txn_id for txn_id in ids if txn_id))


def _address(prefix: str, part: str) -> Callable[[Row], str]:
    return lambda row: getattr(row.order, f"{prefix}_{part}", None) or ""


def _ship_to(part: str) -> Callable[[Row], str]:
    # Where the goods go: the shipping address, or the billing one if none.
    def get(row: Row) -> str:
        prefix = "shipping" if row.order.has_shipping_address else "billing"
        return _address(prefix, part)(row)

    return get


COLUMNS = (
    Column("number", "order", lambda row: row.order.number),
    Column("created", "created", _created),
    Column("state", "state", lambda row: row.state),
    Column("currency", "currency", lambda row: row.order.currency),
    Column("total", "order total", lambda row: row.order.total),
    Column("paid", "paid", lambda row: row.money.paid),
    Column("refunded", "refunded", lambda row: row.money.refunded),
    Column("remaining", "remaining", lambda row: row.money.remaining),
    Column("first_name", "first name", lambda row: row.order.first_name),
    Column("last_name", "surname", lambda row: row.order.last_name),
    Column("email", "e-mail", lambda row: row.order.email),
    Column("member", "member", lambda row: row.order.buyer_id),
    Column("phone", "phone", lambda row: row.order.phone),
    Column("payments", "payments", _payments),
    *(
        Column(f"billing_{part}", f"billing {part.replace('_', ' ')}", get)
        for part in ADDRESS_PARTS
        for get in (_address("billing", part),)
    ),
    *(
        Column(f"ship_to_{part}", f"ship to {part.replace('_', ' ')}", _ship_to(part))
        for part in ADDRESS_PARTS
    ),
    Column("comment", "comment", lambda row: row.order.comment),
    Column("product", "product", lambda row: row.line.snapshot.display_name, True),
    Column("sku", "sku", lambda row: row.line.snapshot.sku, True),
    Column("unit_price", "unit price", lambda row: row.line.unit_price, True),
    Column("quantity", "quantity", lambda row: row.line.quantity, True),
    Column("line_total", "line total", lambda row: row.line.total, True),
)


def columns(kind: str = LINES) -> tuple[Column, ...]:
    return COLUMNS if kind == LINES else tuple(c for c in COLUMNS if not c.per_line)


def rows(order, state: str, kind: str = LINES) -> Iterator[list]:
    """The order's rows of this kind: lists of cell values, not yet text."""
    records, money = tuple(order.payments()), balance(order)
    if kind == ORDERS:
        found = [Row(order, state, records, money)]
    else:
        found = [Row(order, state, records, money, line) for line in order.lines]
    chosen = columns(kind)
    for row in found:
        yield [column.get(row) for column in chosen]


# What the file is, for the HTTP answer that carries it.
FILE_HEADERS = {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": 'attachment; filename="orders.csv"',
}

# Cells a spreadsheet would run as a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    # Numbers the shop wrote (amounts, quantities) carry no formula: a
    # negative one stays a number.
    if isinstance(value, Decimal | int):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(table) -> str:
    """Rows of values as CSV lines, each cell made safe for a spreadsheet."""
    out = io.StringIO()
    csv.writer(out).writerows([safe_cell(value) for value in row] for row in table)
    return out.getvalue()


def csv_lines(found: Iterable[tuple], kind: str = LINES) -> Iterator[str]:
    """The export as CSV text, a piece at a time: the header, then each
    order's rows. ``found``: (brain, order) pairs, in the file's order."""
    # The BOM tells Excel the file is UTF-8.
    yield "\ufeff" + csv_text([[column.header for column in columns(kind)]])
    for brain, order in found:
        yield csv_text(rows(order, brain.review_state, kind))


def _day(form, *names: str) -> date | None:
    """The first of the named parameters given, as a date; InvalidExport
    if it isn't one."""
    name = next((name for name in names if form.get(name)), None)
    if name is None:
        return None
    value = form[name]
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidExport(
            _(
                "${name} is not a date: give it as year-month-day, as 2026-12-31.",
                mapping={"name": name},
            )
        ) from None


@dataclass(frozen=True)
class ExportQuery:
    """Which orders an export has and its kind of row: the listing's
    filters (state, search, attention, sort), and created from ``start`` to
    ``end`` (whole days in UTC, both included)."""

    listing: ListingQuery
    start: date | None = None
    end: date | None = None
    kind: str = LINES

    @classmethod
    def from_form(cls, form) -> "ExportQuery":
        """Read request parameters; InvalidExport for a date that isn't one,
        a range that ends before it starts or an unknown kind of row. The
        listing's ``created.min``/``created.max`` are read as ``from``/``to``."""
        kind = form.get("rows") or LINES
        if kind not in ROW_KINDS:
            raise InvalidExport(_("rows is one of: orders, lines (the default)."))
        start = _day(form, "from", "created.min")
        end = _day(form, "to", "created.max")
        if start and end and start > end:
            raise InvalidExport(
                _(
                    "The date range ends (${end}) before it starts (${start}).",
                    mapping={"start": start.isoformat(), "end": end.isoformat()},
                )
            )
        listing = ListingQuery.from_form(form)
        return cls(replace(listing, start=None, end=None), start, end, kind)

    def catalog_query(self) -> dict:
        query = self.listing.catalog_query()
        if self.start or self.end:
            query["created"] = created_range(self.start, self.end, "UTC")
        return query
