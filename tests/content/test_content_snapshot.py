"""An order keeps what was bought, whatever happens to the product later."""

from decimal import Decimal
from getpaid.orders import api as shop
from io import BytesIO
from PIL import Image
from plone import api
from plone.namedfile.file import NamedBlobImage

import dataclasses
import os
import pytest


def png(width, height):
    """A photo-like (incompressible) image, so sizes compare as for real photos."""
    data = BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        data, "PNG"
    )
    return NamedBlobImage(data=data.getvalue(), filename="photo.png")


@pytest.fixture
def lamp(make_product):
    return make_product(
        "lamp",
        "80.00",
        title="Desk lamp",
        description="A lamp.",
        display_name="Desk lamp, brass",
        detail="Bulb not included.",
        sku="LAMP-B",
        duration_days=None,
        image=png(1200, 900),
    )


def test_snapshot_fields(lamp, customer):
    line = shop.place_order([(lamp, 1)], customer).lines[0]
    snapshot = line.snapshot
    assert snapshot.uid == api.content.get_uuid(lamp)
    assert (snapshot.name, snapshot.title, snapshot.display_name) == (
        "lamp",
        "Desk lamp",
        "Desk lamp, brass",
    )
    assert (snapshot.description, snapshot.detail, snapshot.sku) == (
        "A lamp.",
        "Bulb not included.",
        "LAMP-B",
    )
    assert (snapshot.unit_price, snapshot.currency) == (Decimal("80.00"), "EUR")


def test_snapshot_image_is_a_small_copy(lamp, customer):
    image = shop.place_order([(lamp, 1)], customer).lines[0].snapshot.image
    assert image is not lamp.image
    assert max(image.getImageSize()) == 400
    assert image.getSize() < lamp.image.getSize()


def test_product_edits_change_nothing(lamp, customer):
    order = shop.place_order([(lamp, 2)], customer)
    before = order.lines
    image_data = before[0].snapshot.image.data

    lamp.title = "Renamed lamp"
    lamp.price = Decimal("120.00")
    lamp.currency = "USD"
    lamp.image = png(50, 50)
    lamp.reindexObject()

    assert order.lines == before
    assert order.lines[0].snapshot.title == "Desk lamp"
    assert order.total == Decimal("160.00")
    assert order.lines[0].snapshot.image.data == image_data


def test_deleting_the_product_keeps_the_order_whole(portal, lamp, customer):
    order = shop.place_order([(lamp, 1)], customer)
    api.content.delete(lamp)
    assert "lamp" not in portal
    snapshot = order.lines[0].snapshot
    assert snapshot.title == "Desk lamp"
    assert snapshot.image.getImageSize() == (400, 300)


def test_snapshots_are_frozen(lamp, customer):
    line = shop.place_order([(lamp, 1)], customer).lines[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.snapshot.unit_price = Decimal("0.01")
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.quantity = 100


def test_product_without_image(make_product, customer):
    plain = make_product("plain", "1.00")
    assert shop.place_order([(plain, 1)], customer).lines[0].snapshot.image is None


def test_time_limited_product_keeps_its_duration(make_product, customer):
    hosting = make_product("hosting", "240.00", duration_days=365)
    line = shop.place_order([(hosting, 1)], customer).lines[0]
    assert line.snapshot.duration_days == 365


class TestScaledCopies:
    """A stored image is scaled once per version, in each process."""

    @pytest.fixture
    def scalings(self, monkeypatch):
        from getpaid.orders.api import snapshots

        made = []

        def counting_scale(data, *args, **kwargs):
            made.append(data)
            return scale(data, *args, **kwargs)

        scale = snapshots.scaleImage
        monkeypatch.setattr(snapshots, "scaleImage", counting_scale)
        return made

    @staticmethod
    def stored(image, oid, serial):
        from ZODB.utils import p64

        image._p_oid, image._p_serial = p64(oid), p64(serial)
        return image

    def test_the_same_version_is_scaled_once(self, scalings):
        from getpaid.orders.api.snapshots import ScaledCopies

        copies = ScaledCopies(kept=4)
        image = self.stored(png(1200, 900), oid=1, serial=10)
        first = copies.get(image)
        assert copies.get(image) == first
        assert len(scalings) == 1
        assert first[1] == "PNG"

    def test_a_new_version_is_scaled_again(self, scalings):
        from getpaid.orders.api.snapshots import ScaledCopies

        copies = ScaledCopies(kept=4)
        image = self.stored(png(1200, 900), oid=1, serial=10)
        copies.get(image)
        self.stored(image, oid=1, serial=11)  # its data changed
        copies.get(image)
        assert len(scalings) == 2

    def test_an_unstored_image_is_scaled_each_time(self, scalings):
        from getpaid.orders.api.snapshots import ScaledCopies

        copies = ScaledCopies(kept=4)
        image = png(120, 90)
        copies.get(image)
        copies.get(image)
        assert len(scalings) == 2

    def test_only_the_last_copies_are_kept(self, scalings):
        from getpaid.orders.api.snapshots import ScaledCopies

        copies = ScaledCopies(kept=2)
        images = [self.stored(png(40, 30), oid=n, serial=1) for n in (1, 2, 3)]
        for image in images:
            copies.get(image)
        copies.get(images[2])  # kept
        copies.get(images[0])  # dropped when the third came in
        assert len(scalings) == 4
