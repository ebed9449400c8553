"""``@@order-lookup``: a customer who lost their link gets a fresh one by mail.

Order number and e-mail must both match; the fresh owner link goes to the
order's own address, never to the page. The page says the same words
whether anything matched or not, and attempts are limited per e-mail
address and per client, so it can't be used to test guesses.
"""

from getpaid.orders import _
from getpaid.orders import api as shop
from getpaid.orders.browser.ratelimit import RateLimiter
from getpaid.orders.exceptions import MailUnavailable
from getpaid.orders.mail.sending import SHOP_CANNOT_MAIL
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


# Per Zope process: a client or address gets this many tries an hour.
ATTEMPTS_PER_HOUR = 5
limiter = RateLimiter(ATTEMPTS_PER_HOUR, window_seconds=3600)

ANSWER = _(
    "If an order with this number was placed with this e-mail address, a new "
    "link to it is on its way to that address."
)


class OrderLookup(BrowserView):
    template = ViewPageTemplateFile("templates/order_lookup.pt")
    answer = ""
    refused = ""

    def __call__(self):
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.lookup(
                (self.request.form.get("number") or "").strip().upper(),
                (self.request.form.get("email") or "").strip().lower(),
            )
        return self.template()

    def client(self) -> str:
        return self.request.getClientAddr() or "unknown"

    def lookup(self, number: str, email: str) -> None:
        keys = (f"client:{self.client()}", f"email:{email}")
        if not limiter.allow(*keys):
            self.refused = _(
                "Too many attempts. Please try again in an hour, or contact the shop."
            )
            return
        try:
            shop.mail_lost_link(number, email)
        except MailUnavailable:  # true of every order: tells nothing about one
            self.refused = SHOP_CANNOT_MAIL
            return
        self.answer = ANSWER
