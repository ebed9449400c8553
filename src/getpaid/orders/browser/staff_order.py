"""``orders/@@new-order``: shop staff take an order for a customer (a phone
or e-mail order).

Products and quantities, then the customer as the checkout asks for them,
the language their mails speak and, optionally, the member it belongs to.
Saving places the order through api.enter_order: a web order's snapshots
and number, the confirmation with the link to pay mailed to the customer,
the history naming who took it. Bad input shows the form's errors and
places nothing. A random key in the form, bound to this browser, makes a
double click or a resubmission land on the order already placed.
"""

from getpaid.orders import _
from getpaid.orders.api.checkout import find_placed
from getpaid.orders.api.customer import Customer
from getpaid.orders.api.staff_orders import enter_order
from getpaid.orders.browser.checkout import _address
from getpaid.orders.browser.checkout_secret import browser_secret
from getpaid.orders.browser.form_errors import all_widgets
from getpaid.orders.browser.form_errors import announce_errors
from getpaid.orders.browser.form_errors import flag_widget
from getpaid.orders.browser.staff_order_schema import IStaffOrderForm
from getpaid.orders.browser.staff_order_schema import PRODUCT_ROWS
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.exceptions import InvalidCustomer
from getpaid.orders.exceptions import KeyInUse
from getpaid.orders.privacy import set_no_store
from plone import api
from plone.autoform.form import AutoExtensibleForm
from z3c.form import button
from z3c.form import form
from z3c.form import group

import secrets


class NewOrderForm(AutoExtensibleForm, group.GroupForm, form.Form):
    schema = IStaffOrderForm
    ignoreContext = False
    label = _("New order")
    description = _(
        "An order you take for a customer: they get its confirmation by "
        "e-mail, with the link to pay."
    )
    enableCSRFProtection = True
    enable_form_tabbing = False  # one page, its fieldsets one after the other
    default_fieldset_label = _("Products")

    def update(self):
        set_no_store(self.request.response)
        self.browser_secret = browser_secret(self.request)
        super().update()
        if any(widgets.errors for widgets in all_widgets(self)):
            self.status = announce_errors(self)

    def getContent(self):
        return {"order_key": secrets.token_urlsafe(24), "ship_elsewhere": False}

    @button.buttonAndHandler(_("Save order"), name="save")
    def handle_save(self, action):
        data, errors = self.extractData()
        key = data.get("order_key") or self.request.form.get("form.widgets.order_key")
        try:
            placed = find_placed(key, self.browser_secret) if key else None
        except KeyInUse as error:
            self.status = error.translated(self.request)
            return
        if placed is not None:  # saved before: show that order
            return self.request.response.redirect(placed.order.absolute_url())
        if errors:
            return  # update() announces them
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
        try:
            placed = enter_order(
                self.items(data),
                customer,
                language=data.get("language") or "",
                buyer_id=data.get("buyer_id") or None,
                comment=data.get("comment") or "",
                key=key,
                browser_secret=self.browser_secret,
            )
        except InvalidCustomer as error:
            message = error.translated(self.request)
            if not flag_widget(self, error.field, message):
                self.status = message
            return
        except GetpaidError as error:  # the products: not for sale, currencies…
            self.status = error.translated(self.request)
            return
        order = placed.order
        api.portal.show_message(
            _(
                "Order ${number} has been created; its confirmation is on its "
                "way to ${email}.",
                mapping={"number": order.number, "email": order.email},
            ),
            request=self.request,
        )
        return self.request.response.redirect(order.absolute_url())

    def items(self, data: dict) -> list:
        """(product, quantity) for each row with a product chosen."""
        items = []
        for row in range(1, PRODUCT_ROWS + 1):
            uid = data.get(f"product_{row}")
            if uid:
                product = api.content.get(UID=uid)
                items.append((product, data.get(f"quantity_{row}") or 1))
        return items
