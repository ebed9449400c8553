"""Paying an order with PayPal Checkout: create, return and capture, look up.

Being written (issue 23). The signatures below are the contract the order
page (start, settle_return), the webhooks (capture) and the sweeper
(reconcile) rely on.
"""


def start(order, urls, form) -> str:
    """Create the PayPal order for ``order``; keep the attempt; return the
    payer's link (``payer-action`` or ``approve``)."""
    raise NotImplementedError


def settle_return(order, form) -> str:
    """The payer is back (PayPal's ``token`` is its order id): capture, and
    say what became of it (a ``RETURN_*`` of payments.interfaces)."""
    raise NotImplementedError


def capture(order, paypal_order_id: str):
    """Capture the approved PayPal order ``paypal_order_id`` of ``order``
    (the payer's return, CHECKOUT.ORDER.APPROVED for a payer who never came
    back, reconciliation) and record it (``recording.record_capture``);
    the same capture whoever asks first. Returns a ``recording.Outcome``."""
    raise NotImplementedError


def reconcile(order, now) -> str:
    """Look up the order's unsettled attempts at PayPal and record what
    became of them."""
    raise NotImplementedError
