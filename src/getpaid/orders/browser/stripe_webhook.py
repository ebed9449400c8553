"""``@@stripe-webhook``: where Stripe reports what happened.

POST only. Nothing is written before the delivery's ``Stripe-Signature``
is verified with the official library (``Webhook.construct_event``: an
HMAC of the timestamp and the body exactly as it came, with the endpoint's
signing secret, and the timestamp within ``TOLERANCE``), and before its
``livemode`` is found to match the secret key's (a test event never pays a
live shop, nor the other way round). Then ``stripe.webhooks`` handles the
event. Stripe sends a delivery again, for up to three days, until it gets
a 2xx. Answers (text/plain):

- 200 when the event was handled, or never needs handling (an unknown
  order, a type we don't handle), or Stripe refused a look-up the handler
  needed (logged; nothing the handler wrote is kept);
- 400 for a delivery that is not Stripe's: no or a bad signature, a stale
  timestamp, a body that is no event, the other mode; 413 for a body
  beyond ``MAX_BODY``;
- 503 when Stripe isn't set up here, or a look-up at Stripe the handler
  needed failed (nothing it wrote is kept): Stripe sends it again later;
- 405 for anything but POST.
"""

from getpaid.orders import logger
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.payments.stripe import settings
from getpaid.orders.payments.stripe import webhooks
from getpaid.orders.payments.stripe.client import StripeRefused
from getpaid.orders.payments.stripe.client import StripeUnavailable
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zope.interface import alsoProvides

import json
import stripe
import transaction


# Stripe's events are a few KiB; a body beyond this is no event of ours.
MAX_BODY = 256 * 1024
# Seconds a delivery's timestamp may be old (Stripe's library's default):
# a delivery replayed later than this is refused.
TOLERANCE = 300


class StripeWebhook(BrowserView):
    def __call__(self):
        response = self.request.response
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        if self.request.method != "POST":
            response.setStatus(405)
            response.setHeader("Allow", "POST")
            return "POST only"
        # Stripe can't carry our CSRF token; the signature protects us.
        alsoProvides(self.request, IDisableCSRFProtection)
        raw = self.raw_body()
        if len(raw) > MAX_BODY:
            logger.warning("Stripe webhook refused: a body beyond %s bytes", MAX_BODY)
            response.setStatus(413)
            return "Too large"
        secret = settings.webhook_secret()
        why = settings.unusable() or (
            "" if secret else "The Stripe webhook signing secret is not set."
        )
        if why:
            logger.error("Stripe webhook not verified: %s", why)
            response.setStatus(503)
            return "Not set up"
        header = self.request.getHeader("Stripe-Signature") or ""
        try:
            stripe.Webhook.construct_event(raw, header, secret, tolerance=TOLERANCE)
            event = json.loads(raw)
        except (stripe.SignatureVerificationError, ValueError) as error:
            logger.warning("Stripe webhook refused: %s", error)
            response.setStatus(400)
            return "Not verified"
        if not isinstance(event, dict) or event.get("livemode") is not (
            settings.livemode()
        ):
            logger.warning(
                "Stripe webhook %s refused: livemode %r, but the key is %s",
                event.get("id") if isinstance(event, dict) else "",
                event.get("livemode") if isinstance(event, dict) else None,
                "live" if settings.livemode() else "test",
            )
            response.setStatus(400)
            return "Wrong mode"
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        resource = data.get("object") if isinstance(data.get("object"), dict) else {}
        about = f"{event.get('id')} {event.get('type')} {resource.get('id')}"
        try:
            outcome = webhooks.handle(event, raw)
        except (StripeUnavailable, ProviderUnavailable) as error:
            # What the handler wrote must not stay: Stripe sends the event
            # again, and it is handled whole.
            transaction.doom()
            logger.warning("Stripe webhook %s not handled: %s", about, error)
            response.setStatus(503)
            return "Try again"
        except StripeRefused as error:
            # Stripe refused a look-up the event needed: asking again
            # changes nothing (the sweeper looks the payment up later).
            transaction.doom()
            logger.error("Stripe webhook %s not handled: %s", about, error)
            return "Refused by Stripe"
        problems = "; ".join(outcome.problems)
        problems = problems and f" ({problems})"
        logger.info("Stripe webhook %s: %s%s", about, outcome.action, problems)
        return "OK"

    def raw_body(self) -> bytes:
        """The body as sent, byte for byte (the signature covers those)."""
        stdin = self.request.stdin
        stdin.seek(0)
        return stdin.read(MAX_BODY + 1)
