"""Checkout: place an order exactly once, hand out its owner link, mail it.

Forms and REST services call ``checkout``; it is the one place where an
order, its first secret link and its confirmation come into being together.

Exactly once: a caller may pass an idempotency ``key`` (the checkout form
carries a random one; REST clients send an ``Idempotency-Key`` header). The
key's digest is a key in a BTree on the orders folder, mapped to the order
it placed: a resubmission finds it and gets that order back, and two
concurrent submissions insert the same BTree key, so the ZODB refuses one
(ConflictError) and its retry finds the other's order.
"""

from BTrees.OOBTree import OOBTree
from dataclasses import dataclass
from getpaid.orders import _
from getpaid.orders.api.customer import Customer
from getpaid.orders.api.links import create_link
from getpaid.orders.api.links import OWNER
from getpaid.orders.api.orders import orders_folder
from getpaid.orders.api.orders import place_order
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.language import current_language
from getpaid.orders.mail.confirmation import send_confirmation
from zope.globalrequest import getRequest

import hashlib


KEY_MIN_LENGTH = 20
KEY_MAX_LENGTH = 200
KEYS_ATTRIBUTE = "checkout_keys"


@dataclass(frozen=True)
class Placed:
    order: object
    owner_token: str
    created: bool  # False: the key had placed this order before


def checkout_keys(folder):
    """The folder's idempotency keys (digest -> (number, fingerprint))."""
    keys = getattr(folder.aq_base, KEYS_ATTRIBUTE, None)
    if keys is None:  # made on install; this covers folders made before
        keys = OOBTree()
        setattr(folder, KEYS_ATTRIBUTE, keys)
    return keys


def _fingerprint(items, customer: Customer) -> str:
    """What a resubmission must repeat to count as the same checkout."""
    parts = [customer.email.strip().lower()]
    parts += sorted(f"{product.UID()}:{quantity}" for product, quantity in items)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _key_digest(key: str) -> str:
    if not isinstance(key, str) or not (KEY_MIN_LENGTH <= len(key) <= KEY_MAX_LENGTH):
        raise InvalidValue(
            _(
                "An idempotency key has ${low} to ${high} characters; "
                "a random UUID is a good one.",
                mapping={"low": KEY_MIN_LENGTH, "high": KEY_MAX_LENGTH},
            )
        )
    # surrogatepass: a form's bytes that weren't UTF-8 (lone surrogates in
    # Zope) are a key like any other, not a 500.
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def find_placed(key: str) -> Placed | None:
    """The order an idempotency key placed, with a new owner link; or None.

    For the checkout form, whose keys are random and never leave the
    customer's browser: a resubmitted form finds its order even after the
    cart is gone.
    """
    folder = orders_folder()
    try:
        seen = checkout_keys(folder).get(_key_digest(key))
    except InvalidValue:
        return None
    if seen is None or seen[0] not in folder:
        return None
    order = folder[seen[0]]
    return Placed(order, create_link(order, OWNER), created=False)


def checkout(
    items,
    customer: Customer,
    *,
    buyer_id: str | None = None,
    comment: str = "",
    key: str | None = None,
) -> Placed:
    """Place the order (or find the one ``key`` placed); return it and a link."""
    items = list(items)
    folder = orders_folder()
    keys = key_digest = fingerprint = None
    if key is not None:
        key_digest = _key_digest(key)
        fingerprint = _fingerprint(items, customer)
        keys = checkout_keys(folder)
        seen = keys.get(key_digest)
        if seen is not None:
            number, seen_fingerprint = seen
            if seen_fingerprint != fingerprint:
                raise InvalidValue(
                    _("This idempotency key was used for another order.")
                )
            order = folder[number]
            # The token was shown once and isn't stored: hand out a new one.
            return Placed(order, create_link(order, OWNER), created=False)

    order = place_order(
        items, customer, buyer_id=buyer_id, comment=comment, folder=folder
    )
    if getRequest() is not None:  # a web checkout: the language it was in
        order.customer_language = current_language()
    token = create_link(order, OWNER)
    if keys is not None:
        keys[key_digest] = (order.number, fingerprint)
    send_confirmation(order, token)
    return Placed(order, token, created=True)
