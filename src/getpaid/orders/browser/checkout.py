"""``@@checkout``: who is buying, then "Place order", exactly once.

The form carries a random checkout key: a double click, a reload or the
back button resubmit the same key and land on the order already placed
(api.checkout), never on a second one. The key is bound to this browser by
its checkout secret (browser/checkout_secret.py): sent from anywhere else,
a used key is refused and shows nothing of its order. The form also
carries the total the customer saw: when prices changed since, the form
shows the new total and asks again instead of placing the order.
"""

from getpaid.orders import _
from getpaid.orders.api.checkout import checkout
from getpaid.orders.api.checkout import find_placed
from getpaid.orders.api.checkout import FORM_KEY_USED
from getpaid.orders.api.customer import Address
from getpaid.orders.api.customer import Customer
from getpaid.orders.api.links import link_url
from getpaid.orders.browser.checkout_schema import ICheckoutForm
from getpaid.orders.browser.checkout_secret import browser_secret
from getpaid.orders.browser.form_errors import all_widgets
from getpaid.orders.browser.form_errors import announce_errors
from getpaid.orders.browser.form_errors import flag_widget
from getpaid.orders.cart import cookie
from getpaid.orders.content.order import ADDRESS_PARTS
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.exceptions import InvalidCustomer
from getpaid.orders.exceptions import KeyInUse
from getpaid.orders.language import current_language
from getpaid.orders.money import money_text
from html import escape
from plone import api
from plone.autoform.form import AutoExtensibleForm
from z3c.form import button
from z3c.form import form
from z3c.form import group
from zope.i18n import translate

import secrets


def _address(data: dict, prefix: str) -> Address:
    return Address(
        **{part: data.get(f"{prefix}_{part}") or "" for part in ADDRESS_PARTS}
    )


class CheckoutForm(AutoExtensibleForm, group.GroupForm, form.Form):
    schema = ICheckoutForm
    ignoreContext = False
    label = _("Checkout")
    enableCSRFProtection = True
    enable_form_tabbing = False  # one page, its fieldsets one after the other
    default_fieldset_label = _("About you")

    def update(self):
        self.browser_secret = browser_secret(self.request)
        self.cart_lines = cookie.lines(cookie.read(self.request))
        self.totals = cookie.totals(self.cart_lines)
        super().update()
        self.description = self.summary()
        if any(widgets.errors for widgets in all_widgets(self)):
            self.status = announce_errors(self)

    def summary(self) -> str:
        """What is being bought, and the terms' address, above the form."""
        items = ", ".join(
            f"{line.quantity} × {line.title}"
            for line in self.cart_lines
            if not line.problem
        )
        text = escape(f"{items}: {self.total_text()}.") if items else ""
        terms = get_setting("terms_url", "")
        if terms:  # the form shows its description as HTML
            text += (
                f' <a href="{escape(terms)}" target="_blank">'
                f"{escape(translate(_('Terms and conditions'), context=self.request))}"
                "</a>"
            )
        return text

    def getContent(self):
        """Defaults: a fresh checkout key, the total shown, a member's data."""
        content = {
            "checkout_key": secrets.token_urlsafe(24),
            "seen_total": self.total_seen(),
            "ship_elsewhere": False,
        }
        if not api.user.is_anonymous():
            member = api.user.get_current()
            fullname = (member.getProperty("fullname") or "").strip()
            first, _sep, last = fullname.rpartition(" ")
            content.update(
                first_name=first or fullname,
                last_name=last if first else "",
                email=member.getProperty("email") or "",
            )
        return content

    def total_text(self) -> str:
        """The cart's total as the customer reads it."""
        totals = sorted(self.totals.items())
        return ", ".join(money_text(total, cur) for cur, total in totals)

    def total_seen(self) -> str:
        """The total in the hidden field: a price change since shows as a change."""
        return ", ".join(f"{total} {cur}" for cur, total in sorted(self.totals.items()))

    @button.buttonAndHandler(_("Place order"), name="place")
    def handle_place(self, action):
        data, errors = self.extractData()
        key = data.get("checkout_key") or self.request.form.get(
            "form.widgets.checkout_key"
        )
        try:
            placed = find_placed(key, self.browser_secret) if key else None
        except KeyInUse as error:  # by another browser: nothing of its order
            self.status = error.translated(self.request)
            return
        if placed is not None:  # submitted before: show that order
            return self.redirect_to(placed, new=False)
        if errors:
            return  # update() announces them
        if not self.cart_lines or any(line.problem for line in self.cart_lines):
            api.portal.show_message(
                _("Please check your cart first."), request=self.request, type="error"
            )
            return self.request.response.redirect(self.cart_url)
        if data.get("seen_total") != self.total_seen():
            self.widgets["seen_total"].value = self.total_seen()
            self.status = _(
                "Prices changed since you filled your cart: the total is now "
                "${total}. Please check it and place the order again.",
                mapping={"total": self.total_text()},
            )
            return
        self.place(data, key)

    def place(self, data: dict, key: str | None):
        customer = Customer(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data.get("phone") or "",
            billing=_address(data, "billing"),
            shipping=_address(data, "shipping") if data.get("ship_elsewhere") else None,
        )
        items = [(line.product, line.quantity) for line in self.cart_lines]
        buyer_id = None if api.user.is_anonymous() else api.user.get_current().getId()
        try:
            placed = checkout(
                items,
                customer,
                buyer_id=buyer_id,
                comment=data.get("comment") or "",
                key=key,
                browser_secret=self.browser_secret,
                language=current_language(),  # the customer's mails speak it
            )
        except InvalidCustomer as error:
            message = error.translated(self.request)
            if not flag_widget(self, error.field, message):
                self.status = message
            return
        except GetpaidError as error:
            self.status = error.translated(self.request)
            return
        cookie.write(self.request, {})
        return self.redirect_to(placed, new=True)

    def redirect_to(self, placed, new: bool):
        order = placed.order
        if new:
            api.portal.show_message(
                _(
                    "Your order ${number} has been created.",
                    mapping={"number": order.number},
                ),
                request=self.request,
            )
        buyer = not api.user.is_anonymous() and (
            api.user.get_current().getId() == order.buyer_id
        )
        if not buyer and not placed.owner_token:  # the link was replaced since
            self.status = FORM_KEY_USED
            return
        url = order.absolute_url() if buyer else link_url(placed.owner_token)
        return self.request.response.redirect(url)

    @property
    def cart_url(self) -> str:
        return f"{api.portal.get().absolute_url()}/@@cart"
