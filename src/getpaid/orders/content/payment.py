"""A Payment: one notification from a payment provider about an order.

Payments live inside their order (several per order: a failure, then a
success, then a refund). They are written only by the domain layer and never
edited: the raw notification is kept verbatim, as bytes with its charset, so
a dispute can be settled from what the provider really sent. One exception:
when the order is anonymised (api/erasure.py), the payer's personal fields
of the raw message are emptied (api/raw_messages.py); ids, amounts and
states stay.
"""

from decimal import Decimal
from getpaid.orders import _
from getpaid.orders.content.indexing import SelectiveIndexing
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IPayment(model.Schema):
    provider = schema.ASCIILine(title=_("Provider"), readonly=True)
    txn_id = schema.ASCIILine(title=_("Provider transaction id"), readonly=True)
    parent_txn_id = schema.ASCIILine(
        title=_("Parent transaction id"),
        description=_("The transaction a refund or reversal refers to."),
        required=False,
        readonly=True,
    )
    amount = schema.Decimal(title=_("Amount"), readonly=True)
    currency = schema.ASCIILine(title=_("Currency"), readonly=True)
    status = schema.ASCIILine(
        title=_("Provider status"),
        description=_("As the provider said it, e.g. Completed, Pending, Refunded."),
        readonly=True,
    )
    kind = schema.ASCIILine(
        title=_("Kind"),
        description=_(
            "payment (the customer paid), refund (the shop paid back), or "
            "empty: a record that moves no money (pending, failed, a chargeback)."
        ),
        required=False,
        readonly=True,
    )
    raw = schema.Bytes(title=_("Raw notification"), required=False, readonly=True)
    charset = schema.ASCIILine(
        title=_("Charset of the raw notification"), required=False, readonly=True
    )
    received_at = schema.Datetime(title=_("Received at"), readonly=True)


@implementer(IPayment)
class Payment(SelectiveIndexing, Item):
    """A payment record: in Plone's indexes only (no query looks for one)."""

    amount = Decimal(0)
    kind = None  # on records from before kinds: api.payments.kind_of decides
