"""Test layers: the add-on installed in a Plone site.

INTEGRATION rolls back after each test; FUNCTIONAL commits (to a DemoStorage
stacked per test) so that real transactions, conflicts and HTTP work.
"""

from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE

import getpaid.orders


class GetpaidOrdersLayer(PloneSandboxLayer):
    defaultBases = (PLONE_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import plone.restapi

        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=getpaid.orders)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "getpaid.orders:default")


FIXTURE = GetpaidOrdersLayer()

INTEGRATION_TESTING = IntegrationTesting(
    bases=(FIXTURE,), name="GetpaidOrdersLayer:IntegrationTesting"
)
FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(FIXTURE, WSGI_SERVER_FIXTURE), name="GetpaidOrdersLayer:FunctionalTesting"
)
