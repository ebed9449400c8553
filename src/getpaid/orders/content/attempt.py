"""A payment begun at a provider for an order: the payer may be on its page."""

from dataclasses import dataclass
from datetime import datetime


# What became of an attempt (api/attempts.py).
OPEN = "open"  # begun: the payer is on the provider's page, or went away
APPROVED = "approved"  # the payer approved; not captured yet
PENDING = "pending"  # captured, but the provider holds the money for review
PAID = "paid"  # the money came: a payment record says so
FAILED = "failed"  # declined, voided or expired at the provider
SETTLED = frozenset({PAID, FAILED})


@dataclass(frozen=True)
class PaymentAttempt:
    """One payment begun with ``provider``, known there as ``ref`` (PayPal's
    order id). Several per order are normal: each press of "Pay" that the
    provider didn't finish. ``payer_url`` sends the payer back to the
    provider's page; ``nonce`` is the form's, which made it."""

    provider: str
    ref: str
    created: datetime
    status: str = OPEN
    payer_url: str = ""
    nonce: str = ""
    detail: str = ""  # the provider's last word on it (INSTRUMENT_DECLINED…)
    # The provider's id of the payment itself, when it isn't ``ref`` and
    # comes later (Stripe's PaymentIntent of a Checkout Session).
    payment_ref: str = ""

    @property
    def settled(self) -> bool:
        return self.status in SETTLED
