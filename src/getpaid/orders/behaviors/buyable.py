"""The ``getpaid.orders.buyable`` behavior: anything with a price can be sold.

Switch it on for any Dexterity type; the shipped ``Product`` type has it.
"""

from decimal import Decimal
from getpaid.orders import _
from getpaid.orders.controlpanel.settings import default_currency
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.money import money
from plone.autoform.interfaces import IFormFieldProvider
from plone.supermodel import model
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant
from zope.interface import provider


@provider(IFormFieldProvider)
class IBuyable(model.Schema):
    """A thing with a price, that customers can put in a cart."""

    model.fieldset(
        "shop",
        label=_("Shop"),
        fields=[
            "price",
            "currency",
            "sku",
            "display_name",
            "detail",
            "duration_days",
            "for_sale",
        ],
    )

    price = schema.Decimal(
        title=_("Price"),
        description=_("Unit price, with no more decimals than the currency has."),
        min=Decimal(0),
    )
    currency = schema.Choice(
        title=_("Currency"),
        vocabulary="getpaid.orders.currencies",
        defaultFactory=default_currency,
    )
    sku = schema.TextLine(title=_("SKU"), required=False)
    display_name = schema.TextLine(
        title=_("Name on orders"),
        description=_("How the product is named on orders; its title if empty."),
        required=False,
    )
    detail = schema.Text(
        title=_("Detail"),
        description=_("What the customer gets, kept with each order."),
        required=False,
    )
    duration_days = schema.Int(
        title=_("Duration (days)"),
        description=_(
            "For time-limited purchases: how long it lasts once paid. "
            "Empty for goods bought for good."
        ),
        required=False,
        min=1,
    )
    for_sale = schema.Bool(
        title=_("For sale"),
        description=_("Uncheck to stop selling it; existing orders keep it."),
        default=True,
        required=False,
    )

    @invariant
    def price_fits_currency(data):
        if data.price is None or data.currency is None:
            return
        try:
            money(data.price, data.currency)
        except GetpaidError as error:
            raise Invalid(str(error)) from None
