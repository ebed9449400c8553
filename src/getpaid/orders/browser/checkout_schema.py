"""The checkout form's fields: the order's own, so the form holds to the
limits the order holds to (content/order.py), plus the form's choices."""

from getpaid.orders import _
from getpaid.orders.content.order import ADDRESS_PARTS
from getpaid.orders.content.order import IOrder
from plone.autoform import directives
from plone.supermodel import model
from z3c.form.browser.select import SelectFieldWidget
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant

import copy


def _must_accept(value: bool) -> bool:
    if not value:
        raise Invalid(_("Please accept the terms to place the order."))
    return True


def order_fields(*names: str, **changes) -> dict:
    """Copies of IOrder's fields (``changes`` set on each)."""
    fields = {}
    for name in names:
        field = copy.copy(IOrder[name])
        field.__dict__.update(changes)
        fields[name] = field
    return fields


def address_fields(prefix: str) -> dict:
    return order_fields(*(f"{prefix}_{part}" for part in ADDRESS_PARTS))


def shipping_complete(data):
    """A shipping address, if asked for, is whole."""
    if getattr(data, "ship_elsewhere", False):
        parts = ("street", "postal_code", "city", "country")
        if not all(getattr(data, f"shipping_{part}", None) for part in parts):
            raise Invalid(_("Please fill in the whole shipping address."))


class ICheckoutForm(model.Schema):
    # Fieldsets with legends: two "Street" fields need to say whose they are.
    model.fieldset(
        "billing",
        label=_("Billing address"),
        fields=[f"billing_{part}" for part in ADDRESS_PARTS],
    )
    model.fieldset(
        "shipping",
        label=_("Shipping address"),
        fields=["ship_elsewhere"] + [f"shipping_{part}" for part in ADDRESS_PARTS],
    )
    model.fieldset(
        "confirm", label=_("Place the order"), fields=["comment", "accept_terms"]
    )

    locals().update(order_fields("first_name", "last_name", "email", "phone"))
    locals().update(address_fields("billing"))
    ship_elsewhere = schema.Bool(
        title=_("Ship to a different address"), required=False, default=False
    )
    locals().update(address_fields("shipping"))
    locals().update(order_fields("comment", title=_("Comment")))
    accept_terms = schema.Bool(
        title=_("I accept the terms and conditions"),
        required=True,
        constraint=_must_accept,
    )
    # A required list would open on its first country: make customers choose.
    directives.widget(
        "billing_country",
        SelectFieldWidget,
        prompt=True,
        promptMessage=_("Choose a country"),
    )
    directives.widget(
        "shipping_country",
        SelectFieldWidget,
        prompt=True,
        promptMessage=_("Choose a country"),
    )
    directives.mode(checkout_key="hidden", seen_total="hidden")
    checkout_key = schema.ASCIILine(title="Checkout key", required=False)
    seen_total = schema.ASCIILine(title="Total seen", required=False)

    invariant(shipping_complete)
