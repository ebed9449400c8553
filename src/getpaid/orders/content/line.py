"""What was bought: a line of an order and the product snapshot it keeps.

Both are frozen: an order's lines are replaced as a whole (by the domain layer,
which recalculates), never edited in place, so a later edit of the product
can't reach into an order. They are stored inside the order's own record.
"""

from dataclasses import dataclass
from decimal import Decimal
from plone.namedfile.file import NamedBlobImage


@dataclass(frozen=True)
class ProductSnapshot:
    """The product as it was when it was ordered.

    ``name`` is the product's short name (its id), ``title`` its title, and
    ``display_name`` the name shown on orders (the product's own display
    name, or its title). ``image`` is a copy scaled down for order pages,
    owned by the order: editing or deleting the product leaves it alone.
    """

    uid: str
    path: str
    name: str
    title: str
    display_name: str
    description: str
    detail: str
    sku: str
    unit_price: Decimal
    currency: str
    duration_days: int | None = None
    image: NamedBlobImage | None = None


@dataclass(frozen=True)
class OrderLine:
    """A snapshot and how many of it were bought."""

    snapshot: ProductSnapshot
    quantity: int

    @property
    def product_uid(self) -> str:
        return self.snapshot.uid

    @property
    def currency(self) -> str:
        return self.snapshot.currency

    @property
    def unit_price(self) -> Decimal:
        return self.snapshot.unit_price

    @property
    def total(self) -> Decimal:
        # Exact: unit prices carry at most the currency's minor unit.
        return self.snapshot.unit_price * self.quantity
