"""Domain events, fired by the domain layer (api/) for mail and integrations.

Subscribe to these rather than to raw workflow transitions: they say what
happened in shop terms, once, whoever caused it.
"""

from zope.interface import Attribute
from zope.interface import implementer
from zope.interface import Interface


class IOrderEvent(Interface):
    order = Attribute("The order")


class IOrderPlacedEvent(IOrderEvent):
    """An order was placed (it is in state ``created``): a customer's, by
    ``checkout``, with its first owner link; a script's, by ``place_order``,
    without one."""

    owner_token = Attribute(
        "The token of the order's first owner link (never stored, only here), "
        "or '' for none"
    )


class IOwnerLinkIssuedEvent(IOrderEvent):
    """A new owner link was made for the customer, to reach them by mail."""

    owner_token = Attribute("The new link's token: never stored, only here")
    reason = Attribute(
        "Why: lookup, reissue (every other link revoked), resend (the order "
        "mail sent again) or payment link"
    )


class IPaymentReminderEvent(IOrderEvent):
    """The customer of an unpaid order is reminded to pay (api/reminders.py),
    with a new owner link to the order's page."""

    owner_token = Attribute("The reminder's link token: never stored, only here")
    kind = Attribute("first or last (the sweeper's), or manual (staff's)")


class IOrderNeedsAttentionEvent(IOrderEvent):
    """The order needs a person: a payment or refund that doesn't fit it."""

    reason = Attribute("What a person should look at, in words")
    flag = Attribute("The AttentionFlag raised, or None when none was")


class INoteAddedEvent(IOrderEvent):
    """Staff added a note to the order (api/notes.py): a note for the
    customer is mailed to them; an internal one goes nowhere."""

    note = Attribute("The Note added (content/note.py)")


class IPaymentReceivedEvent(IOrderEvent):
    """A payment record was added to an order (whatever its status)."""

    payment = Attribute("The payment record")


class IOrderPaidEvent(IOrderEvent):
    """The order moved to ``paid``."""


class IOrderStateChangedEvent(IOrderEvent):
    """The order moved from one workflow state to another."""

    old_state = Attribute("State id before")
    new_state = Attribute("State id after")
    transition = Attribute("Transition id")
    source = Attribute("customer, manager, payment provider or system")
    comment = Attribute("Comment given with the transition")


@implementer(IOrderEvent)
class OrderEvent:
    def __init__(self, order):
        self.order = order
        self.object = order


@implementer(IOrderPlacedEvent)
class OrderPlacedEvent(OrderEvent):
    def __init__(self, order, owner_token: str = ""):
        super().__init__(order)
        self.owner_token = owner_token


@implementer(IOwnerLinkIssuedEvent)
class OwnerLinkIssuedEvent(OrderEvent):
    def __init__(self, order, owner_token: str, reason: str):
        super().__init__(order)
        self.owner_token = owner_token
        self.reason = reason


@implementer(IPaymentReminderEvent)
class PaymentReminderEvent(OrderEvent):
    def __init__(self, order, owner_token: str, kind: str):
        super().__init__(order)
        self.owner_token = owner_token
        self.kind = kind


@implementer(IOrderNeedsAttentionEvent)
class OrderNeedsAttentionEvent(OrderEvent):
    def __init__(self, order, reason: str, flag=None):
        super().__init__(order)
        self.reason = reason
        self.flag = flag


@implementer(INoteAddedEvent)
class NoteAddedEvent(OrderEvent):
    def __init__(self, order, note):
        super().__init__(order)
        self.note = note


@implementer(IOrderPaidEvent)
class OrderPaidEvent(OrderEvent):
    pass


@implementer(IPaymentReceivedEvent)
class PaymentReceivedEvent(OrderEvent):
    def __init__(self, order, payment):
        super().__init__(order)
        self.payment = payment


@implementer(IOrderStateChangedEvent)
class OrderStateChangedEvent(OrderEvent):
    def __init__(self, order, old_state, new_state, transition, source, comment):
        super().__init__(order)
        self.old_state = old_state
        self.new_state = new_state
        self.transition = transition
        self.source = source
        self.comment = comment
