"""The orders listing's query: search, filter, sort and batch, all in the catalog.

Shared by the listing page, its CSV export and the REST service, so they
always agree on what "the current result" is.
"""

from dataclasses import dataclass
from dataclasses import replace
from DateTime import DateTime
from datetime import date
from datetime import timedelta
from getpaid.orders.workflow import STATES

import re


# Column -> catalog index to sort on.
SORTS = {
    "created": "created",
    "number": "order_number",
    "customer": "customer_sortable",
    "total": "order_total",
    "state": "review_state",
}
MAX_BATCH = 500
SURROGATES = re.compile("[\ud800-\udfff]")


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _text(value) -> str:
    """What was searched for, as a page can show it: bytes that weren't
    UTF-8 (Zope hands them on as lone surrogates) become U+FFFD, as a
    browser shows them: a link or page can't carry lone surrogates."""
    return SURROGATES.sub("\ufffd", str(value or ""))


def _int(value, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(int(value), high))
    except (TypeError, ValueError):
        return default


def created_range(start: date | None, end: date | None, zone: str = "") -> dict:
    """The catalog's ``created`` query for whole days from ``start`` to
    ``end`` (either may be None), in ``zone`` ("UTC"…; "": the server's)."""
    suffix = f" {zone}" if zone else ""
    low = DateTime(start.isoformat() + suffix) if start else None
    # The whole end day: before the next day's midnight.
    high = (
        DateTime((end + timedelta(days=1)).isoformat() + suffix) - 1 / 86400
        if end
        else None
    )
    if low and high:
        return {"query": (low, high), "range": "min:max"}
    if low:
        return {"query": low, "range": "min"}
    return {"query": high, "range": "max"}


@dataclass(frozen=True)
class ListingQuery:
    text: str = ""
    states: tuple[str, ...] = ()
    start: date | None = None  # created on or after
    end: date | None = None  # created on or before
    attention: bool = False  # only orders a person must look at
    sort_on: str = "created"
    reverse: bool = True
    b_start: int = 0
    b_size: int = 50

    @classmethod
    def from_form(cls, form) -> "ListingQuery":
        """Read request parameters; anything malformed falls back to a default."""
        states = form.get("review_state") or ()
        if isinstance(states, str):
            states = (states,)
        sort_on = form.get("sort_on", "created")
        start, end = _date(form.get("created.min")), _date(form.get("created.max"))
        if start and end and start > end:  # typed the other way round
            start, end = end, start
        return cls(
            text=_text(form.get("SearchableText") or form.get("q"))[:200],
            states=tuple(s for s in states if s in STATES),
            start=start,
            end=end,
            attention=str(form.get("needs_attention", "")).lower()
            in ("1", "on", "true", "yes"),
            sort_on=sort_on if sort_on in SORTS else "created",
            reverse=form.get("sort_order", "descending") in ("descending", "reverse"),
            b_start=_int(form.get("b_start"), 0, 0, 10**9),
            b_size=_int(form.get("b_size"), 50, 1, MAX_BATCH),
        )

    def words(self) -> list[str]:
        # As typed, lower-cased: the index keeps each word as written and
        # without accents (indexers/order.py), so both forms are found.
        return [word for word in re.split(r"[\s,;]+", self.text.lower()) if word]

    def catalog_query(
        self, *, with_states: bool = True, with_attention: bool = True
    ) -> dict:
        query = {"portal_type": "Order"}
        if with_attention and self.attention:
            query["needs_attention"] = True
        words = self.words()
        if words:
            query["order_search"] = {"query": words, "operator": "and"}
        if with_states and self.states:
            query["review_state"] = list(self.states)
        if self.start or self.end:
            query["created"] = created_range(self.start, self.end)
        query["sort_on"] = SORTS[self.sort_on]
        query["sort_order"] = "descending" if self.reverse else "ascending"
        return query

    def page(self, b_start: int) -> "ListingQuery":
        return replace(self, b_start=max(0, b_start))


def search(catalog, listing: ListingQuery, *, batched: bool = True):
    """(brains of this page, total count), with the user's own security."""
    query = listing.catalog_query()
    if batched:
        query["sort_limit"] = listing.b_start + listing.b_size
    results = catalog.searchResults(**query)
    total = results.actual_result_count
    if batched:
        results = results[listing.b_start : listing.b_start + listing.b_size]
    return results, total


def _count(catalog, query: dict, **narrower) -> int:
    query = {k: v for k, v in query.items() if k not in ("sort_on", "sort_order")}
    return catalog.searchResults(**query, **narrower).actual_result_count


def counts_per_state(catalog, listing: ListingQuery) -> dict[str, int]:
    """How many orders of the current search (states aside) are in each state."""
    query = listing.catalog_query(with_states=False)
    return {state: _count(catalog, query, review_state=state) for state in STATES}


def count_needing_attention(catalog, listing: ListingQuery) -> int:
    """How many orders of the current search need a person to look at them."""
    query = listing.catalog_query(with_attention=False)
    return _count(catalog, query, needs_attention=True)


def attention(catalog, brain) -> str:
    """Why a person must look at the order, "" if nothing: for staff only.

    Not a metadata column, which the order's buyer could read (``@search``
    with ``metadata_fields``): the needs_attention index says which orders
    have a note, and only those are woken to read it.
    """
    flagged = catalog._catalog.getIndex("needs_attention")
    if flagged.getEntryForObject(brain.getRID(), None) is None:
        return ""
    return brain.getObject().attention or ""
