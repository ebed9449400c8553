"""An order waiting for its money: since when, until when, and whether a
payment begun at a provider may still complete it. The sweeper times
orders out by these, and reminds their customers (api/reminders.py).
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from getpaid.orders.api.attempts import open_providers
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.payments.registry import get_provider
from getpaid.orders.workflow import PAYMENT_FAILED
from plone import api


def unpaid_timeout() -> timedelta:
    """How long an order may stay unpaid (the shop's setting)."""
    return timedelta(minutes=get_setting("unpaid_timeout_minutes", 4320))


def placed_at(order) -> datetime:
    return order.created().asdatetime().astimezone(UTC)


def unpaid_since(order) -> datetime:
    """From when the timeout counts: the order's placing, or its failed
    payment, after which the customer is mailed a link to pay again."""
    if api.content.get_state(order) == PAYMENT_FAILED:
        failed = [entry.when for entry in order.history if entry.new == PAYMENT_FAILED]
        if failed:
            return max(placed_at(order), failed[-1])
    return placed_at(order)


def times_out_at(order) -> datetime:
    """When the sweeper times the order out if it stays unpaid."""
    return unpaid_since(order) + unpaid_timeout()


def providers_awaiting(order) -> list[str]:
    """The providers at which a payment begun for the order may still
    complete (the sweeper's ``reconcile_payments`` asks them first)."""
    found = []
    for provider_id in open_providers(order):
        provider = get_provider(provider_id)
        if provider is not None and provider.awaiting(order):
            found.append(provider_id)
    return found
