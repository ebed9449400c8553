"""``GET @orders-csv``: the orders export for accounting, for shop staff.

The same file as the back office's *Download as CSV* (api/export.py):
``rows`` (``lines``, the default, or ``orders``), ``from`` and ``to``
(created, whole days in UTC) and the listing's filters (``SearchableText``,
``review_state``, ``needs_attention``, ``sort_on``, ``sort_order``).
Answers ``text/csv``, sent as it is made; 400 with a JSON error for a
parameter it can't take.
"""

from getpaid.orders.api.export import csv_lines
from getpaid.orders.api.export import ExportQuery
from getpaid.orders.api.export import FILE_HEADERS
from getpaid.orders.exceptions import InvalidExport
from getpaid.orders.infrastructure.streaming import CatalogStream
from getpaid.orders.infrastructure.streaming import record_ids
from getpaid.orders.privacy import set_no_store
from plone import api
from plone.restapi.services import Service

import json


class OrdersCSVGet(Service):
    def render(self):
        self.check_permission()
        response = self.request.response
        set_no_store(response)
        try:
            query = ExportQuery.from_form(self.request.form)
        except InvalidExport as error:
            response.setStatus(400)
            response.setHeader("Content-Type", "application/json")
            message = error.translated(self.request)
            return json.dumps({"error": {"type": "BadRequest", "message": message}})
        catalog = api.portal.get_tool("portal_catalog")
        results = catalog.searchResults(**query.catalog_query())
        for name, value in FILE_HEADERS.items():
            response.setHeader(name, value)
        return CatalogStream(
            catalog,
            record_ids(results),
            lambda found: csv_lines(found, query.kind),
        )
