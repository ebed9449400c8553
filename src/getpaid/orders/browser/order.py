"""The order page: what was bought, where it stands, "Pay with PayPal".

Two ways in, one page:

- the order's own URL, for its buyer (a member) and shop staff, under
  normal Plone security (``OrderView``);
- ``@@order-status/<token>`` for whoever holds its secret link, with or
  without an account (``OrderStatusView``): the link opens that one order,
  for reading, paying and cancelling, and nothing else.

The page is rendered from plain values prepared here (``OrderPage``), so
the template never touches the order itself: the secret-link viewer has no
Plone permission on it.
"""

from getpaid.orders import _
from getpaid.orders import api as shop
from getpaid.orders.api.attention import flags_of
from getpaid.orders.api.links import OWNER
from getpaid.orders.api.links import STATUS
from getpaid.orders.browser.history import history_rows
from getpaid.orders.browser.payment import payments_of
from getpaid.orders.browser.privacy import set_no_store
from getpaid.orders.browser.privacy import set_privacy_headers
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import MailUnavailable
from getpaid.orders.exceptions import OrderNotFound
from getpaid.orders.exceptions import TooManyLinks
from getpaid.orders.exceptions import TransitionNotAllowed
from getpaid.orders.mail.sending import NO_MAIL
from getpaid.orders.money import money_text
from getpaid.orders.paypal.standard import payment_fields
from getpaid.orders.paypal.standard import payment_page_url
from getpaid.orders.vocabularies.iso import countries
from getpaid.orders.workflow import COMPLETE
from getpaid.orders.workflow import CREATED
from getpaid.orders.workflow import DELIVER
from getpaid.orders.workflow import SOURCE_CUSTOMER
from getpaid.orders.workflow import SOURCE_MANAGER
from getpaid.orders.workflow import UNPAID_STATES
from plone import api
from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

import transaction


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


class OrderPage:
    """The page's content for one order, seen from ``base_url``."""

    def __init__(
        self,
        order,
        base_url: str,
        *,
        may_pay: bool,
        may_cancel: bool,
        private: bool = True,
        manages_shares: bool = False,
    ):
        self.order = order
        self.base_url = base_url
        # False for a share (status-only) link: no prices, names or addresses.
        self.private = private
        self.manages_shares = manages_shares
        self.new_share_url = ""
        self.share_error = ""  # why a share link wasn't made
        self.may_reissue = False
        self.fulfilment = []
        self.payments = []  # for staff only, as the next three
        self.attention = []  # why the order needs a person, one reason each
        self.comment = ""  # the customer's, for those who handle the order
        self.history = []
        self.state = api.content.get_state(order)
        self.may_pay = may_pay and self.state in UNPAID_STATES
        self.may_cancel = may_cancel and self.state in UNPAID_STATES

    def notice(self, request) -> str:
        """What happens next: back from PayPal, waiting for it, or too late.

        Said to whoever pays: a share link's recipient sees the state only.
        """
        if not self.private:
            return ""
        if self.state in LATE_NOTICES:
            return LATE_NOTICES[self.state]
        if self.state not in UNPAID_STATES:
            return ""
        if self.order.payment_pending:
            return _(
                "PayPal reports your payment as pending (${reason}). This page "
                "will show the order as paid once PayPal confirms it.",
                mapping={"reason": self.order.payment_pending},
            )
        if self.back_from_paypal(request):
            return _(
                "Thank you! PayPal is confirming your payment; this page will "
                "show the order as paid once it has."
            )
        return ""

    def back_from_paypal(self, request) -> bool:
        """PayPal sent the buyer back after paying; its notification may lag."""
        return self.state == CREATED and request.form.get("paypal") == "return"

    def confirming(self, request) -> bool:
        """A payment is on its way: offering to pay (or cancel) again would
        invite a second payment."""
        return bool(self.order.payment_pending) or self.back_from_paypal(request)

    @property
    def number(self) -> str:
        return self.order.number

    @property
    def state_title(self) -> str:
        workflow = api.portal.get_tool("portal_workflow")
        return workflow.getTitleForStateOnType(self.state, "Order")

    def money(self, amount) -> str:
        return money_text(amount, self.order.currency)

    def lines(self) -> list[dict]:
        return [
            {
                "name": line.snapshot.display_name,
                "detail": line.snapshot.detail,
                "image_url": (
                    f"{self.base_url}/image/{index}" if line.snapshot.image else ""
                ),
                "unit_price": self.money(line.snapshot.unit_price),
                "quantity": line.quantity,
                "total": self.money(line.total),
            }
            for index, line in enumerate(self.order.lines)
        ]

    def share_links(self) -> list[dict]:
        """The order's active share links: when made, and how to revoke them."""
        return [
            {
                "index": index,
                "label": link.label,
                "created": api.portal.get_localized_time(
                    link.created, long_format=True
                ),
            }
            for index, link in enumerate(self.order.secret_links)
            if link.active and link.kind == STATUS
        ]

    @property
    def total(self) -> str:
        return self.money(self.order.total)

    @property
    def message(self) -> str:
        return self.order.message or ""

    def address(self, prefix: str, country_name: bool = False) -> list[str]:
        """The address as lines; the country as its code (for the API) or,
        on the page, by name."""
        order = self.order

        def part(name):
            return getattr(order, f"{prefix}_{name}", None) or ""

        if not part("street"):
            return []
        city = " ".join(filter(None, (part("postal_code"), part("city"))))
        country = part("country")
        if country_name and country in countries().by_value:
            country = countries().by_value[country].title
        return [
            line for line in (part("street"), city, part("region"), country) if line
        ]

    @property
    def customer(self) -> str:
        return f"{self.order.first_name} {self.order.last_name}"

    @property
    def email(self) -> str:
        return self.order.email

    @property
    def paypal_action(self) -> str:
        return payment_page_url()

    def paypal_fields(self) -> list[tuple[str, str]]:
        portal_url = api.portal.get().absolute_url()
        return payment_fields(
            self.order,
            notify_url=f"{portal_url}/@@paypal-ipn",
            return_url=f"{self.base_url}?paypal=return",
            cancel_url=self.base_url,
        )

    def image(self, index: str, response):
        """The snapshot image of line ``index``, or NotFound."""
        lines = self.order.lines
        if not index.isdigit() or int(index) >= len(lines):
            raise NotFound(index)
        image = lines[int(index)].snapshot.image
        if image is None:
            raise NotFound(index)
        set_headers(image, response)
        response.setHeader("Cache-Control", "private, max-age=3600")
        return stream_data(image)


page_template = ViewPageTemplateFile("templates/order.pt")


class OrderView(BrowserView):
    """The order's own page, under normal security (buyer and staff)."""

    def __call__(self):
        set_no_store(self.request.response)
        may_cancel = api.user.has_permission(
            "getpaid.orders: Cancel order", obj=self.context
        )
        self.page = OrderPage(
            self.context,
            self.context.absolute_url(),
            may_pay=self._is_buyer(),
            may_cancel=may_cancel,
        )
        self.page.may_reissue = api.user.has_permission(
            "getpaid.orders: Manage orders", obj=self.context
        )
        self.page.manages_shares = self._is_buyer()
        if self.page.may_reissue:
            self.page.payments = payments_of(self.context)
            self.page.attention = [flag.reason for flag in flags_of(self.context)]
            self.page.comment = self.context.comment or ""
            self.page.history = history_rows(self.context, self.request)
            allowed = shop.allowed_transitions(self.context, SOURCE_MANAGER)
            self.page.fulfilment = [
                {"id": t, "title": title}
                for t, title in FULFILMENT.items()
                if t in allowed
            ]
        self.page.new_share_url = getattr(self, "new_share_url", "")
        self.page.share_error = getattr(self, "share_error", "")
        return page_template(self)

    def _is_buyer(self) -> bool:
        user = api.user.get_current()
        return bool(self.context.buyer_id) and user.getId() == self.context.buyer_id


@implementer(IPublishTraverse)
class LineImage(BrowserView):
    """``<order>/image/<index>``: a line's snapshot image, under normal security."""

    index = ""

    def publishTraverse(self, request, name):
        self.index = name
        return self

    def __call__(self):
        page = OrderPage(self.context, "", may_pay=False, may_cancel=False)
        return page.image(self.index, self.request.response)


def make_share_link(order, request) -> tuple[str, str]:
    """(a new share link's URL, "") labelled as the buyer typed, or ("", why
    the label won't do, or the order has all the share links it may have).
    The URL is shown once, in this answer: it is stored nowhere."""
    try:
        token = shop.create_link(order, STATUS, label=request.form.get("label", ""))
    except (InvalidValue, TooManyLinks) as error:
        return "", error.translated(request)
    return f"{api.portal.get().absolute_url()}/@@order-status/{token}", ""


def revoke_share(order, index: str) -> bool:
    return index.isdigit() and shop.revoke_share_link(order, int(index))


@implementer(IPublishTraverse)
class BuyerShares(BrowserView):
    """POST ``<order>/share`` and ``<order>/unshare/<n>``: the buying member's
    share links, as the owner link's page offers them."""

    index = ""

    def publishTraverse(self, request, name):
        self.index = name
        return self

    def __call__(self):
        order = self.context
        user = api.user.get_current()
        if self.request.method != "POST" or user.getId() != order.buyer_id:
            raise NotFound(self.__name__)
        CheckAuthenticator(self.request)
        if self.__name__ == "share":
            view = OrderView(order, self.request)
            view.new_share_url, view.share_error = make_share_link(order, self.request)
            return view()
        revoke_share(order, self.index)
        return self.request.response.redirect(order.absolute_url())


# Button labels of the fulfilment steps (getpaid.orders.workflow.FULFILMENT).
FULFILMENT = {DELIVER: _("Mark delivered"), COMPLETE: _("Mark completed")}


class Fulfil(BrowserView):
    """POST ``<order>/fulfil``: staff deliver or complete, with a message.

    The message (a tracking number, say) replaces the order's message to
    the customer, shown on the order page and to share links.
    """

    def __call__(self):
        if self.request.method != "POST":
            raise NotFound("fulfil")
        CheckAuthenticator(self.request)
        order = self.context
        transition = self.request.form.get("transition")
        message = (self.request.form.get("message") or "").strip()
        if transition not in FULFILMENT:
            raise NotFound("fulfil")
        try:
            shop.fulfil(order, transition, message=message)
        except TransitionNotAllowed:
            api.portal.show_message(
                _(
                    "Order ${number} is ${state}: that step isn't possible now.",
                    mapping={
                        "number": order.number,
                        "state": api.content.get_state(order),
                    },
                ),
                request=self.request,
                type="error",
            )
        except GetpaidError as error:  # e.g. a message longer than allowed
            transaction.abort()  # none of the step, not half of it
            api.portal.show_message(
                error.translated(self.request), request=self.request, type="error"
            )
        else:
            api.portal.show_message(
                _("Order ${number} updated.", mapping={"number": order.number}),
                request=self.request,
            )
        return self.request.response.redirect(order.absolute_url())


class ReissueLinks(BrowserView):
    """POST ``<order>/reissue-links``: staff replace every secret link.

    For a link that leaked: the old ones open nothing any more, and the
    customer gets the new owner link by mail.
    """

    def __call__(self):
        if self.request.method != "POST":
            raise NotFound("reissue-links")
        CheckAuthenticator(self.request)
        try:
            shop.reissue_links(self.context)
        except MailUnavailable:  # the customer would lose the order for good
            for message in (
                _("The links were kept: the customer could not get a new one."),
                NO_MAIL,
            ):
                api.portal.show_message(message, request=self.request, type="error")
            return self.request.response.redirect(self.context.absolute_url())
        api.portal.show_message(
            _("The order's links were replaced; the customer gets the new one."),
            request=self.request,
        )
        return self.request.response.redirect(self.context.absolute_url())


class CancelOrder(BrowserView):
    """POST ``<order>/cancel``: the buyer or staff cancels while unpaid."""

    def __call__(self):
        if self.request.method != "POST":
            raise NotFound("cancel")
        CheckAuthenticator(self.request)
        is_buyer = api.user.get_current().getId() == self.context.buyer_id
        source = SOURCE_CUSTOMER if is_buyer else SOURCE_MANAGER
        _cancel(self.context, source, self.request)
        return self.request.response.redirect(self.context.absolute_url())


def _cancel(order, source, request):
    try:
        shop.cancel_order(order, source=source)
    except TransitionNotAllowed as error:
        api.portal.show_message(
            error.translated(request), request=request, type="error"
        )
    else:
        message = _(
            "Your order ${number} has been canceled.", mapping={"number": order.number}
        )
        api.portal.show_message(message, request=request)


@implementer(IPublishTraverse)
class OrderStatusView(BrowserView):
    """``@@order-status/<token>[/...]``: the order its secret link opens.

    An owner link shows the whole order and may pay, cancel and share; a
    share link shows its status only. GET writes nothing.
    """

    def __init__(self, context, request):
        super().__init__(context, request)
        self.subpath = []

    def publishTraverse(self, request, name):
        self.subpath.append(name)
        return self

    link_gone_template = ViewPageTemplateFile("templates/link_gone.pt")

    def link_gone(self) -> str:
        """A 404 that says what may have happened and where to get a new link.

        The same for every token that opens nothing: unknown, revoked or
        expired can't be told apart. (Plone's own 404 page can't render for
        a view's NotFound, and shows a bare error.)
        """
        self.request.response.setStatus(404)
        return self.link_gone_template()

    def __call__(self):
        set_privacy_headers(self.request.response)
        if not self.subpath:
            raise NotFound("order-status")
        token, *rest = self.subpath
        try:
            order, link = shop.find_by_token(token)
        except OrderNotFound:
            return self.link_gone()
        owner = link.kind == OWNER
        self.order, self.owner = order, owner
        self.base_url = f"{api.portal.get().absolute_url()}/@@order-status/{token}"
        self.page = OrderPage(
            order,
            self.base_url,
            may_pay=owner,
            may_cancel=owner,
            private=owner,
            manages_shares=owner,
        )
        if rest == []:
            return page_template(self)
        if len(rest) == 2 and rest[0] == "image":
            return self.page.image(rest[1], self.request.response)
        if owner and self.request.method == "POST":
            return self.owner_action(rest)
        raise NotFound("order-status")

    def owner_action(self, rest: list[str]):
        CheckAuthenticator(self.request)
        # The owner link stands for the order's owner.
        if rest == ["cancel"]:
            with api.env.adopt_roles(["Owner"]):
                _cancel(self.order, SOURCE_CUSTOMER, self.request)
            return self.request.response.redirect(self.base_url)
        if rest == ["share"]:
            made = make_share_link(self.order, self.request)
            self.page.new_share_url, self.page.share_error = made
            return page_template(self)
        if len(rest) == 2 and rest[0] == "unshare":
            if revoke_share(self.order, rest[1]):
                api.portal.show_message(
                    _("The share link no longer opens anything."),
                    request=self.request,
                )
            return self.request.response.redirect(self.base_url)
        raise NotFound("order-status")
