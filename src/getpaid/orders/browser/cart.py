"""The cart pages: add a product, see and change the cart, the header link."""

from getpaid.orders import _
from getpaid.orders.api.products import on_sale
from getpaid.orders.api.products import why_not_on_sale
from getpaid.orders.browser.urls import within_site
from getpaid.orders.cart import cookie
from getpaid.orders.money import money_text
from plone import api
from plone.app.layout.viewlets import ViewletBase
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate


def _quantity(value) -> int | None:
    """The whole number typed, or None for anything else (an empty field too)."""
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def price_text(product) -> str:
    return money_text(product.price, product.currency)


def _say_capped(request) -> None:
    api.portal.show_message(
        _(
            "At most ${most} of one product fit in a cart.",
            mapping={"most": cookie.MAX_QUANTITY},
        ),
        request=request,
        type="warning",
    )


class AddToCart(BrowserView):
    """POST ``<product>/@@add-to-cart`` with ``quantity``; back to the product,
    or to ``came_from`` (a listing of this site)."""

    def __call__(self):
        if self.request.method != "POST":
            return self.request.response.redirect(self.context.absolute_url())
        CheckAuthenticator(self.request)
        quantity = _quantity(self.request.form.get("quantity", 1))
        cart = cookie.read(self.request)
        uid = self.context.UID()
        refusal = why_not_on_sale(self.context)
        if refusal:  # taken off sale while the customer's page was open
            api.portal.show_message(
                refusal.translated(self.request), request=self.request, type="error"
            )
        elif quantity is None or quantity < 1:
            api.portal.show_message(
                _("Enter a quantity of 1 or more."), request=self.request, type="error"
            )
        elif uid not in cart and len(cart) >= cookie.MAX_LINES:
            api.portal.show_message(
                _("Your cart is full."), request=self.request, type="error"
            )
        else:
            wanted = cart.get(uid, 0) + quantity
            cart[uid] = cookie.clamp(wanted)
            cookie.write(self.request, cart)
            if wanted > cookie.MAX_QUANTITY:
                _say_capped(self.request)
            api.portal.show_message(
                _(
                    "${title} is in your cart.",
                    mapping={"title": self.context.Title()},
                ),
                request=self.request,
            )
        # Back where the customer added from (a shop listing), or the product.
        came_from = str(self.request.form.get("came_from") or "")
        back = within_site(came_from, self.context.absolute_url())
        return self.request.response.redirect(back)


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
        refused, capped = self.set_quantities(form)
        if refused:
            api.portal.show_message(
                _("A quantity is a whole number; 0 takes the product out."),
                request=self.request,
                type="error",
            )
        if capped:
            _say_capped(self.request)

    def set_quantities(self, form) -> tuple[bool, bool]:
        """Apply removals and quantities; (any refused, any capped)."""
        refused = capped = False
        for uid in list(self.cart):
            quantity = _quantity(form.get(f"quantity.{uid}", ""))
            if f"remove.{uid}" in form or quantity == 0:  # 0, as in most shops
                del self.cart[uid]
            elif f"quantity.{uid}" not in form:
                continue
            elif quantity is None or quantity < 0:
                refused = True  # this line keeps its quantity
            else:
                self.cart[uid] = cookie.clamp(quantity)
                capped = capped or quantity > cookie.MAX_QUANTITY
        return refused, capped

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
        return money_text(amount, currency)


class AddToCartViewlet(ViewletBase):
    """The quantity field and "Add to cart" button under a buyable item."""

    index = ViewPageTemplateFile("templates/add_to_cart.pt")

    def available(self) -> bool:
        return on_sale(self.context)

    def price(self) -> str:
        return price_text(self.context)


class CartLinkViewlet(ViewletBase):
    """ "Cart (n)" in the page header, read from the cookie: no ZODB access."""

    index = ViewPageTemplateFile("templates/cart_link.pt")

    def count(self) -> int:
        return sum(cookie.read(self.request).values())

    def url(self) -> str:
        return f"{api.portal.get().absolute_url()}/@@cart"
