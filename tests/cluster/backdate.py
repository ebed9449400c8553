"""Test set-up, run in a third process: make one test's orders days old.

    zconsole run zope.conf tests/cluster/backdate.py <surname> <days>

so the sweeper finds them due, without waiting for the timeout.
"""

from DateTime import DateTime
from zope.component.hooks import setSite

import sys
import transaction


surname, days = sys.argv[-2], float(sys.argv[-1])  # zconsole keeps its own argv
site = app.Plone  # noqa: F821 -- zconsole provides `app`
setSite(site)
brains = site.portal_catalog.unrestrictedSearchResults(
    portal_type="Order", order_search=surname.lower()
)
for brain in brains:
    order = brain._unrestrictedGetObject()
    order.creation_date = DateTime() - days
    order.reindexObject(idxs=["created"])
transaction.commit()
print(len(brains))
