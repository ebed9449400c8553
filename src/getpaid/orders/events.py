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
    """A customer placed an order (it is in state ``created``)."""


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
    pass


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
