"""Domain exceptions: every refusal of the domain layer is one of these.

Views, forms, REST services and the IPN listener translate them for their
audience; the message is written for a shop customer or manager to read. It
is a translatable message (``getpaid.orders`` domain): ``str(error)`` gives
it in English, ``error.translated(request)`` in the visitor's language.
"""

from zope.i18n import translate


class GetpaidError(Exception):
    """Base of every refusal raised by getpaid.orders."""

    def __str__(self) -> str:
        return translate(self.args[0]) if self.args else ""

    def translated(self, request) -> str:
        return translate(self.args[0], context=request) if self.args else ""


class InvalidAmount(GetpaidError, ValueError):
    """A money amount is not a finite, non-negative number fit for its currency."""


class InvalidCurrency(GetpaidError, ValueError):
    """A currency code is not an ISO 4217 code we know."""


class CurrencyMismatch(GetpaidError, ValueError):
    """Lines of one order would be in more than one currency."""


class InvalidQuantity(GetpaidError, ValueError):
    """A quantity is not a whole number of at least one."""


class NotBuyable(GetpaidError, ValueError):
    """The object can't be bought: it has no price, or it is gone."""


class EmptyOrder(GetpaidError, ValueError):
    """An order needs at least one line."""


class InvalidCustomer(GetpaidError, ValueError):
    """Customer data is missing or malformed (name, e-mail, address).

    ``field`` names the Order field at fault (``billing_city``…), if one is.
    """

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


class InvalidValue(GetpaidError, ValueError):
    """A value doesn't fit the order field it is meant for."""


class OrderNotFound(GetpaidError, LookupError):
    """No order has the given number."""


class TransitionNotAllowed(GetpaidError):
    """The workflow does not allow this transition now, or not to this user."""


class DuplicatePayment(GetpaidError):
    """A payment with the same provider transaction and status is already recorded."""


class OrderNotEditable(GetpaidError):
    """The order's lines can't change in its current state."""


class KeyInUse(GetpaidError):
    """An idempotency key placed an order for someone, or something, else."""


class TooManyLines(GetpaidError, ValueError):
    """An order would have more lines than the shop takes in one checkout."""


class TooManyLinks(GetpaidError):
    """The order has as many share links as it may have."""


class MailUnavailable(GetpaidError):
    """The site can't send mail (no sender address), and what was asked
    would hand the customer a link by mail."""


class NotAwaitingPayment(GetpaidError):
    """The order is paid (or beyond): it takes no payment link."""


class PaymentNotStarted(GetpaidError):
    """The provider could not begin a payment for the order (not offered
    for it, not configured, or it refused); the message is the payer's."""


class ProviderUnavailable(GetpaidError):
    """The provider could not be asked (a timeout, its 5xx): try again later.
    Nothing is lost: what it may have done is looked up later."""


class RefundNotPossible(GetpaidError):
    """A refund that can't be made as asked (not through this provider, more
    than remains, a bad amount, the provider refused); the message is staff's."""


class InvalidExport(GetpaidError, ValueError):
    """An export was asked for with a parameter it can't take (a date that
    isn't one, an unknown kind of row)."""


class ErasureRefused(GetpaidError):
    """The order's personal data can't be erased now: it is unpaid and
    open, under the shop's legal hold, needs a person, or is anonymised
    already."""


class OrderAnonymised(InvalidValue):
    """The order's customer data was erased: it takes no new link to it and
    no mail or note for its customer (api/erasure.py)."""
