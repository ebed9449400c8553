"""``@@paypal-ipn``: where PayPal reports payments.

POST only. Nothing is written before PayPal itself has confirmed the message
(``_notify-validate`` on the configured verification URL); then
``paypal.notifications.apply`` records it and moves the order. Answers:

- 200 when the message was handled, or must never be sent again (INVALID,
  an unknown order, a test message outside sandbox mode);
- 503 when PayPal could not be asked, so PayPal sends the message again;
- 400 for a body that is no IPN at all; 405 for anything but POST.
"""

from getpaid.orders import logger
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.controlpanel.settings import PAYPAL_SANDBOX
from getpaid.orders.controlpanel.settings import paypal_urls
from getpaid.orders.payments.paypal_standard import ipn
from getpaid.orders.payments.paypal_standard.notifications import apply
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zope.interface import alsoProvides


class PayPalIPN(BrowserView):
    def __call__(self):
        response = self.request.response
        # Answers for PayPal and logs, never a page: without a type, Zope
        # guesses one, and an error status gets the site's HTML around it.
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        if self.request.method != "POST":
            response.setStatus(405)
            response.setHeader("Allow", "POST")
            return "POST only"
        # PayPal can't carry our CSRF token; verification is what protects us.
        alsoProvides(self.request, IDisableCSRFProtection)
        raw = self.raw_body()
        try:
            note = ipn.parse(raw)
        except ipn.IPNError as error:
            logger.warning("IPN refused: %s", error)
            response.setStatus(400)
            return "Not an IPN"
        if note.get("test_ipn") == "1" and get_setting("paypal_mode") != PAYPAL_SANDBOX:
            logger.warning("IPN %s ignored: a test message", note.get("txn_id"))
            return "Ignored"
        try:
            answer = ipn.verify(raw, paypal_urls()[1])
        except ipn.IPNError as error:
            logger.warning("IPN %s not verified: %s", note.get("txn_id"), error)
            response.setStatus(503)
            return "Try again"
        if answer != ipn.VERIFIED:
            logger.warning("IPN %s is INVALID: ignored", note.get("txn_id"))
            return "Ignored"
        outcome = apply(note)
        logger.info(
            "IPN %s %s for %s: %s",
            note.get("txn_id"),
            note.get("payment_status"),
            note.get("invoice"),
            outcome.action,
        )
        return "OK"

    def raw_body(self) -> bytes:
        """The body as sent, before Zope's form parsing touched it."""
        stdin = self.request.stdin
        stdin.seek(0)
        return stdin.read(ipn.MAX_BODY + 1)
