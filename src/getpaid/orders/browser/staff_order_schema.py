"""The fields of the form staff take an order with: the products, then the
customer as the checkout asks for them (browser/checkout_schema.py), the
language their mails speak and, optionally, the member it belongs to."""

from getpaid.orders import _
from getpaid.orders.api.lines import MAX_QUANTITY
from getpaid.orders.browser.checkout_schema import address_fields
from getpaid.orders.browser.checkout_schema import order_fields
from getpaid.orders.browser.checkout_schema import shipping_complete
from getpaid.orders.content.order import ADDRESS_PARTS
from getpaid.orders.language import site_languages
from plone.autoform import directives
from plone.supermodel import model
from z3c.form.browser.select import SelectFieldWidget
from zope import schema
from zope.interface import invariant


# Product lines the form offers; more can be added in the order's editor
# while it is unpaid.
PRODUCT_ROWS = 5


def _product_rows() -> dict:
    fields = {}
    for row in range(1, PRODUCT_ROWS + 1):
        fields[f"product_{row}"] = schema.Choice(
            title=_("Product ${row}", mapping={"row": row}),
            vocabulary="getpaid.orders.buyable_products",
            required=row == 1,
        )
        fields[f"quantity_{row}"] = schema.Int(
            title=_("Quantity"), min=1, max=MAX_QUANTITY, default=1, required=False
        )
    return fields


def _site_language() -> str:
    return site_languages()[0]


class IStaffOrderForm(model.Schema):
    # The products (the default fieldset), then whose order it is.
    model.fieldset(
        "customer",
        label=_("Customer"),
        fields=[
            "first_name",
            "last_name",
            "email",
            "phone",
            "language",
            "buyer_id",
            "comment",
        ],
    )
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

    locals().update(_product_rows())
    locals().update(order_fields("first_name", "last_name", "email", "phone"))
    language = schema.Choice(
        title=_("Language of the customer's e-mails"),
        vocabulary="plone.app.vocabularies.SupportedContentLanguages",
        defaultFactory=_site_language,
    )
    buyer_id = schema.ASCIILine(
        title=_("Member"),
        description=_(
            "The user name of the member the order belongs to; empty for a "
            "customer without an account, who pays by the link in the e-mail."
        ),
        required=False,
    )
    locals().update(order_fields("comment", title=_("Comment")))
    locals().update(address_fields("billing"))
    ship_elsewhere = schema.Bool(
        title=_("Ship to a different address"), required=False, default=False
    )
    locals().update(address_fields("shipping"))
    for row in range(1, PRODUCT_ROWS + 1):
        directives.widget(
            f"product_{row}",
            SelectFieldWidget,
            prompt=True,
            promptMessage=_("Choose a product"),
        )
    del row  # the loop's, no field
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
    directives.mode(order_key="hidden")
    order_key = schema.ASCIILine(title="Order key", required=False)

    invariant(shipping_complete)
