"""Records kept only in the catalog indexes their queries use.

Each catalog index is a BTree that every new object inserts into, and a
bucket split in any of them conflicts with every concurrent transaction that
inserted into the same tree (docs/storage.rst). Orders and payments are
records, not pages: Plone's title, text, id and interface indexes serve site
search and navigation, which never list them, so they stay out of those.
"""

# Plone's indexes for security, location (folder listings), type, state,
# dates and UID: what Plone's own views and plone.restapi query any item by.
PLONE_INDEXES = (
    "allowedRolesAndUsers",
    "effectiveRange",
    "path",
    "portal_type",
    "review_state",
    "created",
    "modified",
    "UID",
)


class SelectiveIndexing:
    """Catalog-aware content indexed only in ``catalog_indexes``.

    A reindex of every index means all of ``catalog_indexes``; a reindex that
    names only other indexes updates just the metadata, which stays whole.
    """

    # No type annotation: a class-level ``__annotations__`` dict would be
    # shared by every instance through zope.annotation.
    catalog_indexes = PLONE_INDEXES

    def indexObject(self):
        catalog = self._getCatalogTool()
        if catalog is not None:
            catalog.reindexObject(self, idxs=list(self.catalog_indexes))

    def reindexObject(self, idxs=[], update_metadata=1, uid=None):  # noqa: B006
        if not idxs:
            self.notifyModified()  # what "all indexes" implies in CMF
            idxs = self.catalog_indexes
        idxs = [name for name in idxs if name in self.catalog_indexes]
        if not idxs:
            if not update_metadata:
                return
            # Only the metadata: an index that never changes writes nothing
            # (an empty list would mean every index).
            idxs = ["portal_type"]
        super().reindexObject(idxs=idxs, update_metadata=update_metadata, uid=uid)
