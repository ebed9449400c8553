"""Paying an order with Stripe Checkout: start, the payer's return, look-up.

``start``: the payer pressed "Pay by card or bank". The server creates a
Checkout Session (``session``), keeps it on the order as an attempt, and
sends the payer to its ``url``. The idempotency key is derived from the
order's UID, the form's attempt number and the body: a double click, or
Zope running the request again after a ConflictError, makes one session.

``settle_return``: Stripe sends the payer back with ``?session_id=``. Only
an attempt of this very order is looked up; a paid session is recorded, a
complete but unpaid one (SEPA debit and other methods that confirm later)
is pending until its webhook or reconciliation says more.

``reconcile``: the sweeper looks up the sessions still unsettled some
minutes after they began, and records what Stripe says became of them.
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from getpaid.orders import _
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.api.attempts import begin_attempt
from getpaid.orders.api.attempts import find_attempt
from getpaid.orders.api.attempts import open_attempts
from getpaid.orders.api.attempts import update_attempt
from getpaid.orders.content.attempt import FAILED
from getpaid.orders.content.attempt import PAID
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.exceptions import PaymentNotStarted
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.payments.interfaces import RETURN_CONFIRMING
from getpaid.orders.payments.interfaces import RETURN_DECLINED
from getpaid.orders.payments.interfaces import RETURN_NOTHING
from getpaid.orders.payments.interfaces import RETURN_PAID
from getpaid.orders.payments.interfaces import RETURN_PENDING
from getpaid.orders.payments.stripe import client as stripe_client
from getpaid.orders.payments.stripe.client import key
from getpaid.orders.payments.stripe.client import StripeRefused
from getpaid.orders.payments.stripe.client import StripeUnavailable
from getpaid.orders.payments.stripe.recording import FAILED_STATUS
from getpaid.orders.payments.stripe.recording import PROCESSING
from getpaid.orders.payments.stripe.recording import PROVIDER
from getpaid.orders.payments.stripe.recording import record_intent
from getpaid.orders.payments.stripe.recording import record_session
from getpaid.orders.payments.stripe.recording import SUCCEEDED
from getpaid.orders.payments.stripe.session import encode
from getpaid.orders.payments.stripe.session import session_body

import hashlib
import logging
import re


logger = logging.getLogger(__name__)

# A session is looked up at Stripe once it is this old: the payer's return
# and the webhooks had their chance by then.
RECONCILE_AFTER = timedelta(minutes=10)
NUMBER = re.compile(r"[1-9][0-9]{0,5}")

UNAVAILABLE = _(
    "Stripe can't be reached just now. Nothing was paid; please try again in "
    "a few minutes."
)
NOT_STARTED = _(
    "Stripe could not begin the payment. Nothing was paid; please try again "
    "later, or contact the shop."
)
NOT_WITH_STRIPE = _(
    "This order can't be paid by card or bank. Please choose another way to "
    "pay, or contact the shop."
)


# Pay


def start(order, urls, form, now: datetime | None = None) -> str:
    """Create the Checkout Session for ``order``; keep the attempt; return
    the session's ``url``. Nothing is written before Stripe has answered.
    Raises ``PaymentNotStarted`` (a message for the payer) when Stripe
    refuses, the order can't be paid with it or times out too soon,
    ``ProviderUnavailable`` when Stripe can't be asked."""
    stripe = _client(PaymentNotStarted(NOT_STARTED))
    try:
        body = session_body(order, urls, now or datetime.now(UTC))
    except PaymentNotStarted:
        raise
    except GetpaidError as error:  # a currency or amount Stripe can't take
        logger.warning("Order %s can't be paid with Stripe: %s", order.number, error)
        raise PaymentNotStarted(NOT_WITH_STRIPE) from error
    number = attempt_number(order, form)
    digest = hashlib.sha256(encode(body)).hexdigest()
    try:
        session = stripe.create_session(
            body, idempotency_key=key("checkout", order.UID(), number, digest)
        )
    except StripeUnavailable as error:
        logger.warning("Stripe session for %s not created: %s", order.number, error)
        raise ProviderUnavailable(UNAVAILABLE) from error
    except StripeRefused as error:
        logger.error("Stripe refused a session for %s: %s", order.number, error)
        raise PaymentNotStarted(NOT_STARTED) from error
    session_id, url = str(session.get("id") or ""), str(session.get("url") or "")
    if not (session_id and url):
        logger.error("Stripe made a session for %s without a url", order.number)
        raise PaymentNotStarted(NOT_STARTED)
    begin_attempt(order, PROVIDER, session_id, payer_url=url, nonce=number)
    return url


def attempt_number(order, form) -> str:
    """The form's attempt number; the next one when it sends none that
    makes sense."""
    number = form.get("attempt") if hasattr(form, "get") else None
    if isinstance(number, str) and NUMBER.fullmatch(number):
        return number
    return str(len(attempts_of(order, PROVIDER)) + 1)


def _client(error: Exception):
    try:
        return stripe_client.client()
    except ValueError as why:
        logger.error("Stripe is not set up: %s", why)
        raise error from why


# Return


def settle_return(order, form) -> str:
    """The payer is back with ``session_id``: record what the session says,
    and say what became of it (a ``RETURN_*``). A session that is no
    attempt of this order settles nothing."""
    session_id = form.get("session_id") if hasattr(form, "get") else None
    attempt = (
        find_attempt(order, PROVIDER, session_id)
        if isinstance(session_id, str)
        else None
    )
    if attempt is None:
        return RETURN_NOTHING
    if attempt.status == PAID:  # a reload of the return page
        return RETURN_PAID
    stripe = _client(ProviderUnavailable(UNAVAILABLE))
    try:
        session = stripe.get_session(attempt.ref)
    except StripeUnavailable:
        return RETURN_CONFIRMING  # reconciliation settles it
    except StripeRefused as error:
        logger.warning("Stripe session %s not looked up: %s", attempt.ref, error)
        return RETURN_CONFIRMING
    outcome = record_session(order, session)
    if outcome.action == "flagged":
        return RETURN_CONFIRMING  # a person looks at it
    payment = outcome.payment
    status = payment.status if payment is not None else ""
    if session.get("payment_status") == "paid" or status == SUCCEEDED:
        return RETURN_PAID
    if status == PROCESSING or session.get("status") == "complete":
        return RETURN_PENDING
    if status == FAILED_STATUS:
        return RETURN_DECLINED
    return RETURN_NOTHING


# Reconciliation


def reconcile(order, now) -> str:
    """Look up the order's unsettled sessions begun ``RECONCILE_AFTER`` or
    longer before ``now`` and record what became of them. Returns what it
    found ("" for nothing new); raises ``ProviderUnavailable`` when Stripe
    can't be asked (what was recorded before stays recorded)."""
    found = []
    stripe = None
    for attempt in open_attempts(order, PROVIDER):
        if now - attempt.created < RECONCILE_AFTER:
            continue
        stripe = stripe or _client(ProviderUnavailable(UNAVAILABLE))
        try:
            what = _look_up(order, attempt, stripe)
        except StripeUnavailable as error:
            raise ProviderUnavailable(UNAVAILABLE) from error
        if what:
            found.append(f"{attempt.ref} {what}")
    return "; ".join(found)


def _look_up(order, attempt, stripe) -> str:
    try:
        session = stripe.get_session(attempt.ref)
    except StripeRefused as error:
        if error.status == 404:
            update_attempt(order, attempt, status=FAILED, detail="not found")
            return "not found"
        logger.warning("Stripe session %s not looked up: %s", attempt.ref, error)
        return ""
    status = session.get("status")
    if status == "expired":
        update_attempt(order, attempt, status=FAILED, detail="expired")
        return "expired"
    if status != "complete":
        return ""  # the payer may still pay: Stripe expires it in time
    if session.get("payment_status") == "paid":
        action = record_session(order, session).action
        return "" if action == "duplicate" else f"paid: {action}"
    # Complete, not paid: an async method; its PaymentIntent says how far.
    intent_id = session.get("payment_intent")
    if not isinstance(intent_id, str) or not intent_id:
        return ""
    try:
        intent = stripe.get_payment_intent(intent_id)
    except StripeRefused as error:
        logger.warning("Stripe PaymentIntent %s not looked up: %s", intent_id, error)
        return ""
    intent.setdefault("metadata", session.get("metadata") or {})
    action = (
        record_intent(order, intent, session_id=attempt.ref).action
        if intent.get("status") != "processing"
        else record_session(order, session).action
    )
    return "" if action in ("duplicate", "nothing") else f"{intent['status']}: {action}"
