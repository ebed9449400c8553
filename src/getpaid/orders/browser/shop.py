"""A folder as a shop window: each product with its image, price and
"Add to cart"; anything else in the folder as in Plone's own listing."""

from Acquisition import aq_base
from getpaid.orders.api.products import on_sale
from getpaid.orders.behaviors.buyable import IBuyable
from getpaid.orders.browser.cart import price_text
from plone import api
from plone.batching import Batch
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class ShopView(BrowserView):
    """``shop-view``: a display view for folders (Display → Shop)."""

    template = ViewPageTemplateFile("templates/shop.pt")
    page_size = 24

    def __call__(self):
        found = api.content.find(
            context=self.context, depth=1, sort_on="getObjPositionInParent"
        )
        try:
            b_start = max(0, int(self.request.form.get("b_start", 0)))
        except (TypeError, ValueError):
            b_start = 0
        # A page past the end (an old link, products since removed): the last.
        last_page = max(0, len(found) - 1) // self.page_size * self.page_size
        self.batch = Batch(found, self.page_size, min(b_start, last_page))
        return self.template()

    def items(self) -> list[dict]:
        here = self.request["ACTUAL_URL"]  # this page of the batch
        if self.request.get("QUERY_STRING"):
            here += "?" + self.request["QUERY_STRING"]
        return [self.item(brain.getObject(), here) for brain in self.batch]

    @staticmethod
    def item(obj, here: str) -> dict:
        url = obj.absolute_url()
        buyable = on_sale(obj)
        image = getattr(aq_base(obj), "image", None)
        return {
            "title": obj.Title() or obj.getId(),
            "description": obj.Description(),
            "url": url,
            "image": f"{url}/@@images/image/preview" if image else "",
            "price": price_text(obj) if buyable else "",
            "add_to_cart": f"{url}/@@add-to-cart" if buyable else "",
            "unavailable": IBuyable.providedBy(obj) and not buyable,
            "came_from": here,
        }
