"""Two Zope threads, each with its own ZODB connection, place orders at once.

The order number is the order's key in the orders folder's BTree, so two
transactions that draw the same number write the same key: the ZODB refuses
the second commit (ConflictError) and the retry draws again, as Zope's
publisher would retry the request.

The shop has taken one order before the two threads start: the very first
orders of a new site do conflict (the folder's per-type index and several
catalog keys get their first entry in both transactions), which Zope's
retry absorbs once in a site's life.
"""

from AccessControl.SecurityManagement import noSecurityManager
from getpaid.orders import api as shop
from getpaid.orders.api import numbering
from plone.app.testing import logout
from Testing.makerequest import makerequest
from ZODB.POSException import ConflictError
from zope.component.hooks import setSite
from zope.globalrequest import clearRequest
from zope.globalrequest import setRequest

import pytest
import threading
import transaction


COLLIDING = "22222"


@pytest.fixture
def shop_site(functional, functional_portal, make_functional_product, customer):
    mug = make_functional_product("mug", "12.50")
    logout()
    shop.place_order([(mug, 1)], customer)
    transaction.commit()
    return functional["zodbDB"], functional_portal.getId()


@pytest.fixture
def make_functional_product(functional_portal):
    from decimal import Decimal
    from plone import api

    def make(id, price):
        with api.env.adopt_roles(["Manager"]):
            return api.content.create(
                container=functional_portal,
                type="Product",
                id=id,
                title=id.title(),
                price=Decimal(price),
                currency="EUR",
            )

    return make


def place_in_thread(db, site_id, customer, barrier, outcome):
    """Place one order on a connection of our own; retry on conflict."""
    connection = db.open()
    try:
        for attempt in range(1, 4):
            transaction.begin()
            app = makerequest(connection.root()["Application"])
            setRequest(app.REQUEST)
            noSecurityManager()  # checkout runs as the anonymous visitor
            site = app[site_id]
            setSite(site)
            try:
                order = shop.place_order([(site["mug"], 1)], customer)
                number = order.number
                if attempt == 1:
                    barrier.wait()  # both orders exist, neither is committed
                transaction.commit()
            except ConflictError:
                transaction.abort()
                outcome["conflicts"] += 1
                continue
            outcome["numbers"].append(number)
            return
        outcome["errors"].append("gave up after 3 attempts")
    except Exception as error:  # reported by the test, not lost in the thread
        transaction.abort()
        outcome["errors"].append(repr(error))
        barrier.abort()
    finally:
        noSecurityManager()
        setSite(None)
        clearRequest()
        connection.close()


def run_two_checkouts(shop_site, customer):
    db, site_id = shop_site
    barrier = threading.Barrier(2, timeout=60)
    outcome = {"numbers": [], "conflicts": 0, "errors": []}
    threads = [
        threading.Thread(
            target=place_in_thread, args=(db, site_id, customer, barrier, outcome)
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcome["errors"] == []
    connection = db.open()
    try:
        stored = set(connection.root()["Application"][site_id]["orders"].objectIds())
    finally:
        connection.close()
    return outcome, stored


def test_same_number_drawn_twice_still_gives_two_orders(
    shop_site, customer, monkeypatch
):
    drawn = threading.local()

    def colliding_first(original=numbering.random_suffix):
        if getattr(drawn, "done", False):
            return original()
        drawn.done = True
        return COLLIDING

    monkeypatch.setattr(numbering, "random_suffix", colliding_first)
    outcome, stored = run_two_checkouts(shop_site, customer)

    assert outcome["conflicts"] >= 1  # the second insert of the key was refused
    numbers = outcome["numbers"]
    assert len(numbers) == 2 and len(set(numbers)) == 2
    assert set(numbers) <= stored and len(stored) == 3
    assert any(number.endswith(COLLIDING) for number in numbers)


def test_different_numbers_commit_side_by_side(shop_site, customer):
    """No hot spot: concurrent checkouts with different numbers don't conflict."""
    outcome, stored = run_two_checkouts(shop_site, customer)
    assert outcome["conflicts"] == 0
    assert len(set(outcome["numbers"])) == 2
    assert set(outcome["numbers"]) <= stored and len(stored) == 3
