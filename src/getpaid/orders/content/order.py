"""The Order: a record of what was bought, by whom, and its payments.

Customer data is plain schema fields (forms, REST and the catalog read them
as they are). Lines and history are frozen records set by the domain layer
(``getpaid.orders.api``), which is the only writer of number, currency,
lines and buyer; payments are ``Payment`` items inside the order.
"""

from decimal import Decimal
from getpaid.orders import _
from getpaid.orders.content.indexing import PLONE_INDEXES
from getpaid.orders.content.indexing import SelectiveIndexing
from getpaid.orders.content.payment import IPayment
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


ADDRESS_PARTS = ("street", "postal_code", "city", "country", "region")


def _address(required: bool) -> tuple:
    """The fields of a postal address, in the order of ADDRESS_PARTS."""
    return (
        schema.TextLine(title=_("Street"), required=required, max_length=200),
        schema.TextLine(title=_("Postal code"), required=required, max_length=20),
        schema.TextLine(title=_("City"), required=required, max_length=100),
        schema.Choice(
            title=_("Country"),
            vocabulary="getpaid.orders.countries",
            required=required,
        ),
        schema.TextLine(
            title=_("Region"),
            description=_("State, province or county"),
            required=False,
            max_length=100,
        ),
    )


class IOrder(model.Schema):
    """An order as the shop and its customer see it."""

    number = schema.TextLine(
        title=_("Order number"),
        description=_("Unique and human-friendly; not a secret."),
        readonly=True,
    )
    first_name = schema.TextLine(title=_("First name"), max_length=100)
    last_name = schema.TextLine(title=_("Surname"), max_length=100)
    email = schema.ASCIILine(title=_("E-mail"), max_length=254)
    phone = schema.TextLine(title=_("Phone"), required=False, max_length=40)

    model.fieldset(
        "billing",
        label=_("Billing address"),
        fields=[f"billing_{part}" for part in ADDRESS_PARTS],
    )
    (
        billing_street,
        billing_postal_code,
        billing_city,
        billing_country,
        billing_region,
    ) = _address(required=True)

    model.fieldset(
        "shipping",
        label=_("Shipping address"),
        description=_("Empty when goods go to the billing address."),
        fields=[f"shipping_{part}" for part in ADDRESS_PARTS],
    )
    (
        shipping_street,
        shipping_postal_code,
        shipping_city,
        shipping_country,
        shipping_region,
    ) = _address(required=False)

    comment = schema.Text(
        title=_("Customer's comment"), required=False, max_length=5000
    )
    message = schema.Text(
        title=_("Message to the customer"),
        description=_("Shown on the order page, e.g. a tracking number."),
        required=False,
    )
    start = schema.Datetime(title=_("Start"), required=False)
    end = schema.Datetime(title=_("End"), required=False)

    buyer_id = schema.TextLine(
        title=_("Buyer's user id"),
        description=_("Empty for customers without an account."),
        required=False,
        readonly=True,
    )
    currency = schema.ASCIILine(title=_("Currency"), readonly=True)


# Plone's indexes, and what order searches, filters and sorts use.
ORDER_INDEXES = PLONE_INDEXES + (
    # getpaid.orders' own (profiles/default/catalog.xml)
    "order_number",
    "order_search",
    "order_total",
    "order_currency",
    "order_end",
    "order_final",
    "customer_email",
    "customer_sortable",
    "buyer_id",
    "product_uids",
    "payment_txn_ids",
    "secret_link_digests",
    "needs_attention",
    "open_payments",
)


def full_name(first_name: str, last_name: str) -> str:
    """How the shop names a customer: "Ada Lovelace"."""
    return " ".join(f"{first_name or ''} {last_name or ''}".split())


@implementer(IOrder)
class Order(SelectiveIndexing, Container):
    """An order. Its total is always derived from its lines."""

    catalog_indexes = ORDER_INDEXES

    # Deliberately no type annotations on class attributes: they would create
    # a class-level ``__annotations__`` dict, which zope.annotation would then
    # share between every order (ordering, tokens, ...).
    lines = ()  # tuple[OrderLine, ...], replaced as a whole on change
    history = ()  # tuple[HistoryEntry, ...], append-only
    notes = ()  # tuple[Note, ...]: staff's notes, append-only (api/notes.py)
    secret_links = ()  # tuple[SecretLink, ...]: digests only (api/links.py)
    attention = ""  # why a person must look at the order; "" when all is well
    attention_flags = ()  # tuple[AttentionFlag, ...]: the reasons, one by one
    customer_language = ""  # the language ordered in; its mails speak it
    payment_pending = ""  # the provider's reason while a payment is pending
    payment_pending_txn = ""  # and that payment's transaction id
    payment_attempts = ()  # tuple[PaymentAttempt, ...]: api/attempts.py
    reminders = ()  # tuple[Reminder, ...]: payment reminders (api/reminders.py)
    anonymised = None  # datetime (UTC): its personal data erased (api/erasure.py)

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def has_shipping_address(self) -> bool:
        return bool(self.shipping_street)

    @property
    def customer_name(self) -> str:
        return full_name(self.first_name, self.last_name)

    def payments(self) -> list:
        """The order's payment records, oldest first."""
        found = [obj for obj in self.objectValues() if IPayment.providedBy(obj)]
        return sorted(found, key=lambda payment: payment.received_at)
