"""The demo profile: a shop folder with three products to try checkout with."""

from decimal import Decimal
from getpaid.orders import logger
from getpaid.orders.setuphandlers.install import SHOP_VIEW
from io import BytesIO
from PIL import Image
from plone import api
from plone.namedfile.file import NamedBlobImage


SHOP_FOLDER_ID = "shop"

DEMO_PRODUCTS = (
    {
        "id": "blue-mug",
        "title": "Blue mug",
        "description": "A 300 ml stoneware mug.",
        "price": Decimal("12.50"),
        "sku": "MUG-BLUE",
        "colour": (40, 90, 200),
    },
    {
        "id": "plone-t-shirt",
        "title": "Plone T-shirt",
        "description": "Organic cotton, in every size.",
        "price": Decimal("25.00"),
        "sku": "TEE-PLONE",
        "colour": (0, 131, 190),
    },
    {
        "id": "hosting-one-year",
        "title": "Plone hosting, one year",
        "description": "A managed Plone site for 365 days from payment.",
        "price": Decimal("240.00"),
        "sku": "HOST-1Y",
        "duration_days": 365,
        "colour": (30, 160, 90),
    },
)


def _image(colour: tuple[int, int, int], filename: str) -> NamedBlobImage:
    data = BytesIO()
    Image.new("RGB", (600, 400), colour).save(data, "PNG")
    return NamedBlobImage(data=data.getvalue(), filename=filename)


def _publish(obj) -> None:
    """Publish where the site's workflow has a published state."""
    if api.portal.get_tool("portal_workflow").getChainFor(obj):
        api.content.transition(obj, to_state="published")


def create_demo_products(context):
    """Create /shop and its products where missing; publish them."""
    portal = api.portal.get()
    shop = portal.get(SHOP_FOLDER_ID)
    if shop is None:
        shop = api.content.create(
            container=portal, type="Folder", id=SHOP_FOLDER_ID, title="Shop"
        )
        shop.setLayout(SHOP_VIEW)
        _publish(shop)
    for spec in DEMO_PRODUCTS:
        if spec["id"] in shop.objectIds():
            continue
        product = api.content.create(
            container=shop,
            type="Product",
            id=spec["id"],
            title=spec["title"],
            description=spec["description"],
            price=spec["price"],
            currency="EUR",
            sku=spec["sku"],
            duration_days=spec.get("duration_days"),
            image=_image(spec["colour"], f"{spec['id']}.png"),
        )
        _publish(product)
        logger.info("Created demo product %s", spec["id"])
