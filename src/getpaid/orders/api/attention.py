"""Flagging an order for a person, and saying a flag was dealt with.

An order may need a person for several reasons at once (paid after it was
canceled, then a chargeback): each is an ``AttentionFlag`` with what raised
it (``kind``) and the provider transaction it is about (``ref``), so that the
event which undoes one (a canceled chargeback) clears that one only.
``order.attention`` is their reasons, one a line: what the order page, the
listing's badge and its catalog column show. The shop is told of each by
``OrderNeedsAttentionEvent`` (mail/alerts.py mails it).
"""

from getpaid.orders import logger
from getpaid.orders.api.history import add_history
from getpaid.orders.content.attention import AttentionFlag
from getpaid.orders.events import OrderNeedsAttentionEvent
from zope.event import notify


# What raised a flag.
PROBLEM = "problem"  # a notification that doesn't fit the order
PAID_AFTER_CANCEL = "paid after cancel"
PAID_TWICE = "paid twice"
REFUND_PROBLEM = "refund"  # a refund the payments don't allow
REVERSAL = "reversal"  # a chargeback; ``ref`` is the payment reversed


def flags_of(order) -> tuple[AttentionFlag, ...]:
    """The order's flags, oldest first."""
    flags = tuple(order.attention_flags)
    if not flags and order.attention:  # flagged before flags were kept apart
        return (AttentionFlag(reason=order.attention),)
    return flags


def raise_attention(
    order, reason: str, *, source: str, kind: str, ref: str = "", new: str = ""
) -> AttentionFlag:
    """Flag the order: kept with the others, in the history (``new``: the
    provider's status), in the listing, and mailed to the shop."""
    flag = AttentionFlag(reason=reason, kind=kind, ref=ref or "")
    _keep(order, (*flags_of(order), flag))
    add_history(order, source=source, action="payment problem", new=new, comment=reason)
    order.reindexObject()  # its payments' ids too, for search
    tell_shop(order, reason, flag)
    logger.warning("Order %s flagged: %s", order.number, reason)
    return flag


def tell_shop(order, reason: str, flag: AttentionFlag | None = None) -> None:
    """Tell the shop that the order needs a person (OrderNeedsAttentionEvent);
    ``flag`` is the one raised for it, if any."""
    notify(OrderNeedsAttentionEvent(order, reason, flag))


def clear_attention(
    order,
    *,
    source: str,
    action: str,
    comment: str = "",
    kind: str | None = None,
    ref: str = "",
) -> tuple[AttentionFlag, ...]:
    """A person dealt with the order's problems (every flag goes), or the
    provider undid what raised one (only the flags of ``kind`` about ``ref``
    go). Kept in the history either way; returns the flags cleared."""
    flags = flags_of(order)
    if kind is None:
        cleared = flags
    else:
        cleared = tuple(f for f in flags if (f.kind, f.ref) == (kind, ref or ""))
    add_history(
        order,
        source=source,
        action=action,
        old="\n".join(flag.reason for flag in cleared),
        comment=comment,
    )
    _keep(order, tuple(flag for flag in flags if flag not in cleared))
    order.reindexObject(idxs=["needs_attention"])  # and the metadata column
    return cleared


def _keep(order, flags: tuple[AttentionFlag, ...]) -> None:
    order.attention_flags = flags
    order.attention = "\n".join(flag.reason for flag in flags)
