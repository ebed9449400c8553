"""Orders staff take for a customer: by phone, by e-mail, at the counter.

The same checkout as a customer's (api/checkout.py): the same checks,
snapshots, number and owner link, and the same confirmation with that link
to pay, mailed to the customer in the language staff chose for them. The
history says the shop placed it, and which staff member did.
"""

from getpaid.orders import _
from getpaid.orders.api.checkout import checkout
from getpaid.orders.api.checkout import Placed
from getpaid.orders.api.customer import Customer
from getpaid.orders.exceptions import InvalidCustomer
from getpaid.orders.language import site_languages
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api


def enter_order(
    items,
    customer: Customer,
    *,
    language: str = "",
    buyer_id: str | None = None,
    comment: str = "",
    key: str | None = None,
    browser_secret: str | None = None,
) -> Placed:
    """Place an order for ``customer`` as shop staff; return it and its
    owner link, which the confirmation mails to the customer.

    ``language`` is one of the site's languages (site_languages; "": the
    site's default); ``buyer_id`` an existing member the order then belongs
    to, or none: the customer reaches it by its link. ``key`` (and
    ``browser_secret`` for a form's key) make a repeated request find its
    order, as a checkout's do.
    """
    language = check_language(language)
    if buyer_id and api.user.get(userid=buyer_id) is None:
        raise InvalidCustomer(
            _("There is no member ${member}.", mapping={"member": repr(buyer_id)}),
            field="buyer_id",
        )
    return checkout(
        items,
        customer,
        buyer_id=buyer_id or None,
        comment=comment,
        key=key,
        browser_secret=browser_secret,
        source=SOURCE_MANAGER,
        language=language,
    )


def check_language(language) -> str:
    """One of the site's languages ("" or None: the site's default)."""
    languages = site_languages()
    if not language:
        return languages[0]
    if not isinstance(language, str) or language not in languages:
        raise InvalidCustomer(
            _(
                "${language} is not one of the shop's languages (${languages}).",
                mapping={
                    "language": repr(language),
                    "languages": ", ".join(languages),
                },
            ),
            field="language",
        )
    return language
