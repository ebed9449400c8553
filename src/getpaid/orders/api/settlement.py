"""What a recorded payment or refund does to its order, whoever sent it.

Decided here once, from the payment records on the order, for every
provider: the provider only says which of its messages are payments and
refunds (``api.payments.PAYMENT``, ``REFUND``) and that a payment fits the
order (receiver, currency, amount). A record that doesn't fit these rules is
kept all the same, the order flagged and the shop alerted: nothing is lost,
and a person decides.
"""

from dataclasses import dataclass
from decimal import Decimal
from getpaid.orders import workflow as wf
from getpaid.orders.api import transitions
from getpaid.orders.api.attention import PAID_AFTER_CANCEL
from getpaid.orders.api.attention import PAID_TWICE
from getpaid.orders.api.attention import raise_attention
from getpaid.orders.api.attention import REFUND_PROBLEM
from getpaid.orders.api.attention import tell_shop
from getpaid.orders.api.history import add_history
from getpaid.orders.api.payments import kind_of
from getpaid.orders.api.payments import PAYMENT
from getpaid.orders.api.payments import REFUND
from getpaid.orders.exceptions import InvalidAmount
from getpaid.orders.money import exponent
from getpaid.orders.money import is_money
from getpaid.orders.money import money
from plone import api


@dataclass(frozen=True)
class Balance:
    """The order's money by its records, in its currency."""

    paid: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)

    @property
    def remaining(self) -> Decimal:
        return self.paid - self.refunded


def balance(order, *, leaving_out=None) -> Balance:
    """What the order's payments and refunds add up to.

    Only records in the order's currency whose amounts are amounts of it
    count: any other (another currency, -1.005 EUR) was flagged when it came.
    ``leaving_out``: a record not to count (the refund being judged).
    """
    paid = refunded = Decimal(0)
    for record in order.payments():
        if leaving_out is not None and record.getId() == leaving_out.getId():
            continue
        if record.currency != order.currency or not is_money(
            record.amount, order.currency
        ):
            continue
        kind = kind_of(record)
        if kind == PAYMENT:
            paid += record.amount
        elif kind == REFUND:
            refunded -= record.amount  # refunds are negative amounts
    # In the currency's minor unit, nothing paid too: 0.00 EUR, 0 JPY.
    step = exponent(order.currency)
    return Balance(paid=paid.quantize(step), refunded=refunded.quantize(step))


def apply_payment(
    order, payment, *, source: str, label: str, accept_when_canceled: bool = False
) -> str:
    """A payment that fits the order (as its provider checked) pays it if it
    waits for one. On a canceled order it is flagged to be refunded, unless
    the shop accepts late payments; on an order paid already, or beyond,
    the customer paid twice: flagged. ``label`` names the payment for people
    ("PayPal 61E67681CH3238416"). Returns what happened."""
    state = api.content.get_state(order)
    if state in wf.PAYABLE_STATES:
        transitions.mark_paid(order, source=source, comment=label)
        return "paid"
    if state == wf.CANCELED and accept_when_canceled:
        comment = f"{label}, after cancelation"
        transitions.mark_paid(order, source=source, comment=comment)
        tell_shop(order, f"{label}: a canceled order was paid, and accepted.")
        return "paid"
    if state == wf.CANCELED:
        why, kind = "paid after it was canceled: refund it", PAID_AFTER_CANCEL
    elif state == wf.REFUNDED:
        why, kind = "paid after it was refunded: refund it", PAID_TWICE
    else:
        why, kind = "paid twice: refund one", PAID_TWICE
    _flag(order, payment, f"{label}: {why}", kind, source)
    return "flagged"


def apply_pending(order, payment, reason: str, *, source: str, label: str) -> str:
    """A payment the provider holds (an eCheck, a review): the order waits
    for it, and doesn't time out meanwhile, if it still waits for money."""
    if api.content.get_state(order) not in wf.PAYABLE_STATES:
        return "recorded"
    order.payment_pending = reason or "pending"
    order.payment_pending_txn = payment.txn_id
    add_history(
        order,
        source=source,
        action="payment pending",
        new=order.payment_pending,
        comment=label,
    )
    return "pending"


def apply_failure(order, payment, *, label: str) -> str:
    """A payment that failed: it is no longer on its way (only its own
    failure ends a pending payment), and a new order's payment failed."""
    if order.payment_pending_txn in ("", payment.txn_id):
        order.payment_pending = order.payment_pending_txn = ""
    if api.content.get_state(order) != wf.CREATED:
        return "recorded"
    transitions.fail_payment(order, comment=f"{label}: {payment.status}")
    return "failed"


def apply_refund(order, refund, *, source: str, label: str) -> str:
    """A refund (a negative amount) judged against the order's payments.

    Within what was paid and not yet refunded: a partial refund, kept in
    the history; reaching exactly what was paid: the order is refunded (when
    its workflow allows it from its state). Beyond what was paid, on an
    order without payments, or an amount its currency can't have: kept,
    flagged and alerted, and the order's state left to a person.
    """
    currency = order.currency
    before = balance(order, leaving_out=refund)
    why, amount = _judge(refund, currency, before)
    if why:
        _flag(order, refund, f"{label}: {why}", REFUND_PROBLEM, source)
        return "flagged"
    refunded = before.refunded + amount
    whole = refunded == before.paid
    if whole and wf.REFUND in transitions.allowed_transitions(order, source):
        transitions.refund(order, source=source, comment=label)
        return "refunded"
    add_history(
        order,
        source=source,
        action="refund" if whole else "partial refund",
        new=str(amount),
        comment=f"{label}: {refunded} of {before.paid} {currency} refunded",
    )
    return "refund recorded"


def _judge(refund, currency: str, before: Balance) -> tuple[str, Decimal]:
    """Why the refund doesn't fit the order ("" when it does), and its amount
    (positive). No arithmetic before the amount is known to be money: a
    provider may send 1E+999999999."""
    if refund.currency != currency:
        return f"refund in {refund.currency}, not {currency}", Decimal(0)
    amount = refund.amount.copy_negate()
    if amount <= 0:
        return f"refund of {refund.amount}: a refund is a negative amount", amount
    try:
        amount = money(amount, currency)
    except InvalidAmount as error:
        return f"refund of {refund.amount}: {error}", amount
    if before.paid <= 0:
        return f"refund of {amount} {currency}, but nothing was paid", amount
    if before.refunded + amount > before.paid:
        total = before.refunded + amount
        return f"refunds of {total} {currency} exceed the {before.paid} paid", amount
    return "", amount


def _flag(order, record, reason: str, kind: str, source: str) -> None:
    raise_attention(
        order, reason, source=source, kind=kind, ref=record.txn_id, new=record.status
    )
