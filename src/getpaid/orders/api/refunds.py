"""What may be refunded of an order, and refunding it: decided here, once.

An order's money is its payment records (``api.settlement.balance``). A
refund goes to one payment (a PayPal capture) that still has money on it,
through the provider that recorded that payment, and is recorded by the
provider's own recording path, so the provider's notification of the same
refund later is a duplicate. The order page, plone.restapi and the
projection ask ``refundable``; the back office and ``@refund`` call
``refund``. What the refund then does to the order (Refunded when nothing
remains, else still Paid) is ``api.settlement``'s rule.

The number of refunds recorded on the order (``Refundable.refunds``) is
what a refund form shows and sends back as ``seen``: the same form posted
twice (a double click, a reload) finds a refund recorded since it was shown
and refunds nothing more.
"""

from dataclasses import dataclass
from dataclasses import replace
from decimal import Decimal
from getpaid.orders import _
from getpaid.orders.api.characters import refused_character
from getpaid.orders.api.history import add_history
from getpaid.orders.api.payments import kind_of
from getpaid.orders.api.payments import PAYMENT
from getpaid.orders.api.payments import REFUND
from getpaid.orders.api.settlement import balance
from getpaid.orders.exceptions import InvalidAmount
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import RefundNotPossible
from getpaid.orders.money import is_money
from getpaid.orders.money import money
from getpaid.orders.money import money_text
from getpaid.orders.payments.interfaces import FULL_REFUNDS
from getpaid.orders.payments.interfaces import NO_REFUNDS
from getpaid.orders.payments.registry import provider_of


NOTE_LENGTH = 255  # PayPal's note_to_payer


@dataclass(frozen=True)
class Refundable:
    """What may be refunded of an order now, and through what."""

    currency: str
    paid: Decimal
    refunded: Decimal
    # The refunds recorded on the order so far: a refund form's ``seen``.
    refunds: int
    # The payment record a refund goes to (None: nothing to refund), its
    # provider (None: not installed), and what is left on that payment.
    payment: object = None
    provider: object = None
    left: Decimal = Decimal(0)
    # Why no refund can be made from here ("" when one can), for staff.
    why_not: str = ""

    @property
    def remaining(self) -> Decimal:
        return self.paid - self.refunded

    @property
    def possible(self) -> bool:
        return self.payment is not None and not self.why_not

    @property
    def most(self) -> Decimal:
        """The largest refund that may be made now."""
        return min(self.left, self.remaining) if self.possible else Decimal(0)

    @property
    def whole_only(self) -> bool:
        """The provider refunds only all that is left of a payment."""
        return getattr(self.provider, "refunds", NO_REFUNDS) == FULL_REFUNDS


def refund_count(order) -> int:
    """How many refunds (and reversals: negative amounts) are recorded."""
    return sum(1 for record in order.payments() if record.amount < 0)


def _sound(record, order) -> bool:
    return record.currency == order.currency and is_money(record.amount, order.currency)


def left_on(order, payment) -> Decimal:
    """What is left of ``payment`` after the refunds recorded against it
    (a refund names its payment as its parent)."""
    refunded = sum(
        (
            -record.amount
            for record in order.payments()
            if kind_of(record) == REFUND
            and _sound(record, order)
            and record.provider == payment.provider
            and record.parent_txn_id == payment.txn_id
        ),
        Decimal(0),
    )
    return payment.amount - refunded


def refundable(order) -> Refundable:
    """What may be refunded of ``order``, through which provider and
    payment. Of several payments with money left (an order paid twice),
    the newest that its provider can refund from here."""
    money_now = balance(order)
    found = Refundable(
        currency=order.currency,
        paid=money_now.paid,
        refunded=money_now.refunded,
        refunds=refund_count(order),
    )
    candidates = []
    for record in order.payments():
        if kind_of(record) != PAYMENT or not _sound(record, order):
            continue
        left = left_on(order, record)
        if left > 0:
            provider = provider_of(record)
            candidates.append((_why_not(provider), record, provider, left))
    if not candidates or found.remaining <= 0:
        why = _("Nothing remains to be refunded.") if found.paid > 0 else ""
        return replace(found, why_not=why)
    # Refundable from here first, then the newest (payments() is oldest first).
    candidates.reverse()
    candidates.sort(key=lambda candidate: bool(candidate[0]))
    why, record, provider, left = candidates[0]
    return replace(found, payment=record, provider=provider, left=left, why_not=why)


def _why_not(provider) -> str:
    """Why ``provider`` can't refund from here ("" when it can)."""
    if provider is None:
        return _(
            "The provider of this payment is not installed: refund it at the provider."
        )
    if provider.refunds == NO_REFUNDS:
        return getattr(provider, "refund_advice", "") or _(
            "${provider} can't refund from here: refund the payment at the "
            "provider; its notification then records the refund here.",
            mapping={"provider": provider.title},
        )
    return provider.unusable()


def check_note(note) -> str:
    """The note to the payer as it may be sent, or InvalidValue."""
    note = str(note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise InvalidValue(
            _(
                "The note to the customer is ${length} characters long; at most "
                "${limit} are sent.",
                mapping={"length": len(note), "limit": NOTE_LENGTH},
            )
        )
    if refused_character(note) is not None:
        raise InvalidValue(
            _("The note to the customer contains a character that can't be printed.")
        )
    return note


def check_amount(amount, currency: str) -> Decimal:
    """``amount`` (a Decimal, or the text a form sent) as an amount of
    ``currency`` above zero, or InvalidAmount."""
    try:
        value = money(amount, currency)
    except InvalidAmount:
        value = None
    if value is None or value <= 0:
        raise InvalidAmount(
            _(
                "${amount} is not an amount of ${currency} above zero.",
                mapping={"amount": str(amount)[:40], "currency": currency},
            )
        )
    return value


def refund(order, amount, note: str = "", *, source: str, seen: int | None = None):
    """Refund ``amount`` of ``order`` through the provider of the payment it
    goes to, with ``note`` for the customer; returns what the provider
    says happened (its outcome, with ``action``).

    ``seen``: the number of refunds recorded when the refund was asked for
    (``Refundable.refunds``, which a form sends back); if a refund was
    recorded since, the request is stale and nothing is refunded.

    Raises InvalidAmount or InvalidValue for an amount or note that won't
    do, RefundNotPossible when it can't be made as asked (nothing left,
    more than remains, not through this provider, the provider refused),
    ProviderUnavailable when the provider could not be asked.
    """
    amount = check_amount(amount, order.currency)
    note = check_note(note)
    now = refundable(order)
    if seen is not None and seen != now.refunds:
        raise RefundNotPossible(
            _(
                "A refund was recorded after this form was shown (a second "
                "click?): nothing more was refunded. Check the payments, and "
                "refund again if needed."
            )
        )
    if not now.possible:
        raise RefundNotPossible(now.why_not or _("Nothing was paid for this order."))
    if amount > now.most:
        raise RefundNotPossible(_too_much(now))
    if now.whole_only and amount != now.left:
        raise RefundNotPossible(
            _(
                "${provider} refunds a payment only in full: ${amount}.",
                mapping={
                    "provider": now.provider.title,
                    "amount": money_text(now.left, now.currency),
                },
            )
        )
    add_history(
        order,
        source=source,
        action="refund asked",
        new=str(amount),
        comment=note,
    )
    return now.provider.refund(order, now.payment, amount, note)


def _too_much(now: Refundable) -> str:
    most = money_text(now.most, now.currency)
    if now.most < now.remaining:
        return _(
            "At most ${most} can be refunded at once: the order was paid in "
            "several payments. Refund the rest in another refund.",
            mapping={"most": most},
        )
    return _("At most ${most} remains to be refunded.", mapping={"most": most})


def outcome_message(outcome, amount, currency: str) -> str:
    """What staff are told after a refund the provider made."""
    amount = money_text(Decimal(amount), currency)
    action = getattr(outcome, "action", "")
    payment = getattr(outcome, "payment", None)
    if action == "flagged":
        return _(
            "${amount} was refunded, but the refund doesn't fit the order's "
            "payments: see why it needs attention.",
            mapping={"amount": amount},
        )
    if payment is not None and kind_of(payment) != REFUND:
        return _(
            "The refund of ${amount} is ${status} at the provider; the order "
            "shows it once it completes.",
            mapping={"amount": amount, "status": payment.status},
        )
    return _("${amount} was refunded.", mapping={"amount": amount})
