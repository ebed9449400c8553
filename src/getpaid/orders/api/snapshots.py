"""Product snapshots: what a product was when it went into an order.

The image is copied, scaled down, into the order rather than referenced by
URL: a URL shows whatever the product shows today, or nothing once the
product is deleted, and an order must keep showing what was bought. Copying
a ~400 px scale costs a few kilobytes per line instead of the original's
megabytes (docs/data-model.rst).

Scaling is the dearest part of a checkout (PIL's encoder: ~80 ms for a
small PNG, more than the rest of the checkout together), so each process
keeps the last scaled copies it made, keyed by the stored image's oid and
serial: a product's image is scaled once per version, not once per order.
"""

from getpaid.orders import _
from getpaid.orders.behaviors.buyable import IBuyable
from getpaid.orders.content.line import ProductSnapshot
from getpaid.orders.exceptions import NotBuyable
from getpaid.orders.money import check_currency
from getpaid.orders.money import money
from plone.namedfile.file import NamedBlobImage
from plone.scale.scale import scaleImage
from plone.uuid.interfaces import IUUID

import logging
import threading


logger = logging.getLogger(__name__)

SNAPSHOT_IMAGE_SIZE = 400
SCALED_COPIES_KEPT = 64  # products; a scaled copy is some kilobytes


def check_buyable(product) -> None:
    """Raise NotBuyable unless the product can go into an order now."""
    if product is None or not IBuyable.providedBy(product):
        raise NotBuyable(
            _("${product} is not for sale.", mapping={"product": _label(product)})
        )
    if product.for_sale is False:
        raise NotBuyable(
            _(
                "${product} is no longer for sale.",
                mapping={"product": _label(product)},
            )
        )
    if product.price is None:
        raise NotBuyable(
            _("${product} has no price.", mapping={"product": _label(product)})
        )


def take_snapshot(product) -> ProductSnapshot:
    """Snapshot a buyable product, its price checked against its currency."""
    check_buyable(product)
    currency = check_currency(product.currency)
    title = product.Title() or product.getId()
    return ProductSnapshot(
        uid=IUUID(product),
        path="/".join(product.getPhysicalPath()),
        name=product.getId(),
        title=title,
        display_name=product.display_name or title,
        description=product.Description() or "",
        detail=product.detail or "",
        sku=product.sku or "",
        unit_price=money(product.price, currency),
        currency=currency,
        duration_days=product.duration_days,
        image=snapshot_image(getattr(product, "image", None)),
    )


def snapshot_image(image) -> NamedBlobImage | None:
    """A scaled-down copy of a product image, or None without one."""
    if image is None or not getattr(image, "size", 0):
        return None
    scaled = _scaled_copies.get(image)
    if scaled is None:
        return None
    data, format_ = scaled
    return NamedBlobImage(data=data, filename=f"snapshot.{format_.lower()}")


def _scale(image) -> tuple[bytes, str] | None:
    try:
        data, format_, _size = scaleImage(
            image.data, SNAPSHOT_IMAGE_SIZE, SNAPSHOT_IMAGE_SIZE, mode="scale"
        )
    except Exception:
        # An image PIL can't read (SVG, damaged): an order without a picture
        # beats a checkout that fails.
        logger.warning("Could not scale %r for an order snapshot", image.filename)
        return None
    return data, format_


class ScaledCopies:
    """The last scaled copies made in this process, by image version.

    A stored image's (oid, serial) names one version of its bytes in the
    database: a new image or new data gives a new key. An image not yet
    stored has no such name and is scaled each time.
    """

    def __init__(self, kept: int):
        self.kept, self.copies, self.lock = kept, {}, threading.Lock()

    def get(self, image) -> tuple[bytes, str] | None:
        oid, serial = getattr(image, "_p_oid", None), getattr(image, "_p_serial", None)
        if oid is None:
            return _scale(image)
        key = (oid, serial)
        with self.lock:
            if key in self.copies:
                self.copies[key] = self.copies.pop(key)  # most recent last
                return self.copies[key]
        scaled = _scale(image)  # outside the lock: threads may scale at once
        with self.lock:
            self.copies[key] = scaled
            while len(self.copies) > self.kept:
                del self.copies[next(iter(self.copies))]
        return scaled


_scaled_copies = ScaledCopies(SCALED_COPIES_KEPT)


def _label(product) -> str:
    if product is None:
        return "This product"
    return repr(product.Title() or product.getId())
