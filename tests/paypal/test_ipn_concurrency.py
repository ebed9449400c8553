"""The same notification, delivered to several Zope threads at once (PayPal
resends, two instances behind a load balancer): one payment, one transition, one mail.

Each thread has its own ZODB connection and retries on ConflictError as
Zope's publisher does; the payment's id is its key in the order's BTree, so
the twins collide there and every retry sees the winner's record.
"""

from getpaid.orders.payments.paypal_standard import ipn
from getpaid.orders.payments.paypal_standard.notifications import apply
from ipn_helpers import ipn_body
from Testing.makerequest import makerequest
from ZODB.POSException import ConflictError
from zope.component.hooks import setSite
from zope.globalrequest import clearRequest
from zope.globalrequest import setRequest

import threading
import transaction


THREADS = 3


def deliver(db, site_id, body, barrier, outcome):
    connection = db.open()
    try:
        for attempt in range(1, 5):
            transaction.begin()
            app = makerequest(connection.root()["Application"])
            setRequest(app.REQUEST)
            setSite(app[site_id])
            try:
                action = apply(ipn.parse(body)).action
                if attempt == 1:
                    barrier.wait()  # all have acted, none has committed
                transaction.commit()
            except ConflictError:
                transaction.abort()
                outcome["conflicts"] += 1
                continue
            outcome["actions"].append(action)
            return
    except Exception as error:
        transaction.abort()
        outcome["errors"].append(repr(error))
        barrier.abort()
    finally:
        setSite(None)
        clearRequest()
        connection.close()


def test_same_ipn_at_once_pays_once(functional, order, paypal_shop, inbox):
    body = ipn_body("completed_utf8.txt", order)
    barrier = threading.Barrier(THREADS, timeout=60)
    outcome = {"actions": [], "conflicts": 0, "errors": []}
    threads = [
        threading.Thread(
            target=deliver,
            args=(functional["zodbDB"], paypal_shop.getId(), body, barrier, outcome),
        )
        for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert outcome["errors"] == []
    assert sorted(outcome["actions"]) == ["duplicate"] * (THREADS - 1) + ["paid"]
    assert outcome["conflicts"] >= THREADS - 1
    transaction.begin()
    assert len(order.payments()) == 1
    assert [entry.action for entry in order.history].count("pay") == 1
    notices = [
        recipients
        for _, recipients, message in inbox.wait_for(5, timeout=2)
        if message["Subject"].startswith("Payment received")
    ]
    assert sorted(notices) == [["ada@example.org"], ["orders@example.org"]]
