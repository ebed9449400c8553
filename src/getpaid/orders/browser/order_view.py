"""The order page: what was bought, where it stands, "Pay with PayPal".

Two ways in, one page:

- the order's own URL, for its buyer (a member) and shop staff, under
  normal Plone security (``OrderView``);
- ``@@order-status/<token>`` for whoever holds its secret link, with or
  without an account (``OrderStatusView``): the link opens that one order,
  for reading, paying, cancelling and sharing as its kind allows, and
  nothing else.

Who sees and may do what is api/access.py's decision; the page
(presentation/order_page.py) writes it out, and the actions
(browser/order_actions.py) carry it out.
"""

from getpaid.orders import api as shop
from getpaid.orders.api.access import access
from getpaid.orders.api.access import current_access
from getpaid.orders.api.access import viewer_of
from getpaid.orders.api.links import link_url
from getpaid.orders.browser.order_actions import cancel
from getpaid.orders.browser.order_actions import share
from getpaid.orders.browser.order_actions import unshare
from getpaid.orders.browser.paying import come_back
from getpaid.orders.browser.paying import pay
from getpaid.orders.exceptions import OrderNotFound
from getpaid.orders.presentation.order_page import OrderPage
from getpaid.orders.privacy import set_no_store
from getpaid.orders.privacy import set_privacy_headers
from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


page_template = ViewPageTemplateFile("templates/order.pt")


def render_page(view, order, seen, base_url, *, share=("", ""), note_error=""):
    """The order page for ``view``, as ``seen`` may see it; ``share`` is a
    share link just made (its URL, shown once) or why none was made;
    ``note_error`` why staff's note wasn't added."""
    view.page = OrderPage(order, seen, base_url, view.request)
    view.page.new_share_url, view.page.share_error = share
    view.page.note_error = note_error
    return page_template(view)


class OrderView(BrowserView):
    """The order's own page, under normal security (buyer and staff)."""

    def __call__(self, share=("", ""), note_error=""):
        set_no_store(self.request.response)
        seen = current_access(self.context)
        return render_page(
            self,
            self.context,
            seen,
            self.context.absolute_url(),
            share=share,
            note_error=note_error,
        )


def line_image(order, index: str, response):
    """The snapshot image of line ``index``, or NotFound."""
    lines = order.lines
    if not index.isdigit() or int(index) >= len(lines):
        raise NotFound(index)
    image = lines[int(index)].snapshot.image
    if image is None:
        raise NotFound(index)
    set_headers(image, response)
    response.setHeader("Cache-Control", "private, max-age=3600")
    return stream_data(image)


@implementer(IPublishTraverse)
class LineImage(BrowserView):
    """``<order>/image/<index>``: a line's snapshot image, under normal security."""

    index = ""

    def publishTraverse(self, request, name):
        self.index = name
        return self

    def __call__(self):
        return line_image(self.context, self.index, self.request.response)


@implementer(IPublishTraverse)
class OrderStatusView(BrowserView):
    """``@@order-status/<token>[/...]``: the order its secret link opens.

    GET shows the page (or a line's image); an owner link's POSTs pay,
    cancel, share and unshare, and the payer comes back from paying to
    ``return/<provider>``. A token that opens nothing gets the same 404 page
    whatever the reason.
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
        seen = access(order, viewer_of(order, link))
        base_url = link_url(token)
        if rest == []:
            return render_page(self, order, seen, base_url)
        if len(rest) == 2 and rest[0] == "image":
            return line_image(order, rest[1], self.request.response)
        if len(rest) == 2 and rest[0] == "return":
            return come_back(order, seen, rest[1], base_url, self.request)
        if len(rest) == 2 and rest[0] == "pay":
            return pay(order, seen, rest[1], base_url, self.request)
        if self.request.method == "POST" and seen.may_share:  # an owner link
            return self.act(order, seen, base_url, rest)
        raise NotFound("order-status")

    def act(self, order, seen, base_url: str, rest: list[str]):
        """The owner link's POSTs: the order page's own actions."""
        CheckAuthenticator(self.request)
        if rest == ["cancel"]:
            cancel(order, seen, self.request)
        elif rest == ["share"]:
            made = share(order, self.request)
            return render_page(self, order, seen, base_url, share=made)
        elif len(rest) == 2 and rest[0] == "unshare":
            unshare(order, rest[1], self.request)
        else:
            raise NotFound("order-status")
        return self.request.response.redirect(base_url)
