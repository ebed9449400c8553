"""Members claim the orders they placed as guests, once their address is proven.

A member asks; we mail a link to the member's own e-mail address; following
it while logged in as that member attaches every guest order placed with
that address. Only someone who reads that mailbox can claim, so registering
with another person's address claims nothing. The link is an HMAC over
(user id, e-mail, time) with the site's keyring secret: nothing is stored,
and it expires after a day.
"""

from getpaid.orders.api.history import add_history
from getpaid.orders.workflow import SOURCE_CUSTOMER
from plone import api
from plone.keyring.interfaces import IKeyManager
from zope.component import getUtility

import hashlib
import hmac
import time


MAX_AGE_SECONDS = 24 * 60 * 60


def _signature(user_id: str, email: str, issued: int) -> str:
    secret = getUtility(IKeyManager).secret().encode()
    message = f"getpaid-claim\n{user_id}\n{email.lower()}\n{issued}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def claim_token(user_id: str, email: str, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    return f"{issued}.{_signature(user_id, email, issued)}"


def check_claim_token(token: str, user_id: str, email: str) -> bool:
    issued, _sep, signature = (token or "").partition(".")
    if not issued.isdigit() or time.time() - int(issued) > MAX_AGE_SECONDS:
        return False
    expected = _signature(user_id, email, int(issued))
    return hmac.compare_digest(signature, expected)


def guest_orders(email: str) -> list:
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="Order", customer_email=email.strip().lower()
    )
    # Filtered here: ZCatalog ignores an empty-string query (buyer_id="").
    orders = (brain._unrestrictedGetObject() for brain in brains)
    return [order for order in orders if not order.buyer_id]


def claim_orders(user_id: str, email: str) -> list[str]:
    """Attach the guest orders placed with ``email`` to the member; numbers."""
    claimed = []
    for order in guest_orders(email):
        order.buyer_id = user_id
        order.manage_setLocalRoles(user_id, ["Owner"])
        add_history(
            order,
            source=SOURCE_CUSTOMER,
            action="claimed",
            new=user_id,
            comment=f"Claimed by member {user_id}, who proved {email}.",
        )
        order.reindexObject()
        order.reindexObjectSecurity()
        claimed.append(order.number)
    return claimed
