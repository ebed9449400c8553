"""Paying an order with PayPal Checkout: create, return and capture, look up.

``start``: the payer pressed "Pay with PayPal". The server creates a PayPal
order (``purchase``) and only then keeps it on our order as an attempt, and
sends the payer to PayPal. The PayPal-Request-Id is derived from the order,
the form's attempt number and the body sent: a double click, or Zope
running the request again after a ConflictError, creates one PayPal order,
and PayPal answers the second call with the first one's order.

``settle_return``: PayPal sends the payer back with ``?token=<its order
id>``. Only an attempt of this very order is captured (``capture``); what
the page then says is a ``RETURN_*`` outcome. A decline at capture
(INSTRUMENT_DECLINED, PAYER_ACTION_REQUIRED) keeps the attempt open with
PayPal's ``redirect`` link: the page says the payment was declined, and
its "Pay with PayPal" button sends the payer back to the same PayPal order
to choose another way to pay (``start`` checks at PayPal that it still
waits for them), as PayPal asks; no second PayPal order is made for it.

``capture``: the one way an approved PayPal order is captured, whoever
asks (the return, the CHECKOUT.ORDER.APPROVED webhook, reconciliation),
always with the same request id, recorded through ``recording``.

``reconcile``: the sweeper looks up attempts still unsettled some minutes
after they began, and records what PayPal says became of them.
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from decimal import Decimal
from getpaid.orders import _
from getpaid.orders.api.attempts import attempts_of
from getpaid.orders.api.attempts import begin_attempt
from getpaid.orders.api.attempts import find_attempt
from getpaid.orders.api.attempts import open_attempts
from getpaid.orders.api.attempts import update_attempt
from getpaid.orders.content.attempt import FAILED
from getpaid.orders.content.attempt import OPEN
from getpaid.orders.content.attempt import PAID
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.exceptions import PaymentNotStarted
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.payments.interfaces import RETURN_CONFIRMING
from getpaid.orders.payments.interfaces import RETURN_DECLINED
from getpaid.orders.payments.interfaces import RETURN_NOTHING
from getpaid.orders.payments.interfaces import RETURN_PAID
from getpaid.orders.payments.interfaces import RETURN_PENDING
from getpaid.orders.payments.paypal_checkout import settings
from getpaid.orders.payments.paypal_checkout.client import encode
from getpaid.orders.payments.paypal_checkout.client import request_id
from getpaid.orders.payments.paypal_checkout.errors import PayPalError
from getpaid.orders.payments.paypal_checkout.errors import PayPalUnavailable
from getpaid.orders.payments.paypal_checkout.purchase import purchase
from getpaid.orders.payments.paypal_checkout.recording import FAILED_STATUSES
from getpaid.orders.payments.paypal_checkout.recording import Outcome
from getpaid.orders.payments.paypal_checkout.recording import PAID_STATUSES
from getpaid.orders.payments.paypal_checkout.recording import PROVIDER
from getpaid.orders.payments.paypal_checkout.recording import record_capture
from getpaid.orders.workflow import CANCELED
from getpaid.orders.workflow import PAYABLE_STATES
from plone import api

import hashlib
import logging
import re


logger = logging.getLogger(__name__)

# An attempt is looked up at PayPal once it is this old: the payer's return
# and the webhooks had their chance by then.
RECONCILE_AFTER = timedelta(minutes=10)
# How long PayPal lets a payer approve an order (its default, "3 hours");
# an order still waiting for its payer after that won't be paid.
APPROVAL_WINDOW = timedelta(hours=3)
# A PayPal order waiting for its payer.
AWAITING_PAYER = frozenset({"CREATED", "SAVED", "PAYER_ACTION_REQUIRED"})
# Capture refused: the payer must choose another way to pay, at PayPal.
BACK_TO_PAYPAL = frozenset(
    {
        "INSTRUMENT_DECLINED",
        "PAYER_ACTION_REQUIRED",
        "REDIRECT_PAYER_FOR_ALTERNATE_FUNDING",
    }
)
# Create refused: PayPal won't take this order's currency or amounts.
NOT_PAYABLE = frozenset(
    {
        "CURRENCY_NOT_SUPPORTED",
        "INVALID_CURRENCY_CODE",
        "DECIMAL_PRECISION",
        "DECIMALS_NOT_SUPPORTED",
    }
)
NOT_FOUND = 404  # an order PayPal doesn't know, or no longer (expired)
NUMBER = re.compile(r"[1-9][0-9]{0,5}")

UNAVAILABLE = _(
    "PayPal can't be reached just now. Nothing was paid; please try again in "
    "a few minutes."
)
NOT_STARTED = _(
    "PayPal could not begin the payment. Nothing was paid; please try again "
    "later, or contact the shop."
)
NOT_WITH_PAYPAL = _(
    "This order can't be paid with PayPal. Please choose another way to pay, "
    "or contact the shop."
)
ALREADY_PAID = _(
    "PayPal says this order has been paid already. The payment is being "
    "confirmed; this page will show the order as paid once it is."
)


# Pay


def start(order, urls, form) -> str:
    """Create the PayPal order for ``order``; keep the attempt; return the
    payer's link (``payer-action`` or ``approve``).

    Nothing is written before PayPal has answered. Raises
    ``PaymentNotStarted`` (a message for the payer) when PayPal refuses or
    the order can't be paid with it, ``ProviderUnavailable`` when PayPal
    can't be asked."""
    paypal = _client()
    again = _back_to_paypal(order, paypal)
    if again:
        return again
    try:
        body = purchase(order, urls)
    except GetpaidError as error:  # a currency or amount PayPal can't take
        logger.warning("Order %s can't be paid with PayPal: %s", order.number, error)
        raise PaymentNotStarted(NOT_WITH_PAYPAL) from error
    number = attempt_number(order, form)
    digest = hashlib.sha256(encode(body)).hexdigest()
    try:
        created = paypal.create_order(
            body, request_id=request_id("create", order.UID(), number, digest)
        )
    except PayPalUnavailable as error:
        logger.warning("PayPal order for %s not created: %s", order.number, error)
        raise ProviderUnavailable(UNAVAILABLE) from error
    except PayPalError as error:
        raise _not_started(order, error) from error
    paypal_id, link = str(created.get("id") or ""), payer_link(created)
    if not (paypal_id and link):
        logger.error("PayPal created an order for %s without a link", order.number)
        raise PaymentNotStarted(NOT_STARTED)
    begin_attempt(order, PROVIDER, paypal_id, payer_url=link, nonce=number)
    return link


def attempt_number(order, form) -> str:
    """The form's attempt number (``payment_form``'s field); the next one
    when it sends none that makes sense."""
    number = form.get("attempt") if hasattr(form, "get") else None
    if isinstance(number, str) and NUMBER.fullmatch(number):
        return number
    return str(len(attempts_of(order, PROVIDER)) + 1)


def payer_link(paypal_order: dict) -> str:
    """Where the payer approves: the ``payer-action`` link (with an
    experience context), else ``approve``."""
    links = [link for link in paypal_order.get("links") or () if isinstance(link, dict)]
    for rel in ("payer-action", "approve"):
        for link in links:
            if link.get("rel") == rel and link.get("href"):
                return str(link["href"])
    return ""


def _back_to_paypal(order, paypal) -> str:
    """The link back to PayPal for a payer whose funding was declined at
    capture, when that PayPal order still waits for them, for the order's
    total; "" to begin anew."""
    attempts = open_attempts(order, PROVIDER)
    if not attempts:
        return ""
    attempt = attempts[-1]
    fresh = datetime.now(UTC) - attempt.created < APPROVAL_WINDOW
    if attempt.detail not in BACK_TO_PAYPAL or not attempt.payer_url or not fresh:
        return ""
    try:
        paypal_order = paypal.get_order(attempt.ref)
    except PayPalUnavailable as error:
        raise ProviderUnavailable(UNAVAILABLE) from error
    except PayPalError:
        return ""  # gone: a new one; reconciliation settles the old
    if paypal_order.get("status") not in AWAITING_PAYER:
        return ""
    if _amount_of(paypal_order) != (order.total, order.currency):
        return ""  # the order changed since: a new PayPal order for it
    return attempt.payer_url


def _amount_of(paypal_order: dict) -> tuple[Decimal | None, str]:
    units = paypal_order.get("purchase_units") or [{}]
    amount = units[0].get("amount") if isinstance(units[0], dict) else None
    if not isinstance(amount, dict):
        return None, ""
    try:
        return Decimal(str(amount.get("value"))), str(amount.get("currency_code"))
    except ArithmeticError:
        return None, ""


def _not_started(order, error: PayPalError) -> PaymentNotStarted:
    """What the payer is told when PayPal refused to create the order."""
    if error.issue == "DUPLICATE_INVOICE_ID":
        # A PayPal order with our invoice number was captured: an earlier
        # attempt was paid, and the return or webhook hasn't told us yet
        # (reconciliation will), or another shop on the same PayPal
        # account uses our numbers.
        logger.warning(
            "PayPal says order %s was paid already (%s)", order.number, error
        )
        return PaymentNotStarted(ALREADY_PAID)
    if error.issue in NOT_PAYABLE:
        logger.error(
            "PayPal refuses order %s (%s %s): %s",
            order.number,
            order.total,
            order.currency,
            error,
        )
        return PaymentNotStarted(NOT_WITH_PAYPAL)
    logger.error("PayPal refused to create an order for %s: %s", order.number, error)
    return PaymentNotStarted(NOT_STARTED)


def _client():
    try:
        return settings.client()
    except ValueError as error:
        logger.error("PayPal Checkout is not set up: %s", error)
        raise PaymentNotStarted(NOT_STARTED) from error


# Return and capture


def settle_return(order, form) -> str:
    """The payer is back (PayPal's ``token`` is its order id): capture, and
    say what became of it (a ``RETURN_*`` of payments.interfaces). A token
    that is no attempt of this order settles nothing."""
    token = form.get("token") if hasattr(form, "get") else None
    attempt = find_attempt(order, PROVIDER, token) if isinstance(token, str) else None
    if attempt is None:
        return RETURN_NOTHING
    if attempt.status == PAID:  # a reload of the return page
        return RETURN_PAID
    try:
        return _capture(order, attempt.ref)[1]
    except ProviderUnavailable:
        return RETURN_CONFIRMING  # reconciliation settles it


def capture(order, paypal_order_id: str):
    """Capture the approved PayPal order ``paypal_order_id`` of ``order``
    (the payer's return, CHECKOUT.ORDER.APPROVED for a payer who never came
    back, reconciliation) and record it (``recording.record_capture``);
    the same capture whoever asks first. Returns a ``recording.Outcome``:
    its action is record_capture's, or "declined" (the payer must choose
    another way to pay at PayPal), "not approved", "expired", "refused",
    "not payable" (the order no longer takes a payment: not captured).
    Raises ``ProviderUnavailable`` when PayPal can't be asked (nothing is
    known: ask again, with the same request id)."""
    return _capture(order, paypal_order_id)[0]


def _capture(order, paypal_order_id: str) -> tuple[Outcome, str]:
    """capture's Outcome, and what the payer's page says of it."""
    attempt = find_attempt(order, PROVIDER, paypal_order_id)
    state = api.content.get_state(order)
    if not may_capture(order):
        # Paid meanwhile (another attempt), or canceled: taking this
        # payment too would only mean refunding it.
        if attempt is not None:
            update_attempt(
                order, attempt, status=FAILED, detail=f"not captured: {state}"
            )
        return Outcome("not payable"), (
            RETURN_NOTHING if state == CANCELED else RETURN_PAID
        )
    paypal = _unavailable_if_unset()
    try:
        captured = paypal.capture_order(
            paypal_order_id,
            request_id=request_id("capture", order.UID(), paypal_order_id),
        )
    except PayPalUnavailable as error:
        logger.warning("PayPal order %s not captured: %s", paypal_order_id, error)
        raise ProviderUnavailable(UNAVAILABLE) from error
    except PayPalError as error:
        return _refused(order, attempt, paypal_order_id, error, paypal)
    return _record(order, captured)


def may_capture(order) -> bool:
    """Whether a payment may still be taken for the order (as recording
    would pay it)."""
    state = api.content.get_state(order)
    if state == CANCELED:
        return bool(get_setting("paypal_pay_canceled_orders", False))
    return state in PAYABLE_STATES


def _record(order, paypal_order: dict) -> tuple[Outcome, str]:
    """Record the capture of a captured PayPal order (a capture's answer, or
    a look-up)."""
    units = paypal_order.get("purchase_units") or [{}]
    unit = units[0] if isinstance(units[0], dict) else {}
    payments = unit.get("payments") if isinstance(unit.get("payments"), dict) else {}
    captures = payments.get("captures") or []
    if not captures or not isinstance(captures[0], dict):
        return Outcome("nothing captured"), RETURN_CONFIRMING
    found = captures[0]
    outcome = record_capture(
        order,
        found,
        paypal_order_id=str(paypal_order.get("id") or ""),
        payee=unit.get("payee") if isinstance(unit.get("payee"), dict) else None,
    )
    status = str(found.get("status") or "")
    if outcome.action == "flagged":
        said = RETURN_CONFIRMING  # a person looks at it
    elif status in PAID_STATUSES:
        said = RETURN_PAID
    elif status == "PENDING":
        said = RETURN_PENDING
    elif status in FAILED_STATUSES:
        said = RETURN_DECLINED
    else:
        said = RETURN_CONFIRMING
    return outcome, said


def _refused(order, attempt, paypal_order_id: str, error: PayPalError, paypal):
    """PayPal refused the capture: what that means for the attempt."""

    def mark(**changes):
        if attempt is not None:
            update_attempt(order, attempt, **changes)

    issue = error.issue or error.name
    if error.issue == "ORDER_ALREADY_CAPTURED":
        try:
            return _record(order, paypal.get_order(paypal_order_id))
        except PayPalUnavailable as unavailable:
            raise ProviderUnavailable(UNAVAILABLE) from unavailable
    if error.issue in BACK_TO_PAYPAL:
        redirect = error.link("redirect") or (attempt.payer_url if attempt else "")
        mark(status=OPEN, detail=error.issue, payer_url=redirect)
        return Outcome("declined"), RETURN_DECLINED
    if error.issue == "ORDER_NOT_APPROVED":
        return Outcome("not approved"), RETURN_NOTHING
    if error.status == NOT_FOUND:
        mark(status=FAILED, detail="expired")
        return Outcome("expired"), RETURN_NOTHING
    logger.warning("PayPal refused to capture %s: %s", paypal_order_id, error)
    mark(status=FAILED, detail=issue)
    if error.issue == "DUPLICATE_INVOICE_ID":
        # Another PayPal order with our number was captured: an attempt of
        # ours, which reconciliation records.
        return Outcome("refused"), RETURN_CONFIRMING
    return Outcome("refused"), RETURN_DECLINED


def _unavailable_if_unset():
    try:
        return settings.client()
    except ValueError as error:
        logger.error("PayPal Checkout is not set up: %s", error)
        raise ProviderUnavailable(UNAVAILABLE) from error


# Reconciliation


def reconcile(order, now) -> str:
    """Look up the order's unsettled attempts at PayPal and record what
    became of them: those begun ``RECONCILE_AFTER`` or longer before
    ``now``. Returns what it found ("" for nothing new); raises
    ``ProviderUnavailable`` when PayPal can't be asked (what was recorded
    before stays recorded)."""
    found = []
    paypal = None
    for attempt in open_attempts(order, PROVIDER):
        if now - attempt.created < RECONCILE_AFTER:
            continue
        paypal = paypal or _unavailable_if_unset()
        what = _look_up(order, attempt, now, paypal)
        if what:
            found.append(f"{attempt.ref} {what}")
    return "; ".join(found)


def _look_up(order, attempt, now, paypal) -> str:
    try:
        paypal_order = paypal.get_order(attempt.ref)
    except PayPalUnavailable as error:
        raise ProviderUnavailable(UNAVAILABLE) from error
    except PayPalError as error:
        if error.status == NOT_FOUND:
            update_attempt(order, attempt, status=FAILED, detail="expired")
            return "expired"
        logger.warning("PayPal order %s not looked up: %s", attempt.ref, error)
        return ""
    status = str(paypal_order.get("status") or "")
    if status in ("APPROVED", "COMPLETED"):
        if status == "APPROVED":  # the payer never came back
            action = _capture(order, attempt.ref)[0].action
        else:  # captured: its return or webhook never reached us
            action = _record(order, paypal_order)[0].action
        return "" if action == "duplicate" else f"{status.lower()}: {action}"
    if status == "VOIDED":
        update_attempt(order, attempt, status=FAILED, detail="voided")
        return "voided"
    if status in AWAITING_PAYER and now - attempt.created >= APPROVAL_WINDOW:
        update_attempt(order, attempt, status=FAILED, detail="not approved in time")
        return "not approved in time"
    return ""
