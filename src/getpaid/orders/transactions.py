"""Giving up a request's transaction: the one way pages and services do it."""

import transaction


def give_up() -> None:
    """Keep nothing of this request: objects read as stored again (so a
    page re-rendered after a refusal shows no half-made change), and nothing
    written later in the request is committed either."""
    transaction.abort()
    transaction.doom()
