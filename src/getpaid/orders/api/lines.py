"""Order lines: quantities checked, one currency, snapshots kept or taken."""

from collections.abc import Iterable
from getpaid.orders import _
from getpaid.orders.api.snapshots import take_snapshot
from getpaid.orders.content.line import OrderLine
from getpaid.orders.exceptions import CurrencyMismatch
from getpaid.orders.exceptions import EmptyOrder
from getpaid.orders.exceptions import InvalidQuantity
from getpaid.orders.exceptions import NotBuyable
from getpaid.orders.exceptions import TooManyLines
from plone.uuid.interfaces import IUUID


# The most of one product on an order line: the cart holds no more, and the
# back office, the API and REST keep to it too (a typo, not an order).
MAX_QUANTITY = 999
# The most lines (different products) of one order: what a cart holds, and
# what a checkout takes, counted before any product is looked up.
MAX_LINES = 50


def check_line_count(count: int) -> None:
    """TooManyLines when an order would have more than MAX_LINES lines."""
    if count > MAX_LINES:
        raise TooManyLines(
            _(
                "An order can have at most ${most} lines, not ${count}.",
                mapping={"most": MAX_LINES, "count": count},
            )
        )


def check_quantity(quantity) -> int:
    """A quantity is a whole number from 1 to MAX_QUANTITY."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise InvalidQuantity(
            _(
                "${quantity} is not a whole number.",
                mapping={"quantity": repr(quantity)},
            )
        )
    if quantity < 1:
        raise InvalidQuantity(
            _(
                "A quantity must be at least 1, not ${quantity}.",
                mapping={"quantity": quantity},
            )
        )
    if quantity > MAX_QUANTITY:
        raise InvalidQuantity(
            _(
                "A quantity can be at most ${most}, not ${quantity}.",
                mapping={"most": MAX_QUANTITY, "quantity": quantity},
            )
        )
    return quantity


def build_lines(
    items: Iterable, kept: Iterable[OrderLine] = ()
) -> tuple[OrderLine, ...]:
    """Lines for (product, quantity) pairs, in one currency.

    A product is a buyable content object, or the UID of a line in ``kept``.
    A product that already has a line in ``kept`` keeps that line's
    snapshot (its price when it was ordered); any other is snapshotted now.
    The same product given twice becomes one line with the quantities added.
    At most MAX_LINES lines, counted before any snapshot is taken.
    """
    items = [(_uid(product), product, quantity) for product, quantity in items]
    check_line_count(len({uid for uid, _product, _quantity in items}))
    snapshots = {line.product_uid: line.snapshot for line in kept}
    quantities: dict[str, int] = {}
    for uid, product, quantity in items:
        quantity = check_quantity(quantity)
        if uid not in snapshots:
            if isinstance(product, str):
                raise NotBuyable(
                    _(
                        "No line of this order has product ${uid}.",
                        mapping={"uid": repr(uid)},
                    )
                )
            snapshots[uid] = take_snapshot(product)
        # The line's quantity is the sum: the limit holds for it too.
        quantities[uid] = check_quantity(quantities.get(uid, 0) + quantity)
    if not quantities:
        raise EmptyOrder(_("An order needs at least one product."))
    lines = tuple(OrderLine(snapshots[uid], qty) for uid, qty in quantities.items())
    currencies = sorted({line.currency for line in lines})
    if len(currencies) > 1:
        raise CurrencyMismatch(
            _(
                "One order can't mix currencies (${currencies}): "
                "please order them separately.",
                mapping={"currencies": ", ".join(currencies)},
            )
        )
    return lines


def _uid(product) -> str | None:
    return product if isinstance(product, str) else IUUID(product, None)
