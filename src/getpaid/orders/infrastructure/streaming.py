"""A response body made from many catalogued objects, sent as it is made.

Zope's WSGI publisher keeps what a view passes to ``response.write`` in
memory until the view returns (``WSGIPublisher.publish_module``), so that
doesn't stream. An ``IUnboundStreamIterator`` body is sent as it comes, but
only after the request's database connection is closed: ZPublisher.Iterators
says such a body must not read through it. So ``CatalogStream`` opens a
connection of its own when it is first read, loads the objects the request's
catalog search found (under the user's security, in the request), and lets
go of them as it goes: memory stays flat for any number of objects, and the
file is one consistent snapshot of the database.
"""

from array import array
from collections.abc import Callable
from collections.abc import Iterator
from zExceptions import NotFound
from zope.interface import implementer
from ZPublisher.Iterators import IUnboundStreamIterator

import logging
import transaction


logger = logging.getLogger(__name__)

# Objects between two releases of the connection's cache, and the text a
# chunk of the body gathers before it is sent.
BATCH = 200
CHUNK = 64 * 1024


def record_ids(results) -> array:
    """The catalog record ids of a search's results, in their order, without
    making their brains: a result keeps every brain it made (a LazyMap)."""
    sequence = getattr(results, "_seq", None)
    if sequence is None:  # not a LazyMap: an empty result, or unforeseen
        return array("q", (brain.getRID() for brain in results))
    # Scored results (a text index) are (normalized score, score, id).
    return array("q", (i[2] if isinstance(i, tuple) else i for i in sequence))


@implementer(IUnboundStreamIterator)
class CatalogStream:
    """UTF-8 bytes: ``render`` of the (brain, object) pairs of ``rids``.

    ``render`` takes an iterator of pairs and yields text; a record gone
    since the search is left out.
    """

    def __init__(self, catalog, rids, render: Callable[[Iterator], Iterator[str]]):
        self.db = catalog._p_jar.db()
        self.catalog_path = catalog.getPhysicalPath()
        self.rids = rids
        self.render = render
        self.chunks = self._chunks()

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        return next(self.chunks)

    def close(self) -> None:
        """The WSGI server's call when it is done, or the client left."""
        self.chunks.close()

    def _chunks(self) -> Iterator[bytes]:
        manager = transaction.TransactionManager()
        connection = self.db.open(transaction_manager=manager)
        try:
            app = connection.root()["Application"]
            catalog = app.unrestrictedTraverse(self.catalog_path)
            pieces, size = [], 0
            for text in self.render(self._found(connection, catalog)):
                pieces.append(text)
                size += len(text)
                if size >= CHUNK:
                    yield "".join(pieces).encode("utf-8")
                    pieces, size = [], 0
            yield "".join(pieces).encode("utf-8")
        finally:
            manager.abort()
            connection.close()

    def _found(self, connection, catalog) -> Iterator[tuple]:
        for count, rid in enumerate(self.rids, 1):
            try:
                brain = catalog._catalog[rid]
                obj = brain._unrestrictedGetObject()
            except (KeyError, AttributeError, NotFound):
                logger.info("Record %s is gone since the search: left out.", rid)
                continue
            yield brain, obj
            if count % BATCH == 0:
                # Every object loaded so far becomes a ghost again (none is
                # changed): the order, its payments, the catalog's buckets.
                connection.cacheMinimize()
