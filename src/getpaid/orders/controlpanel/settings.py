"""The shop's settings, kept in plone.registry under ``getpaid.orders.*``."""

from getpaid.orders import _
from plone import api
from plone.base.interfaces import IPloneSiteRoot
from plone.registry.interfaces import IRegistry
from zope import schema
from zope.component import adapter
from zope.component import getUtility
from zope.interface import implementer
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import invariant
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


REGISTRY_PREFIX = "getpaid.orders"

PAYPAL_SANDBOX = "sandbox"
PAYPAL_LIVE = "live"
PAYPAL_CUSTOM = "custom"

# PayPal's documented endpoints for Payments Standard and IPN verification.
PAYPAL_URLS = {
    PAYPAL_SANDBOX: (
        "https://www.sandbox.paypal.com/cgi-bin/webscr",
        "https://ipnpb.sandbox.paypal.com/cgi-bin/webscr",
    ),
    PAYPAL_LIVE: (
        "https://www.paypal.com/cgi-bin/webscr",
        "https://ipnpb.paypal.com/cgi-bin/webscr",
    ),
}

paypal_modes = SimpleVocabulary(
    [
        SimpleTerm(PAYPAL_SANDBOX, title=_("Sandbox (test payments)")),
        SimpleTerm(PAYPAL_LIVE, title=_("Live")),
        SimpleTerm(PAYPAL_CUSTOM, title=_("Custom URLs (e.g. a simulator)")),
    ]
)


class IShopSettings(Interface):
    """Settings of the shop, edited in the control panel."""

    shop_name = schema.TextLine(title=_("Shop name"), default="", required=False)
    shop_email = schema.ASCIILine(
        title=_("Shop notification e-mail"),
        description=_("Where the shop is told about orders and payment problems."),
        default="",
        required=False,
    )
    notify_shop = schema.Bool(
        title=_("Copy order mails to the shop"),
        description=_(
            "Send the shop e-mail a New order mail for each order, and a copy "
            "of each mail about an order's state."
        ),
        default=True,
        required=False,
    )
    terms_url = schema.URI(
        title=_("Terms and conditions"),
        description=_("Link shown where customers accept the terms at checkout."),
        required=False,
    )
    default_currency = schema.Choice(
        title=_("Default currency"),
        description=_("ISO 4217 code given to new products."),
        vocabulary="getpaid.orders.currencies",
        default="EUR",
    )
    payment_providers = schema.List(
        title=_("Payment providers"),
        description=_(
            "The ways to pay the order page offers, in this order. A provider "
            "is offered for an order only when it is set up and takes the "
            "order's currency."
        ),
        value_type=schema.Choice(vocabulary="getpaid.orders.payment_providers"),
        default=["paypal_checkout"],
        required=False,
    )
    paypal_receiver_email = schema.ASCIILine(
        title=_("PayPal receiver e-mail"),
        description=_("The PayPal account that receives payments."),
        default="",
        required=False,
    )
    paypal_merchant_id = schema.ASCIILine(
        title=_("PayPal merchant id"),
        description=_(
            "The shop's PayPal account id: a payment PayPal says went to "
            "another account than this one or the receiver e-mail is never "
            "taken as paid."
        ),
        default="",
        required=False,
    )
    paypal_mode = schema.Choice(
        title=_("PayPal mode"), vocabulary=paypal_modes, default=PAYPAL_SANDBOX
    )
    paypal_payment_url = schema.URI(
        title=_("PayPal payment page URL"),
        description=_("Used in custom mode; sandbox and live use PayPal's own."),
        default=PAYPAL_URLS[PAYPAL_SANDBOX][0],
        required=False,
    )
    paypal_verify_url = schema.URI(
        title=_("PayPal IPN verification URL"),
        description=_("Used in custom mode; sandbox and live use PayPal's own."),
        default=PAYPAL_URLS[PAYPAL_SANDBOX][1],
        required=False,
    )
    paypal_client_id = schema.ASCIILine(
        title=_("PayPal Checkout client id"),
        description=_(
            "The client id of the shop's REST app at developer.paypal.com. "
            "Its secret is not kept here (see Set up PayPal Checkout)."
        ),
        default="",
        required=False,
    )
    paypal_webhook_id = schema.ASCIILine(
        title=_("PayPal Checkout webhook id"),
        description=_(
            "The id PayPal gave the webhook that points at this site's "
            "@@paypal-webhook; deliveries are verified against it."
        ),
        default="",
        required=False,
    )
    paypal_api_url = schema.URI(
        title=_("PayPal REST API URL"),
        description=_("Used in custom mode; sandbox and live use PayPal's own."),
        required=False,
    )
    paypal_pay_canceled_orders = schema.Bool(
        title=_("Accept late payments for canceled orders"),
        description=_(
            "When PayPal reports a completed payment for a canceled order, mark "
            "it paid (otherwise it is recorded and the shop alerted to refund)."
        ),
        default=False,
        required=False,
    )
    stripe_api_url = schema.URI(
        title=_("Stripe API URL"),
        description=_(
            "Empty: Stripe's own. Another address (a simulator) for tests and "
            "development. The secret key and the webhook signing secret are "
            "not kept here (see Set up Stripe)."
        ),
        required=False,
    )
    secret_link_days = schema.Int(
        title=_("Secret links expire after (days)"),
        description=_("0: links work until revoked."),
        default=0,
        min=0,
    )
    sweeper_key = schema.ASCIILine(
        title=_("Sweeper key"),
        description=_(
            "Secret for @@getpaid-sweep?key=… (timeouts and expiry run from a "
            "clock server or cron). Empty: the view is off."
        ),
        default="",
        required=False,
    )
    unpaid_timeout_minutes = schema.Int(
        title=_("Unpaid order timeout (minutes)"),
        description=_("Unpaid orders older than this move to Timeout."),
        default=60 * 24 * 3,
        min=1,
    )
    reminder_first_hours = schema.Int(
        title=_("First payment reminder (hours after the order)"),
        description=_(
            "An unpaid order's customer is reminded to pay this many hours "
            "after placing it. 0: no first reminder."
        ),
        default=24,
        min=0,
    )
    reminder_last_hours = schema.Int(
        title=_("Last payment reminder (hours before the timeout)"),
        description=_(
            "One last reminder this many hours before an unpaid order times "
            "out. 0: no last reminder."
        ),
        default=12,
        min=0,
    )
    retention_days = schema.Int(
        title=_("Keep customers' personal data for (days)"),
        description=_(
            "After an order is final (completed, canceled, timed out, expired "
            "or refunded), the sweeper anonymises it once this many days have "
            "passed: names, contact, addresses and messages are erased; what "
            "accounting needs is kept. 0: kept for ever."
        ),
        default=0,
        min=0,
    )
    erasure_hold_until = schema.Date(
        title=_("Legal hold: erase nothing before"),
        description=_(
            "While a tax audit or a lawsuit needs the orders as they are: until "
            "this day, no order is anonymised, neither by the sweeper nor by "
            "staff. Empty: no hold."
        ),
        required=False,
    )

    @invariant
    def custom_mode_has_urls(data):
        if data.paypal_mode == PAYPAL_CUSTOM and not (
            data.paypal_payment_url and data.paypal_verify_url
        ):
            raise Invalid(_("Custom PayPal mode needs both URLs."))


@implementer(IShopSettings)
@adapter(IPloneSiteRoot)
def site_settings(site):
    """``IShopSettings(site)``: the stored settings, read and written in place.

    Also what lets plone.restapi check the invariant above when a PATCH
    carries only some of the fields: the others are read from here.
    """
    return getUtility(IRegistry).forInterface(IShopSettings, prefix=REGISTRY_PREFIX)


def get_setting(name: str, default=None):
    """One shop setting; ``default`` where the add-on isn't installed."""
    value = api.portal.get_registry_record(f"{REGISTRY_PREFIX}.{name}", default=None)
    return default if value is None else value


def default_currency() -> str:
    return get_setting("default_currency", "EUR")


def paypal_urls() -> tuple[str, str]:
    """(payment page URL, IPN verification URL) for the configured mode."""
    mode = get_setting("paypal_mode", PAYPAL_SANDBOX)
    if mode in PAYPAL_URLS:
        return PAYPAL_URLS[mode]
    return get_setting("paypal_payment_url"), get_setting("paypal_verify_url")
