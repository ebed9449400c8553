"""What can be done from an order's page, as POSTs.

Each action asks api/access.py whether this viewer may, and the domain
verbs do it; the workflow refuses what it doesn't allow. The same actions
serve the order's own URL (its buyer and staff) and its owner link
(``@@order-status/<token>/cancel``, ``/share``, ``/unshare/<n>``, routed by
browser/order_view.py).
"""

from getpaid.orders import _
from getpaid.orders import api as shop
from getpaid.orders.api.access import acting_as
from getpaid.orders.api.access import current_access
from getpaid.orders.api.attention import clear_attention
from getpaid.orders.api.links import link_url
from getpaid.orders.api.links import STATUS
from getpaid.orders.api.notes import add_note
from getpaid.orders.api.reminders import send_reminder
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import MailUnavailable
from getpaid.orders.exceptions import OrderAnonymised
from getpaid.orders.exceptions import TooManyLinks
from getpaid.orders.exceptions import TransitionNotAllowed
from getpaid.orders.mail.sending import can_mail
from getpaid.orders.mail.sending import NO_MAIL
from getpaid.orders.presentation.order_page import FULFILMENT
from getpaid.orders.transactions import give_up
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import NotFound
from zope.component import getMultiAdapter
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


def say(request, message, error: bool = False) -> None:
    api.portal.show_message(message, request=request, type="error" if error else "info")


def cancel(order, seen, request) -> None:
    """Cancel as ``seen`` (an owner link as the order's Owner)."""
    try:
        with acting_as(seen):
            shop.cancel_order(order, source=seen.source)
    except TransitionNotAllowed as error:
        say(request, error.translated(request), error=True)
    else:
        say(
            request,
            _(
                "Your order ${number} has been canceled.",
                mapping={"number": order.number},
            ),
        )


def share(order, request) -> tuple[str, str]:
    """(a new share link's URL, "") labelled as the buyer typed, or ("", why
    the label won't do, or the order has all the share links it may have).
    The URL is shown once, in this answer: it is stored nowhere."""
    try:
        token = shop.create_link(order, STATUS, label=request.form.get("label", ""))
    except (InvalidValue, TooManyLinks) as error:
        return "", error.translated(request)
    return link_url(token), ""


def unshare(order, index: str, request) -> None:
    if index.isdigit() and shop.revoke_share_link(order, int(index)):
        say(request, _("The share link no longer opens anything."))


class OrderAction(BrowserView):
    """A POST to ``<order>/<action>``, CSRF-checked, for whom access allows."""

    def __call__(self):
        if self.request.method != "POST":
            raise NotFound(self.__name__)
        CheckAuthenticator(self.request)
        seen = current_access(self.context)
        answer = self.act(self.context, seen)
        return answer or self.request.response.redirect(self.context.absolute_url())

    def act(self, order, seen):
        raise NotImplementedError


class CancelOrder(OrderAction):
    """POST ``<order>/cancel``: the buyer or staff, as the workflow allows."""

    def act(self, order, seen):
        cancel(order, seen, self.request)


@implementer(IPublishTraverse)
class BuyerShares(OrderAction):
    """POST ``<order>/share`` and ``<order>/unshare/<n>``: the buying member's
    share links, as the owner link's page offers them."""

    index = ""

    def publishTraverse(self, request, name):
        self.index = name
        return self

    def act(self, order, seen):
        if not seen.may_share:
            raise NotFound(self.__name__)
        if self.__name__ == "share":
            page = getMultiAdapter((order, self.request), name="view")
            return page(share=share(order, self.request))
        unshare(order, self.index, self.request)


class Fulfil(OrderAction):
    """POST ``<order>/fulfil``: staff deliver or complete, with a message.

    The message (a tracking number, say) replaces the order's message to
    the customer, shown on the order page and to share links.
    """

    def act(self, order, seen):
        transition = self.request.form.get("transition")
        message = (self.request.form.get("message") or "").strip()
        if transition not in FULFILMENT:
            raise NotFound("fulfil")
        try:
            shop.fulfil(order, transition, message=message)
        except TransitionNotAllowed:
            say(
                self.request,
                _(
                    "Order ${number} is ${state}: that step isn't possible now.",
                    mapping={
                        "number": order.number,
                        "state": api.content.get_state(order),
                    },
                ),
                error=True,
            )
        except GetpaidError as error:  # e.g. a message longer than allowed
            give_up()  # none of the step, not half of it
            say(self.request, error.translated(self.request), error=True)
        else:
            say(
                self.request,
                _("Order ${number} updated.", mapping={"number": order.number}),
            )


class AddNote(OrderAction):
    """POST ``<order>/add-note``: staff add a note, ``for_customer`` (shown
    on the customer's page and mailed to them) or internal. A note that
    won't do is shown again with why, and nothing is kept."""

    def act(self, order, seen):
        text = self.request.form.get("text", "")
        for_customer = bool(self.request.form.get("for_customer"))
        try:
            add_note(order, text, for_customer=for_customer)
        except InvalidValue as error:
            give_up()
            page = getMultiAdapter((order, self.request), name="view")
            return page(note_error=error.translated(self.request))
        if not for_customer:
            say(self.request, _("Internal note added."))
        elif can_mail():
            say(self.request, _("Note added; the customer gets it by e-mail."))
        else:
            say(self.request, _("Note added to the customer's page."))
            say(self.request, NO_MAIL, error=True)


class ReissueLinks(OrderAction):
    """POST ``<order>/reissue-links``: staff replace every secret link.

    For a link that leaked: the old ones open nothing any more, and the
    customer gets the new owner link by mail.
    """

    def act(self, order, seen):
        try:
            shop.reissue_links(order)
        except OrderAnonymised as error:
            give_up()
            say(self.request, error.translated(self.request), error=True)
            return
        except MailUnavailable:  # the customer would lose the order for good
            say(
                self.request,
                _("The links were kept: the customer could not get a new one."),
                error=True,
            )
            say(self.request, NO_MAIL, error=True)
            return
        say(
            self.request,
            _("The order's links were replaced; the customer gets the new one."),
        )


class SendReminder(OrderAction):
    """POST ``<order>/send-reminder``: staff remind the customer to pay, with
    a new link to the order's page (api/reminders.py)."""

    def act(self, order, seen):
        try:
            send_reminder(order)
        except GetpaidError as error:  # not awaiting payment; no mail
            give_up()
            say(self.request, error.translated(self.request), error=True)
            return
        say(self.request, _("The customer gets a reminder to pay by e-mail."))


class ClearAttention(OrderAction):
    """POST ``<order>/clear-attention``: staff dealt with the order's problem."""

    def act(self, order, seen):
        if order.attention:
            clear_attention(
                order,
                source=SOURCE_MANAGER,
                action="attention cleared",
                comment=str(self.request.form.get("comment", ""))[:2000],
            )
            say(self.request, _("Marked as dealt with."))
