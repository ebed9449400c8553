"""The site's ``orders`` folder, built to hold 100,000 orders and more.

Two differences from a Plone folder, both measured (docs/storage.rst):

- no explicit order: Plone's default ordering rewrites the whole order list on
  every add (~2.7 MB per add at 100k orders); this folder is set up unordered;
- no container-modified event on add: Plone reindexes a container whenever an
  item is added to it, which makes the folder one object every checkout
  writes, and so a conflict hot spot between concurrent checkouts.
"""

from OFS.event import ObjectWillBeAddedEvent
from plone.dexterity.content import Container
from plone.supermodel import model
from zope.event import notify
from zope.interface import implementer
from zope.lifecycleevent import ObjectAddedEvent


class IOrdersFolder(model.Schema):
    """Marker for the folder that holds the site's orders."""


@implementer(IOrdersFolder)
class OrdersFolder(Container):
    _ordering = "unordered"

    def _setObject(
        self, id, object, roles=None, user=None, set_owner=1, suppress_events=False
    ):
        """Add like any folder, but without notifying that the folder changed."""
        if not suppress_events:
            notify(ObjectWillBeAddedEvent(object, self, id))
        id = super()._setObject(
            id, object, roles, user, set_owner, suppress_events=True
        )
        if not suppress_events:
            notify(ObjectAddedEvent(self._getOb(id), self, id))
        return id
