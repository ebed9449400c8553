"""Who looks at an order, and what they may see and do: decided here, once.

Four kinds of viewer reach an order:

- shop **staff** (``Manage orders`` on it), through the back office;
- its **buyer**, the member who placed it, under normal Plone security;
- whoever holds its **owner link**, account or not: they stand for the
  order's owner;
- whoever holds a **share link**: its progress, nothing else.

What a viewer may *do* is the workflow's word: the transitions it may fire
on the order now (an owner link fires them as the order's Owner). Paying is
the payment provider's transition, not the customer's, so the customer is
invited to pay while the order waits for its money (``UNPAID_STATES``, the
states the workflow can still time out) and no payment is on its way.
Pages, plone.restapi and the mails render what ``access`` decides; none of
them decides it again.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from getpaid.orders.api.links import OWNER
from getpaid.orders.permissions import ManageOrders
from getpaid.orders.workflow import CANCEL
from getpaid.orders.workflow import FULFILMENT
from getpaid.orders.workflow import SOURCE_CUSTOMER
from getpaid.orders.workflow import SOURCE_MANAGER
from getpaid.orders.workflow import UNPAID_STATES
from plone import api


STAFF = "staff"
BUYER = "buyer"
OWNER_LINK = "owner link"
SHARE_LINK = "share link"
VIEWERS = (STAFF, BUYER, OWNER_LINK, SHARE_LINK)


@dataclass(frozen=True)
class Access:
    """What one viewer sees of an order and may do with it, now."""

    viewer: str
    # The buying member is looking (also when they are staff).
    buyer: bool
    # The workflow transitions this viewer may fire now.
    transitions: tuple[str, ...]
    # The order waits for its money, and none is on its way.
    payable: bool

    @property
    def private(self) -> bool:
        """Prices, names, contact and addresses: not for a share link."""
        return self.viewer != SHARE_LINK

    @property
    def internal(self) -> bool:
        """Payments, history, the attention note, the customer's comment,
        internal notes."""
        return self.viewer == STAFF

    @property
    def for_customer(self) -> bool:
        """The one who pays: the buyer or the holder of the owner link."""
        return self.buyer or self.viewer == OWNER_LINK

    @property
    def reads_notes(self) -> bool:
        """Staff's notes: staff read all, the customer those for them, a
        share link none (``reads_note`` says which)."""
        return self.internal or self.for_customer

    def reads_note(self, note) -> bool:
        """Whether this viewer reads ``note`` (content/note.py)."""
        return self.internal or (self.for_customer and note.for_customer)

    @property
    def may_pay(self) -> bool:
        return self.for_customer and self.payable

    @property
    def may_cancel(self) -> bool:
        return CANCEL in self.transitions

    @property
    def may_share(self) -> bool:
        return self.for_customer

    @property
    def may_manage(self) -> bool:
        """Edit the order, replace its links, deal with a payment problem,
        add notes."""
        return self.viewer == STAFF

    @property
    def fulfilment(self) -> tuple[str, ...]:
        return tuple(t for t in FULFILMENT if t in self.transitions)

    @property
    def source(self) -> str:
        """Who this viewer is in the order's history."""
        return SOURCE_MANAGER if self.viewer == STAFF else SOURCE_CUSTOMER


def is_staff(order) -> bool:
    return bool(api.user.has_permission(ManageOrders, obj=order))


def is_buyer(order) -> bool:
    user = api.user.get_current()
    return bool(order.buyer_id) and user.getId() == order.buyer_id


def viewer_of(order, link=None) -> str | None:
    """The kind of viewer looking now: through ``link`` (a SecretLink that
    opened the order), or as the logged-in user; None for anybody else."""
    if link is not None:
        return OWNER_LINK if link.kind == OWNER else SHARE_LINK
    if is_staff(order):
        return STAFF
    if is_buyer(order):
        return BUYER
    return None


def acting_as(seen: Access):
    """A context in which to act as ``seen`` (cancel, say)."""
    return _as(seen.viewer)


def _as(viewer: str):
    # An owner link stands for the order's owner, who may be nobody's
    # account: the workflow is asked, and fired, as that role.
    return api.env.adopt_roles(["Owner"]) if viewer == OWNER_LINK else nullcontext()


def current_access(order) -> Access:
    """What the logged-in user may see and do on the order: as staff, as its
    buyer, or, for anyone else Plone lets see it, no more than a share link."""
    return access(order, viewer_of(order) or SHARE_LINK)


def access(order, viewer: str) -> Access:
    """What ``viewer`` (one of VIEWERS, as viewer_of says) sees and may do."""
    if viewer not in VIEWERS:
        raise ValueError(f"Unknown viewer {viewer!r}; one of {VIEWERS}.")
    if viewer == SHARE_LINK:
        transitions = ()
    else:
        with _as(viewer):
            workflow = api.portal.get_tool("portal_workflow")
            transitions = tuple(t["id"] for t in workflow.getTransitionsFor(order))
    return Access(
        viewer=viewer,
        buyer=viewer == BUYER or (viewer == STAFF and is_buyer(order)),
        transitions=transitions,
        payable=(
            api.content.get_state(order) in UNPAID_STATES and not order.payment_pending
        ),
    )
