"""Recorded IPN bodies for an order, and reading an order's state anew."""

from pathlib import Path
from plone import api

import transaction


FIXTURES = Path(__file__).parent.parent / "fixtures" / "ipn"


def ipn_body(name: str, order, **replace) -> bytes:
    """A recorded body for ``order``; ``replace`` swaps field values."""
    body = (FIXTURES / name).read_bytes()
    body = body.replace(b"{invoice}", order.number.encode())
    body = body.replace(b"{custom}", order.UID().encode())
    pairs = body.split(b"&")
    for key, value in replace.items():
        prefix = key.encode() + b"="
        pairs = [p for p in pairs if not p.startswith(prefix)]
        if value is not None:
            pairs.append(prefix + value.encode())
    return b"&".join(pairs)


def state_of(order) -> str:
    transaction.begin()
    return api.content.get_state(order)
