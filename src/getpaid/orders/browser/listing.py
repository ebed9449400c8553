"""The shop managers' orders listing, its CSV export and bulk fulfilment."""

from getpaid.orders import _
from getpaid.orders import api as shop
from getpaid.orders.api.export import csv_lines
from getpaid.orders.api.export import ExportQuery
from getpaid.orders.api.export import FILE_HEADERS
from getpaid.orders.api.listing import attention
from getpaid.orders.api.listing import count_needing_attention
from getpaid.orders.api.listing import counts_per_state
from getpaid.orders.api.listing import ListingQuery
from getpaid.orders.api.listing import search
from getpaid.orders.browser.urls import within_site
from getpaid.orders.content.order import full_name
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.exceptions import InvalidExport
from getpaid.orders.infrastructure.streaming import CatalogStream
from getpaid.orders.infrastructure.streaming import record_ids
from getpaid.orders.money import money_text
from getpaid.orders.presentation.dates import date_formatter
from getpaid.orders.presentation.order_page import FULFILMENT
from getpaid.orders.presentation.states import state_titles
from getpaid.orders.privacy import set_no_store
from getpaid.orders.workflow import STATES
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode
from zope.i18n import translate


class OrdersListing(BrowserView):
    """The orders folder's view: search, filter, sort, batch, act in bulk."""

    template = ViewPageTemplateFile("templates/listing.pt")

    def __call__(self):
        set_no_store(self.request.response)
        self.catalog = catalog = api.portal.get_tool("portal_catalog")
        self.query = ListingQuery.from_form(self.request.form)
        self.brains, self.total = search(catalog, self.query)
        self.counts = counts_per_state(catalog, self.query)
        self.needing_attention = count_needing_attention(catalog, self.query)
        self.titles = state_titles(self.request)
        return self.template()

    def rows(self) -> list[dict]:
        portal_url = api.portal.get().absolute_url()
        self.format_date = date_formatter()
        return [self.row(brain, portal_url) for brain in self.brains]

    def row(self, brain, portal_url: str) -> dict:
        titles, uids = brain.product_titles or (), brain.product_uids or ()
        return {
            "number": brain.order_number,
            "url": brain.getURL(),
            "created": self.format_date(brain.created),
            "customer": full_name(brain.first_name, brain.last_name),
            "email": brain.customer_email,
            "member": brain.buyer_id,
            "products": [
                {"title": title, "url": f"{portal_url}/resolveuid/{uid}"}
                for title, uid in zip(titles, uids, strict=False)
            ],
            "total": money_text(brain.order_total, brain.order_currency),
            "state": self.titles.get(brain.review_state, brain.review_state),
            "payments": list(brain.payment_txn_ids or ()),
            "attention": attention(self.catalog, brain),
            # Missing on orders catalogued before the column existed.
            "comment": getattr(brain, "comment_excerpt", "") or "",
            "reminded": translate(
                reminded(getattr(brain, "reminder_count", 0) or 0),
                context=self.request,
            ),
        }

    def state_options(self) -> list[dict]:
        return [
            {
                "id": state,
                "title": self.titles[state],
                "count": self.counts[state],
                "checked": state in self.query.states,
            }
            for state in STATES
        ]

    def url(self, **changes) -> str:
        """This listing with some parameters changed (sorting, batching)."""
        form = {
            "SearchableText": self.query.text,
            "review_state": list(self.query.states),
            "created.min": self.query.start.isoformat() if self.query.start else "",
            "created.max": self.query.end.isoformat() if self.query.end else "",
            "needs_attention": "1" if self.query.attention else "",
            "sort_on": self.query.sort_on,
            "sort_order": "descending" if self.query.reverse else "ascending",
            "b_start": self.query.b_start,
            "b_size": self.query.b_size,
        }
        form.update(changes)
        pairs = [
            (key, item)
            for key, value in form.items()
            for item in (value if isinstance(value, list) else [value])
            if item not in ("", None)
        ]
        return f"{self.context.absolute_url()}?{urlencode(pairs)}"

    def sort_url(self, column: str) -> str:
        reverse = not (self.query.sort_on == column and self.query.reverse)
        order = "descending" if reverse else "ascending"
        return self.url(sort_on=column, sort_order=order, b_start=0)

    def previous_url(self) -> str:
        if self.query.b_start <= 0:
            return ""
        return self.url(b_start=max(0, self.query.b_start - self.query.b_size))

    def next_url(self) -> str:
        following = self.query.b_start + self.query.b_size
        return self.url(b_start=following) if following < self.total else ""

    def csv_url(self) -> str:
        """The export of the current search, all of it (no batch)."""
        dates = {"from": self.query.start, "to": self.query.end}
        url = self.url(
            b_start="",
            b_size="",
            **{"created.min": "", "created.max": ""},
            **{key: day.isoformat() if day else "" for key, day in dates.items()},
        )
        return url.replace("?", "/@@orders-csv?", 1)

    def fulfilment(self) -> list[dict]:
        return [{"id": t, "title": title} for t, title in FULFILMENT.items()]


def reminded(count: int) -> str:
    """How many payment reminders an order got, in words ("" for none)."""
    if count == 1:
        return _("Reminded once")
    if count == 2:
        return _("Reminded twice")
    if count > 2:
        return _("Reminded ${count} times", mapping={"count": count})
    return ""


class OrdersCSV(BrowserView):
    """The listing's current result as CSV for spreadsheets and accounting,
    sent as it is made: one row per order line, or per order with
    ``rows=orders``, created ``from``/``to`` (api/export.py)."""

    def __call__(self):
        response = self.request.response
        set_no_store(response)
        try:
            query = ExportQuery.from_form(self.request.form)
        except InvalidExport as error:
            response.setStatus(400)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return error.translated(self.request)
        catalog = api.portal.get_tool("portal_catalog")
        results = catalog.searchResults(**query.catalog_query())
        for name, value in FILE_HEADERS.items():
            response.setHeader(name, value)
        return CatalogStream(
            catalog,
            record_ids(results),
            lambda found: csv_lines(found, query.kind),
        )


def _fulfil(number: str, transition: str, message: str) -> bool:
    """One order of a bulk step; False if it can't take that step."""
    try:
        shop.fulfil(shop.get_order(number), transition, message=message)
    except GetpaidError:  # not found, not possible now, a message too long...
        return False
    return True


class BulkFulfil(BrowserView):
    """POST ``@@orders-bulk``: deliver or complete the ticked orders."""

    def __call__(self):
        CheckAuthenticator(self.request)
        transition = self.request.form.get("transition")
        numbers = self.request.form.get("numbers") or []
        if isinstance(numbers, str):
            numbers = [numbers]
        message = (self.request.form.get("message") or "").strip()
        done, refused = [], []
        if transition in FULFILMENT:
            for number in numbers:
                moved = _fulfil(str(number), transition, message)
                (done if moved else refused).append(number)
        api.portal.show_message(
            _(
                "${done} orders updated; ${refused} not in a state for it.",
                mapping={"done": len(done), "refused": len(refused)},
            ),
            request=self.request,
            type="info" if not refused else "warning",
        )
        referer = self.request.get("HTTP_REFERER") or ""
        back = within_site(referer, self.context.absolute_url())
        return self.request.response.redirect(back)
