"""The cart pages: add a product, see and change the cart, the header link."""

from getpaid.orders import _
from getpaid.orders.cart import cookie
from plone import api
from plone.app.layout.viewlets import ViewletBase
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import BadRequest
from zope.i18n import translate


def _quantity(value) -> int:
    try:
        return cookie.clamp(int(value))
    except (TypeError, ValueError):
        raise BadRequest("The quantity must be a whole number.") from None


class AddToCart(BrowserView):
    """POST ``<product>/@@add-to-cart`` with ``quantity``."""

    def __call__(self):
        if self.request.method != "POST":
            return self.request.response.redirect(self.context.absolute_url())
        CheckAuthenticator(self.request)
        quantity = _quantity(self.request.form.get("quantity", 1))
        cart = cookie.read(self.request)
        uid = self.context.UID()
        if uid not in cart and len(cart) >= cookie.MAX_LINES:
            api.portal.show_message(
                _("Your cart is full."), request=self.request, type="error"
            )
        else:
            cart[uid] = cookie.clamp(cart.get(uid, 0) + quantity)
            cookie.write(self.request, cart)
            api.portal.show_message(
                _(
                    "${title} is in your cart.",
                    mapping={"title": self.context.Title()},
                ),
                request=self.request,
            )
        return self.request.response.redirect(self.context.absolute_url())


class CartView(BrowserView):
    """``@@cart``: change quantities, remove lines, see totals, go to checkout."""

    template = ViewPageTemplateFile("templates/cart.pt")

    def __call__(self):
        self.cart = cookie.read(self.request)
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.change(self.request.form)
            cookie.write(self.request, self.cart)
            return self.request.response.redirect(self.url)
        self.lines = cookie.lines(self.cart)
        self.totals = cookie.totals(self.lines)
        return self.template()

    @property
    def url(self) -> str:
        return f"{api.portal.get().absolute_url()}/@@cart"

    def quantity_label(self, line) -> str:
        label = _("Quantity of ${product}", mapping={"product": line.title})
        return translate(label, context=self.request)

    def change(self, form) -> None:
        if "remove_unavailable" in form:
            for line in cookie.lines(self.cart):
                if line.problem:
                    del self.cart[line.uid]
            return
        for uid in list(self.cart):
            if f"remove.{uid}" in form:
                del self.cart[uid]
            elif f"quantity.{uid}" in form:
                quantity = _quantity(form[f"quantity.{uid}"])
                self.cart[uid] = quantity

    @property
    def problems(self) -> bool:
        return any(line.problem for line in self.lines)

    @property
    def mixed_currencies(self) -> bool:
        return len(self.totals) > 1

    @property
    def can_check_out(self) -> bool:
        return bool(self.totals) and not self.mixed_currencies and not self.problems

    def money(self, amount, currency) -> str:
        return f"{amount} {currency}"


class AddToCartViewlet(ViewletBase):
    """The quantity field and "Add to cart" button under a buyable item."""

    index = ViewPageTemplateFile("templates/add_to_cart.pt")

    def available(self) -> bool:
        context = self.context
        return bool(context.price is not None and context.for_sale is not False)

    def price(self) -> str:
        return f"{self.context.price} {self.context.currency}"


class CartLinkViewlet(ViewletBase):
    """ "Cart (n)" in the page header, read from the cookie: no ZODB access."""

    index = ViewPageTemplateFile("templates/cart_link.pt")

    def count(self) -> int:
        return sum(cookie.read(self.request).values())

    def url(self) -> str:
        return f"{api.portal.get().absolute_url()}/@@cart"
