"""What the order page shows one viewer, written out for people.

It renders what the domain decided (api/access.py: what this viewer sees and
may do) from the order's projection (api/projection.py), so the template
never touches the order itself: a secret link's holder has no Plone
permission on it. Money is written as the reader's language writes it,
countries by name.
"""

from DateTime import DateTime
from decimal import Decimal
from functools import cached_property
from getpaid.orders import _
from getpaid.orders.api.access import Access
from getpaid.orders.api.attention import flags_of
from getpaid.orders.api.projection import order_data
from getpaid.orders.api.reminders import reminder_count
from getpaid.orders.api.reminders import why_not_remindable
from getpaid.orders.content.order import full_name
from getpaid.orders.money import money_text
from getpaid.orders.payments.interfaces import RETURN_CONFIRMING
from getpaid.orders.payments.interfaces import RETURN_DECLINED
from getpaid.orders.payments.interfaces import RETURN_PAID
from getpaid.orders.payments.interfaces import RETURN_PENDING
from getpaid.orders.presentation.dates import date_formatter
from getpaid.orders.presentation.history import history_rows
from getpaid.orders.presentation.payments import payment_rows
from getpaid.orders.vocabularies.iso import countries
from getpaid.orders.workflow import COMPLETE
from getpaid.orders.workflow import CREATED
from getpaid.orders.workflow import DELIVER
from getpaid.orders.workflow import UNPAID_STATES
from plone import api
from zope.component import getMultiAdapter


PAID_NOTICE = _("Thank you! Your payment is complete.")
LATE_NOTICES = {
    "timeout": _(
        "This order was not paid in time and will not be shipped. If you paid "
        "it after all, the shop will confirm it or refund you."
    ),
    "canceled": _(
        "This order has been canceled. A payment that still arrives for it "
        "will be refunded."
    ),
}

# Button labels of the fulfilment steps (getpaid.orders.workflow.FULFILMENT).
FULFILMENT = {DELIVER: _("Mark delivered"), COMPLETE: _("Mark completed")}


class OrderPage:
    """The page's content for one order, as ``seen`` may see it, from
    ``base_url`` (the order's own URL, or its secret link's)."""

    def __init__(self, order, seen: Access, base_url: str, request):
        self.order, self.seen = order, seen
        self.base_url, self.request = base_url, request
        self.data = order_data(order, seen, base_url=base_url)
        self.new_share_url = ""  # shown once, right after it was made
        self.share_error = ""  # why a share link wasn't made
        self.note_error = ""  # why staff's note wasn't added

    # What the viewer sees (access decides)

    @property
    def private(self) -> bool:
        """Prices, names and addresses; not for a share link."""
        return self.seen.private

    @property
    def may_manage(self) -> bool:
        return self.seen.may_manage

    @property
    def may_remind(self) -> bool:
        """Staff may remind the customer to pay (api/reminders.py)."""
        return self.seen.may_manage and not why_not_remindable(self.order)

    @property
    def reminded(self) -> int:
        return reminder_count(self.order)

    @property
    def manages_shares(self) -> bool:
        return self.seen.may_share

    @property
    def may_pay(self) -> bool:
        return self.seen.may_pay and not self.confirming

    @property
    def may_cancel(self) -> bool:
        # While a payment is on its way, cancelling would race it.
        return self.seen.may_cancel and not self.confirming

    @property
    def fulfilment(self) -> list[dict]:
        return [{"id": t, "title": FULFILMENT[t]} for t in self.seen.fulfilment]

    # What happens next

    @property
    def state(self) -> str:
        return self.data["state"]

    def notice(self) -> str:
        """What became of a payment, or why it is too late: said to whoever
        pays, not to a share link's holder."""
        if not self.private:
            return ""
        if self.state in LATE_NOTICES:
            return LATE_NOTICES[self.state]
        if self.state not in UNPAID_STATES:
            return PAID_NOTICE if self.returned == RETURN_PAID else ""
        if self.order.payment_pending:
            return _(
                "Your payment is pending at the payment provider (${reason}). "
                "This page will show the order as paid once it is confirmed.",
                mapping={"reason": self.order.payment_pending},
            )
        if self.returned == RETURN_DECLINED:
            return _(
                "The payment was declined. Please choose another way to pay, "
                "or try again."
            )
        if self.back_from_paying:
            return _(
                "Thank you! Your payment is being confirmed; this page will "
                "show the order as paid once it is."
            )
        return ""

    @property
    def returned(self) -> str:
        """What the payer's return from a provider found (browser/paying.py)."""
        if self.request.form.get("paypal") == "return":  # Standard, before
            return RETURN_CONFIRMING
        return str(self.request.form.get("payment", ""))

    @property
    def back_from_paying(self) -> bool:
        """The payer came back from paying; the provider's word may lag."""
        return self.state == CREATED and self.returned in (
            RETURN_CONFIRMING,
            RETURN_PENDING,
        )

    @property
    def confirming(self) -> bool:
        """A payment is on its way: offering to pay (or cancel) again would
        invite a second payment."""
        return bool(self.order.payment_pending) or self.back_from_paying

    # The order

    @property
    def number(self) -> str:
        return self.data["order_number"]

    @property
    def state_title(self) -> str:
        return self.data["state_title"]

    @property
    def message(self) -> str:
        return self.data["message"]

    def money(self, amount: str) -> str:
        return money_text(amount, self.data["currency"])

    def lines(self) -> list[dict]:
        return [
            {
                "name": line["display_name"],
                "detail": line["detail"],
                "image_url": line["image"] or "",
                "quantity": line["quantity"],
                **(
                    {
                        "unit_price": self.money(line["unit_price"]),
                        "total": self.money(line["total"]),
                    }
                    if self.private
                    else {}
                ),
            }
            for line in self.data["lines"]
        ]

    @property
    def total(self) -> str:
        return self.money(self.data["total"])

    # Refunds: how much, to whoever may see prices (api/refunds.py)

    @property
    def refunded(self) -> str:
        """The amount refunded so far, written out; "" for none."""
        if not self.private or Decimal(self.data["refunded"]) <= 0:
            return ""
        return self.money(self.data["refunded"])

    @property
    def remaining(self) -> str:
        """What the customer paid and was not refunded, written out."""
        return self.money(self.data["remaining"]) if self.refunded else ""

    @cached_property
    def refund(self) -> dict | None:
        """Staff's refund form (``possible``), or why there is none
        (``why_not``); None when nothing was paid."""
        found = self.data.get("refund") if self.seen.internal else None
        if not found:
            return None
        return {
            **found,
            "most_text": self.money(found["most"]),
            "action": f"{self.base_url}/@@refund",
        }

    @property
    def customer(self) -> str:
        who = self.data["customer"]
        return full_name(who["first_name"], who["last_name"])

    @property
    def email(self) -> str:
        return self.data["customer"]["email"]

    def address(self, kind: str) -> list[str]:
        """The billing or shipping address as lines, the country by name."""
        address = self.data["customer"][f"{kind}_address"]
        if not address:
            return []
        city = " ".join(filter(None, (address["postal_code"], address["city"])))
        country = address["country"]
        if country in countries().by_value:
            country = countries().by_value[country].title
        lines = (address["street"], city, address["region"], country)
        return [line for line in lines if line]

    def share_links(self) -> list[dict]:
        """The order's active share links: when made, and how to revoke them."""
        return [
            {
                **link,
                "created": api.portal.get_localized_time(
                    DateTime(link["created"]), long_format=True
                ),
            }
            for link in self.data.get("share_links", [])
        ]

    # Staff's notes (api/access.py says which this viewer reads)

    @cached_property
    def notes(self) -> list[dict]:
        """The notes this viewer reads, oldest first; for staff with who
        wrote each and for whom (``internal``)."""
        when = date_formatter()
        return [
            {
                "when": when(DateTime(note["when"])),
                "text": note["text"],
                "author": note.get("author", ""),
                "internal": self.seen.internal and not note["for_customer"],
            }
            for note in self.data.get("notes", [])
        ]

    # For staff only

    @property
    def comment(self) -> str:
        return self.data["customer"]["comment"] if self.seen.internal else ""

    @cached_property
    def attention(self) -> list[str]:
        """Why the order needs a person, one reason each."""
        if not self.seen.internal:
            return []
        return [flag.reason for flag in flags_of(self.order)]

    @cached_property
    def payments(self) -> list[dict]:
        return payment_rows(self.order) if self.seen.internal else []

    @cached_property
    def history(self) -> list[dict]:
        return history_rows(self.order, self.request) if self.seen.internal else []

    # Paying: one form per provider that can take the order (api/paying.py)

    def payment_choices(self) -> list[dict]:
        """The "Pay" buttons; those posting to this site carry its CSRF token."""
        if not self.may_pay:
            return []
        token = getMultiAdapter((self.order, self.request), name="authenticator")
        site = api.portal.get().absolute_url()
        choices = []
        for choice in self.data["payment_choices"]:
            fields = [tuple(field) for field in choice["fields"]]
            if choice["action"].startswith(site + "/"):
                fields.append(("_authenticator", token.token()))
            choices.append({**choice, "fields": fields})
        return choices
