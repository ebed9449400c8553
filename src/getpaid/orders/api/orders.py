"""Placing, finding and changing orders. No request objects here."""

from collections.abc import Iterable
from datetime import datetime
from datetime import UTC
from getpaid.orders import _
from getpaid.orders.api.customer import check_customer_field
from getpaid.orders.api.customer import Customer
from getpaid.orders.api.fields import check_field
from getpaid.orders.api.history import add_history
from getpaid.orders.api.lines import build_lines
from getpaid.orders.api.numbering import new_order_number
from getpaid.orders.content.order import IOrder
from getpaid.orders.content.order import Order
from getpaid.orders.events import OrderPlacedEvent
from getpaid.orders.exceptions import CurrencyMismatch
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import OrderNotEditable
from getpaid.orders.exceptions import OrderNotFound
from getpaid.orders.workflow import SOURCE_CUSTOMER
from getpaid.orders.workflow import UNPAID_STATES
from plone import api
from plone.dexterity.utils import createContent
from zope.event import notify
from zope.lifecycleevent import modified
from zope.schema import getFields


ORDERS_FOLDER_ID = "orders"

# What a manager may change on an order; number, buyer, currency and lines
# are the domain's own (lines through set_lines).
EDITABLE_FIELDS = frozenset(getFields(IOrder)) - {"number", "buyer_id", "currency"}


def orders_folder():
    """The site's orders folder."""
    return api.portal.get()[ORDERS_FOLDER_ID]


def get_order(number: str, folder=None) -> Order:
    """The order with this number, or OrderNotFound."""
    folder = orders_folder() if folder is None else folder
    order = folder.get(number) if isinstance(number, str) else None
    if not IOrder.providedBy(order):
        raise OrderNotFound(
            _("There is no order ${number}.", mapping={"number": repr(number)})
        )
    return order


def place_order(
    items: Iterable,
    customer: Customer,
    *,
    buyer_id: str | None = None,
    comment: str = "",
    folder=None,
) -> Order:
    """Create an order in state ``created`` from (product, quantity) pairs.

    Every check runs before anything is written: a refusal leaves no trace.
    ``buyer_id`` is the member who buys (it becomes the order's Owner);
    customers without an account have none and reach their order by link.
    Fires OrderPlacedEvent without an owner link, so nothing is mailed: a
    script's order. A customer's comes from ``checkout``, whose event
    carries the link the confirmation mails.
    """
    order = create_order(
        items, customer, buyer_id=buyer_id, comment=comment, folder=folder
    )
    notify(OrderPlacedEvent(order))
    return order


def create_order(
    items: Iterable,
    customer: Customer,
    *,
    buyer_id: str | None = None,
    comment: str = "",
    folder=None,
    source: str = SOURCE_CUSTOMER,
    language: str = "",
) -> Order:
    """``place_order`` without its event, for ``checkout`` to fire.

    ``source`` is who placed it, as the history keeps it (the customer, or
    the shop for an order staff took); ``language`` the one its mails to
    the customer speak ("": the site's).
    """
    lines = build_lines(items)
    customer.check()
    comment = comment or None
    check_customer_field("comment", comment)
    folder = orders_folder() if folder is None else folder
    number = new_order_number(taken=folder.hasObject)

    order = createContent("Order", **customer.order_fields())
    order.id = number
    order.number = number
    order.title = number
    order.comment = comment
    order.buyer_id = buyer_id or None
    order.currency = lines[0].currency
    order.lines = lines
    order.customer_language = language or ""
    # Only the buyer owns the order, not whoever happens to run the code.
    order.__ac_local_roles__ = {buyer_id: ["Owner"]} if buyer_id else {}
    add_history(order, source=source, action="place", new=number)

    folder._setObject(number, order)
    return folder._getOb(number)


def check_lines_editable(order) -> None:
    state = api.content.get_state(order)
    if state not in UNPAID_STATES:
        raise OrderNotEditable(
            _(
                "Order ${number} is ${state}: its products and quantities "
                "can change only while it is unpaid.",
                mapping={"number": order.number, "state": state},
            )
        )


def set_lines(order, items: Iterable, *, source: str, comment: str = "") -> Order:
    """Replace the order's lines and so its total.

    ``items`` are (product, quantity) pairs as for ``build_lines``: products
    already on the order keep their snapshot, new ones are snapshotted now.
    Only while the order is unpaid; the order's currency can't change.
    """
    check_lines_editable(order)
    old_total = order.total
    lines = build_lines(items, kept=order.lines)
    if lines[0].currency != order.currency:
        raise CurrencyMismatch(
            _(
                "Order ${number} is in ${currency}, not ${other}.",
                mapping={
                    "number": order.number,
                    "currency": order.currency,
                    "other": lines[0].currency,
                },
            )
        )
    old = _describe(order.lines)
    order.lines = lines
    add_history(
        order,
        source=source,
        action="edit",
        field="lines",
        old=f"{old} = {old_total}",
        new=f"{_describe(lines)} = {order.total}",
        comment=comment,
    )
    modified(order)
    return order


def update_order(order, changes: dict, *, source: str, comment: str = "") -> Order:
    """Change plain fields of an order (message, addresses, start/end…)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise InvalidValue(f"Not editable here: {', '.join(sorted(unknown))}.")
    changes = {
        name: _in_utc(value) if name in ("start", "end") else value
        for name, value in changes.items()
    }
    for name, value in changes.items():
        check_field(name, value, order)
    if "start" in changes or "end" in changes:  # other edits leave them be
        start, end = changes.get("start", order.start), changes.get("end", order.end)
        if start and end and end <= start:
            raise InvalidValue(_("The end must come after the start."))
    for name, value in changes.items():
        old = getattr(order, name, None)
        if old == value:
            continue
        setattr(order, name, value)
        add_history(
            order,
            source=source,
            action="edit",
            field=name,
            old=old,
            new=value,
            comment=comment,
        )
    modified(order)
    return order


def _in_utc(value):
    """A time without a zone is taken as UTC, as the order's times are."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _describe(lines) -> str:
    return ", ".join(
        f"{line.quantity} × {line.snapshot.display_name}" for line in lines
    )
