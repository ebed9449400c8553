"""Webhooks as the Stripe simulator sends them. NOT Stripe.

An event is Stripe's Event object (``id`` evt_..., ``type``, ``created``,
``livemode``, ``api_version``, ``data.object`` the resource as it is when
the event happens, ``data.previous_attributes`` on ``*.updated``),
posted as pretty-printed JSON like Stripe's, with the ``Stripe-Signature``
header Stripe sends (docs.stripe.com/webhooks#verify-manually):
``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the endpoint
secret whsec_...>``. The official library's ``Webhook.construct_event``
checks exactly this, and a timestamp older than its tolerance (300 s).
Each try of a delivery is signed anew, with the time of that try.
"""

from dataclasses import dataclass

import hashlib
import hmac
import json


EVENTS = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "charge.refunded",
    "refund.created",
    "refund.updated",
    "refund.failed",
    "charge.dispute.created",
    "charge.dispute.closed",
)


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    body: bytes  # exactly what is posted

    @property
    def data(self) -> dict:
        return json.loads(self.body)


@dataclass(frozen=True)
class Delivery:
    url: str
    headers: dict
    body: bytes
    status: int  # 0: no answer


def envelope(
    event_id: str,
    event_type: str,
    resource: dict,
    created: int,
    api_version: str,
    livemode: bool = False,
    previous: dict | None = None,
    request: tuple[str, str] | None = None,
) -> bytes:
    """The body of an event, as Stripe posts it (JSON indented by two)."""
    data = {"object": resource}
    if previous is not None:
        data["previous_attributes"] = previous
    request_id, key = request or (None, None)
    event = {
        "id": event_id,
        "object": "event",
        "api_version": api_version,
        "created": created,
        "data": data,
        "livemode": livemode,
        "pending_webhooks": 1,
        "request": {"id": request_id, "idempotency_key": key},
        "type": event_type,
    }
    return json.dumps(event, indent=2, ensure_ascii=False).encode("utf-8")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Stripe's v1 scheme: HMAC-SHA256 of ``<t>.<body>``, hex."""
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
