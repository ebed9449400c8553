"""Checkout: place an order exactly once, hand out its owner link.

Forms and REST services call ``checkout``; it is the one place where an
order and its first secret link come into being together. It fires
``OrderPlacedEvent`` with the link's token, from which the confirmation and
the shop's New order mail are sent with the commit (mail/confirmation.py).

Exactly once: a caller may pass an idempotency ``key`` (the checkout form
carries a random one; REST clients send an ``Idempotency-Key`` header).
api/checkout_keys.py keeps what each key placed, in a BTree on the orders
folder: a resubmission finds that order, and two concurrent submissions
insert the same BTree key, so the ZODB refuses one (ConflictError) and its
retry finds the other's order.

A key used before tells its order only to whoever used it, and never makes
another owner link:

- a form key (``browser_secret`` given) is bound to the browser that sent
  it: that browser gets the same owner link again (it alone can unseal it);
  any other is refused (KeyInUse) and told nothing of the order;
- a REST key is bound to its request: the same lines, customer, comment and
  buyer get the order back without an owner link (``owner_token`` is ""; it
  was in the first answer and in the confirmation mail); anything else is
  refused (KeyInUse) and told nothing of the order.
"""

from dataclasses import asdict
from dataclasses import dataclass
from getpaid.orders import _
from getpaid.orders.api.checkout_keys import browser_digest
from getpaid.orders.api.checkout_keys import FORM
from getpaid.orders.api.checkout_keys import LegacyRecord
from getpaid.orders.api.checkout_keys import remember
from getpaid.orders.api.checkout_keys import REST
from getpaid.orders.api.checkout_keys import unseal
from getpaid.orders.api.checkout_keys import used
from getpaid.orders.api.customer import Customer
from getpaid.orders.api.links import create_link
from getpaid.orders.api.links import is_owner_token
from getpaid.orders.api.links import OWNER
from getpaid.orders.api.orders import create_order
from getpaid.orders.api.orders import orders_folder
from getpaid.orders.events import OrderPlacedEvent
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import KeyInUse
from getpaid.orders.workflow import SOURCE_CUSTOMER
from zope.event import notify

import hashlib
import hmac
import json


# The most a REST checkout may send (bytes), refused before it is parsed:
# the longest one the fields allow (50 lines, a 5,000-character comment),
# every character JSON-escaped, is under 80 KB.
MAX_REQUEST_BYTES = 128 * 1024

FORM_KEY_USED = _(
    "This order form has been used already. If the order is yours, the link "
    "to it is in your confirmation e-mail."
)
REST_KEY_USED = _(
    "This Idempotency-Key was used for a different request; send a new key "
    "for a new order."
)


@dataclass(frozen=True)
class Placed:
    order: object
    owner_token: str  # "": a replay, which gets no owner link
    created: bool  # False: the key had placed this order before


def _fingerprint(
    items, customer: Customer, comment: str, buyer_id, placing=(SOURCE_CUSTOMER, "")
) -> str:
    """What a REST replay must repeat: the whole request. ``placing`` (the
    source and language) counts for staff's orders only, so that a
    customer's key keeps the fingerprint it was stored with."""
    request = {
        "lines": sorted(f"{product.UID()}:{quantity}" for product, quantity in items),
        "customer": asdict(customer),
        "comment": comment,
        "buyer": buyer_id or "",
    }
    if placing[0] != SOURCE_CUSTOMER:
        request["placing"] = list(placing)
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()


def _legacy_fingerprint(items, customer: Customer) -> str:
    """What records stored before namespaces kept: e-mail and lines."""
    parts = [customer.email.strip().lower()]
    parts += sorted(f"{product.UID()}:{quantity}" for product, quantity in items)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _form_replay(order, record, key: str, browser_secret) -> Placed:
    """The order for the browser that used the form key; KeyInUse for others."""
    mine = bool(record.browser) and isinstance(browser_secret, str)
    if not mine or not hmac.compare_digest(
        record.browser, browser_digest(browser_secret)
    ):
        raise KeyInUse(FORM_KEY_USED)
    token = unseal(record.sealed, browser_secret, key)
    # Replaced by staff, say: the customer's mail has the link that works.
    return Placed(order, token if is_owner_token(order, token) else "", False)


def _rest_replay(order, record, items, customer, comment, buyer_id, placing) -> Placed:
    """The order, without a link, for the same request; KeyInUse for others."""
    if isinstance(record, LegacyRecord):
        expected = _legacy_fingerprint(items, customer)
    else:
        expected = _fingerprint(items, customer, comment, buyer_id, placing)
    if not hmac.compare_digest(record.fingerprint, expected):
        raise KeyInUse(REST_KEY_USED)
    return Placed(order, "", created=False)


def find_placed(key: str, browser_secret: str) -> Placed | None:
    """The order a form key placed, for the browser that used it; or None.

    A resubmitted form finds its order even after the cart is gone; a key
    used by another browser is refused (KeyInUse).
    """
    try:
        found = used(orders_folder(), key, FORM)
    except InvalidValue:
        return None
    if found is None:
        return None
    return _form_replay(*found, key, browser_secret)


def checkout(
    items,
    customer: Customer,
    *,
    buyer_id: str | None = None,
    comment: str = "",
    key: str | None = None,
    browser_secret: str | None = None,
    source: str = SOURCE_CUSTOMER,
    language: str = "",
) -> Placed:
    """Place the order (or find the one ``key`` placed); return it and a link.

    With ``browser_secret`` the key is a form key bound to that browser;
    without, a REST key bound to the request (see the module's docstring).
    ``source`` is who places it (the customer, or shop staff taking it for
    them: api/staff_orders.py); ``language`` the one the customer's mails
    speak, decided by the caller: the language a customer ordered in, or
    the one staff chose for them ("": the site's).
    """
    items = list(items)
    folder = orders_folder()
    namespace = REST if browser_secret is None else FORM
    if key is not None:
        found = used(folder, key, namespace)
        if found is not None and namespace == FORM:
            return _form_replay(*found, key, browser_secret)
        if found is not None:
            return _rest_replay(
                *found, items, customer, comment, buyer_id, (source, language)
            )

    order = create_order(
        items,
        customer,
        buyer_id=buyer_id,
        comment=comment,
        folder=folder,
        source=source,
        language=language,
    )
    token = create_link(order, OWNER)
    if key is not None:
        remember(
            folder,
            key,
            namespace,
            order.number,
            fingerprint=(
                _fingerprint(items, customer, comment, buyer_id, (source, language))
                if namespace == REST
                else ""
            ),
            browser_secret=browser_secret or "",
            token=token,
        )
    notify(OrderPlacedEvent(order, token))
    return Placed(order, token, created=True)
