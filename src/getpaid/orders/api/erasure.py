"""Erasing a customer's personal data from an order (GDPR), keeping the books.

``anonymise`` empties what names or reaches the customer (names, e-mail,
phone, the street, postal code, city and region of both addresses, their
comment, the message to them, the text of staff's notes, share-link labels,
their member id, the values the history keeps of those fields and the
personal fields of the providers' raw messages) and keeps what tax law and
accounting need: the number, dates, lines as bought (snapshots), amounts,
currency, the billing and shipping country, payment records' ids, amounts
and states, and the history's transitions. Every secret link is revoked and
the buyer loses their access: nothing links a person to the order any more.
The order is reindexed, so the catalog, the listing, its search and the CSV
export no longer find it by what was erased.

The sweeper anonymises orders ``retention_days`` after they became final
(``FINAL_STATES``); staff one on request. Both are refused
(``ErasureRefused``) while the order is unpaid and open, needs a person,
or the shop's legal hold (``erasure_hold_until``) runs. docs/privacy.rst
says it for shop owners.
"""

from dataclasses import replace
from datetime import date
from datetime import datetime
from datetime import UTC
from getpaid.orders import _
from getpaid.orders.api.characters import refused_character
from getpaid.orders.api.history import add_history
from getpaid.orders.api.links import INDEX as LINK_INDEX
from getpaid.orders.api.raw_messages import scrub_raw
from getpaid.orders.content.order import ADDRESS_PARTS
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.exceptions import ErasureRefused
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.workflow import FINAL_STATES
from getpaid.orders.workflow import SOURCE_CUSTOMER
from getpaid.orders.workflow import SOURCE_SYSTEM
from getpaid.orders.workflow import STATES
from getpaid.orders.workflow import UNPAID_STATES
from plone import api


ANONYMISED = "anonymised"  # the history's action
MAX_REASON = 200  # characters
# Order fields that are the customer's personal data: emptied. The country
# of each address stays (VAT is decided by it).
ERASED_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    *(
        f"{prefix}_{part}"
        for prefix in ("billing", "shipping")
        for part in ADDRESS_PARTS
        if part != "country"
    ),
    "comment",
    "message",
)
# History actions whose old and new values are kept: transitions (states),
# and these, which record numbers, amounts and a provider's status. Any
# other action's values are erased, so a new kind of entry is safe by
# default.
VALUES_KEPT = frozenset(
    {"place", "refund", "partial refund", "payment pending", "payment problem"}
)


def reason_text(text) -> str:
    """Why an order is anonymised, as staff typed it; InvalidValue if it
    won't do. Kept in the history: it must not name the customer."""
    if not isinstance(text, str):
        raise InvalidValue(_("Say why the order is anonymised, as text."))
    text = " ".join(text.split())
    if len(text) > MAX_REASON:
        raise InvalidValue(
            _(
                "Say why in at most ${most} characters.",
                mapping={"most": MAX_REASON},
            )
        )
    if refused_character(text) is not None:
        raise InvalidValue(_("The reason can't contain that character."))
    return text


def held_until() -> date | None:
    """The day the shop's legal hold ends, if it still runs."""
    until = get_setting("erasure_hold_until", None)
    return until if until and datetime.now(UTC).date() < until else None


def refusal(order):
    """Why the order can't be anonymised now (a message), or None."""
    number = order.number
    if order.anonymised is not None:
        return _("Order ${number} is anonymised already.", mapping={"number": number})
    if api.content.get_state(order) in UNPAID_STATES:
        return _(
            "Order ${number} is unpaid and open: cancel it first, or let it time out.",
            mapping={"number": number},
        )
    if order.attention:
        return _(
            "Order ${number} needs a person: deal with its problem first.",
            mapping={"number": number},
        )
    until = held_until()
    if until is not None:
        return _(
            "The shop's legal hold keeps every order as it is until ${day}.",
            mapping={"day": until.isoformat()},
        )
    return None


def anonymise(order, *, source: str, reason: str) -> None:
    """Erase the customer's personal data from the order, once.

    ``source`` is who asked (staff, or the system for the retention
    period), ``reason`` why, in words without personal data: the history
    keeps both. ErasureRefused (changing nothing) when ``refusal`` says so.
    """
    why_not = refusal(order)
    if why_not is not None:
        raise ErasureRefused(why_not)
    reason = reason_text(reason)
    now = datetime.now(UTC)
    buyer = order.buyer_id
    for name in ERASED_FIELDS:
        setattr(order, name, "" if name in ("first_name", "last_name") else None)
    order.email = ""
    order.buyer_id = None
    if buyer:
        order.manage_delLocalRoles([buyer])
    order.creators = ()
    order.notes = tuple(replace(note, text="") for note in order.notes)
    order.secret_links = tuple(
        replace(link, label="", revoked=link.revoked or now)
        for link in order.secret_links
    )
    order.attention, order.attention_flags = "", ()
    order.history = tuple(_scrubbed(entry, buyer) for entry in order.history)
    for payment in order.payments():
        payment.raw = scrub_raw(payment.raw, payment.charset)
    entry = add_history(order, source=source, action=ANONYMISED, comment=reason)
    order.anonymised = entry.when
    order.reindexObject()  # every index and column, the link digests too
    order.reindexObject(idxs=[LINK_INDEX])
    order.reindexObjectSecurity()  # the buyer's access is gone


def _scrubbed(entry, buyer: str | None):
    """A history entry without the customer's data: who, when and what
    stay; the customer's id, free comments and the values of anything but
    transitions and VALUES_KEPT go (only the system's own words stay)."""
    transition = entry.old in STATES and entry.new in STATES
    kept = transition or entry.action in VALUES_KEPT
    if entry.action == "edit":
        kept = entry.field not in ERASED_FIELDS
    customer = entry.source == SOURCE_CUSTOMER or (buyer and entry.actor == buyer)
    return replace(
        entry,
        actor="" if customer else entry.actor,
        old=entry.old if kept else "",
        new=entry.new if kept else "",
        comment=entry.comment if entry.source == SOURCE_SYSTEM else "",
    )


def final_since(order) -> datetime | None:
    """When the order became final (its last transition into its final
    state), or None while it isn't final."""
    state = api.content.get_state(order)
    if state not in FINAL_STATES:
        return None
    for entry in reversed(order.history):
        if entry.new == state and entry.old in STATES:
            return entry.when
    return order.modified().asdatetime().astimezone(UTC)
