"""``@@paypal-webhook``: where PayPal Checkout reports what happened.

POST only. Nothing is written before PayPal itself has said it sent the
delivery (verify-webhook-signature, with the body exactly as it came and
the shop's webhook id); then ``paypal_checkout.webhooks`` handles the
event. PayPal sends a delivery again, up to 25 times over 3 days, until it
gets a 2xx. Answers (text/plain):

- 200 when the event was handled, or never needs handling (an unknown order,
  an event type we don't handle), or PayPal refused a call the handler
  needed (logged; nothing the handler wrote is kept);
- 400 for what PayPal didn't send: a header missing, a body that is no JSON,
  verification FAILURE (a forgery, or a webhook id that is not this
  site's: logged, and PayPal's retries get the same answer until it is
  fixed); 413 for a body beyond ``MAX_BODY``;
- 503 when PayPal could not be asked, PayPal Checkout isn't set up, or a
  call to PayPal the handler needed failed (nothing it wrote is kept):
  PayPal sends it again later;
- 405 for anything but POST.
"""

from getpaid.orders import logger
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.exceptions import ProviderUnavailable
from getpaid.orders.payments.paypal_checkout import settings
from getpaid.orders.payments.paypal_checkout import webhooks
from getpaid.orders.payments.paypal_checkout.client import WEBHOOK_HEADERS
from getpaid.orders.payments.paypal_checkout.errors import InvalidWebhook
from getpaid.orders.payments.paypal_checkout.errors import PayPalError
from getpaid.orders.payments.paypal_checkout.errors import PayPalUnavailable
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zope.interface import alsoProvides

import json
import transaction


# PayPal's events are a few KiB; a body beyond this is no event of ours.
MAX_BODY = 256 * 1024


class PayPalWebhook(BrowserView):
    def __call__(self):
        response = self.request.response
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        if self.request.method != "POST":
            response.setStatus(405)
            response.setHeader("Allow", "POST")
            return "POST only"
        # PayPal can't carry our CSRF token; verification is what protects us.
        alsoProvides(self.request, IDisableCSRFProtection)
        raw = self.raw_body()
        if len(raw) > MAX_BODY:
            logger.warning("PayPal webhook refused: a body beyond %s bytes", MAX_BODY)
            response.setStatus(413)
            return "Too large"
        webhook_id = get_setting("paypal_webhook_id", "") or ""
        why = settings.unusable() or (
            "" if webhook_id else "The PayPal Checkout webhook id is not set."
        )
        if why:
            logger.error("PayPal webhook not verified: %s", why)
            response.setStatus(503)
            return "Not set up"
        client = settings.client()
        headers = {
            header: self.request.getHeader(header) or ""
            for _field, header in WEBHOOK_HEADERS
        }
        transmission = headers["paypal-transmission-id"] or "(no transmission id)"
        try:
            verified = client.verify_webhook_signature(headers, raw, webhook_id)
        except InvalidWebhook as error:
            logger.warning("PayPal webhook %s refused: %s", transmission, error)
            response.setStatus(400)
            return "Not a PayPal webhook"
        except PayPalUnavailable as error:
            logger.warning("PayPal webhook %s not verified: %s", transmission, error)
            response.setStatus(503)
            return "Try again"
        except PayPalError as error:
            # PayPal refused to verify: our credentials or webhook id (try
            # again once they are fixed), or what the delivery says.
            logger.error("PayPal webhook %s not verified: %s", transmission, error)
            response.setStatus(503 if error.status in (401, 403) else 400)
            return "Not verified"
        if not verified:
            logger.warning(
                "PayPal webhook %s not verified (FAILURE): not sent by PayPal, "
                "or not for webhook id %s",
                transmission,
                webhook_id,
            )
            response.setStatus(400)
            return "Not verified"
        event = json.loads(raw)
        resource = event.get("resource")
        about = " ".join(
            str(part or "")
            for part in (
                event.get("id"),
                event.get("event_type"),
                resource.get("id") if isinstance(resource, dict) else "",
            )
        )
        try:
            outcome = webhooks.handle(event, raw)
        except (PayPalUnavailable, ProviderUnavailable) as error:
            # What the handler wrote before must not stay: PayPal sends the
            # event again, and it is handled whole.
            transaction.doom()
            logger.warning("PayPal webhook %s not handled: %s", about, error)
            response.setStatus(503)
            return "Try again"
        except PayPalError as error:
            # PayPal refused what the event needed: asking again changes
            # nothing (the sweeper looks the payment up later).
            transaction.doom()
            logger.error("PayPal webhook %s not handled: %s", about, error)
            return "Refused by PayPal"
        problems = "; ".join(outcome.problems)
        problems = problems and f" ({problems})"
        logger.info("PayPal webhook %s: %s%s", about, outcome.action, problems)
        return "OK"

    def raw_body(self) -> bytes:
        """The body as sent, byte for byte (PayPal verifies those bytes)."""
        stdin = self.request.stdin
        stdin.seek(0)
        return stdin.read(MAX_BODY + 1)
