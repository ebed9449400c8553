"""The calls we make to Stripe, with the official ``stripe`` library:
answers as plain dicts, failures as two errors.

``StripeUnavailable``: Stripe could not be asked or did not answer (no
connection, a timeout, its 5xx, rate limiting): nothing is known; asking
again with the same idempotency key is safe. ``StripeRefused``: Stripe
answered no (a 4xx: an invalid request, a bad key, a refund it won't
make); ``code`` is Stripe's error code.

Idempotency keys are derived from what the call is about (``key``), so
that a request Zope runs again after a ConflictError, or a second click,
makes one session or one refund at Stripe.
"""

from getpaid.orders.payments.stripe import settings

import hashlib
import stripe


# Seconds: a Zope thread must not wait for Stripe for long (the library's
# default is 80); a call that times out is asked again later.
TIMEOUT = 20
# The library's own retries reuse the idempotency key we give.
RETRIES = 2


class StripeUnavailable(Exception):
    """Stripe could not be asked; try again later."""


class StripeRefused(Exception):
    """Stripe refused the call."""

    def __init__(self, message: str, code: str = "", status: int | None = None):
        super().__init__(message)
        self.code = code or ""
        self.status = status


def key(*parts: str) -> str:
    """An idempotency key from what a call is about (Stripe takes up to 255
    characters)."""
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
    return f"getpaid-{parts[0]}-{digest}"


class Client:
    """Stripe's API for the shop's key (and address: a simulator)."""

    def __init__(self, api_key: str, api_base: str = ""):
        self.stripe = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base} if api_base else None,
            max_network_retries=RETRIES,
            http_client=stripe.RequestsClient(timeout=TIMEOUT),
        )

    def create_session(self, params: dict, idempotency_key: str) -> dict:
        return self._call(
            self.stripe.v1.checkout.sessions.create,
            params=params,
            options={"idempotency_key": idempotency_key},
        )

    def get_session(self, session_id: str) -> dict:
        return self._call(self.stripe.v1.checkout.sessions.retrieve, session_id)

    def get_payment_intent(self, payment_intent_id: str) -> dict:
        return self._call(self.stripe.v1.payment_intents.retrieve, payment_intent_id)

    def create_refund(self, params: dict, idempotency_key: str) -> dict:
        return self._call(
            self.stripe.v1.refunds.create,
            params=params,
            options={"idempotency_key": idempotency_key},
        )

    def list_refunds(self, payment_intent_id: str) -> list[dict]:
        found = self._call(
            self.stripe.v1.refunds.list,
            params={"payment_intent": payment_intent_id, "limit": 100},
        )
        return [one for one in found.get("data") or () if isinstance(one, dict)]

    def _call(self, method, *args, **kw) -> dict:
        try:
            answer = method(*args, **kw)
        except (stripe.APIConnectionError, stripe.RateLimitError) as error:
            raise StripeUnavailable(str(error)) from error
        except stripe.StripeError as error:
            status = error.http_status
            if status is None or status >= 500:
                raise StripeUnavailable(str(error)) from error
            raise StripeRefused(str(error), error.code or "", status) from error
        return answer.to_dict()


def client() -> Client:
    """A client for the shop's account; ValueError if it isn't set up."""
    why = settings.unusable()
    if why:
        raise ValueError(str(why))
    return Client(settings.secret_key(), settings.api_base())
