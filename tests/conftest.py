"""Fixtures shared by every test: the layers of getpaid.orders.testing."""

from getpaid.orders.testing import FUNCTIONAL_TESTING
from getpaid.orders.testing import INTEGRATION_TESTING
from pytest_plone import fixtures_factory

import os
import pytest


# Translations load from .po files compiled when the layers read the ZCML.
os.environ.setdefault("zope_i18n_compile_mo_files", "true")


pytest_plugins = ["pytest_plone", "shop_fixtures"]

globals().update(
    fixtures_factory(
        (
            (FUNCTIONAL_TESTING, "functional"),
            (INTEGRATION_TESTING, "integration"),
        )
    )
)


@pytest.fixture
def customer():
    from getpaid.orders.api import Address
    from getpaid.orders.api import Customer

    return Customer(
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        phone="+44 20 7946 0000",
        billing=Address(
            street="12 St James's Square",
            postal_code="SW1Y 4JH",
            city="London",
            country="GB",
        ),
    )


@pytest.fixture
def make_product(portal):
    """Create a buyable Product as the test's Manager: make_product("mug", "12.50")."""
    from decimal import Decimal
    from plone import api
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    setRoles(portal, TEST_USER_ID, ["Manager"])

    def make(id, price="10.00", currency="EUR", **fields):
        return api.content.create(
            container=portal,
            type="Product",
            id=id,
            title=fields.pop("title", id.title()),
            price=Decimal(price),
            currency=currency,
            **fields,
        )

    return make
