"""Webhooks as the REST simulator sends and verifies them. NOT PayPal.

PayPal signs ``transmission_id|transmission_time|webhook_id|crc32(body)``
with RSA (PayPal's Python SDK, ``notifications.py``); the simulator signs
the same string with a secret HMAC key. The CRC32 covers the exact bytes of
the body, which is why PayPal answers FAILURE for a re-encoded event.
"""

from base64 import b64encode
from dataclasses import dataclass
from paypal_rest_resources import link
from paypal_rest_resources import now
from paypal_rest_rules import Problem

import hashlib
import hmac
import json
import re
import zlib


EVENTS = {
    "CHECKOUT.ORDER.APPROVED": (
        "checkout-order",
        "An order has been approved by buyer",
    ),
    # PayPal cancels an approved order nobody captured in time.
    "CHECKOUT.PAYMENT-APPROVAL.REVERSED": (
        "checkout-order",
        "A payment approval has been reversed",
    ),
    "PAYMENT.CAPTURE.COMPLETED": ("capture", "Payment completed for {amount}"),
    "PAYMENT.CAPTURE.PENDING": ("capture", "Payment pending for {amount}"),
    "PAYMENT.CAPTURE.DENIED": ("capture", "Payment denied for {amount}"),
    "PAYMENT.CAPTURE.DECLINED": ("capture", "Payment declined for {amount}"),
    "PAYMENT.CAPTURE.REFUNDED": ("refund", "A {amount} capture payment was refunded"),
    "PAYMENT.CAPTURE.REVERSED": ("refund", "A {amount} capture payment was reversed"),
}
SYMBOLS = {"EUR": "€", "GBP": "£", "JPY": "¥", "USD": "$"}
SIGNATURE_FIELDS = (
    "auth_algo",
    "cert_url",
    "transmission_id",
    "transmission_sig",
    "transmission_time",
    "webhook_id",
)
HEADERS = {
    "transmission_id": "PAYPAL-TRANSMISSION-ID",
    "transmission_time": "PAYPAL-TRANSMISSION-TIME",
    "transmission_sig": "PAYPAL-TRANSMISSION-SIG",
    "cert_url": "PAYPAL-CERT-URL",
    "auth_algo": "PAYPAL-AUTH-ALGO",
}


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    body: bytes  # exactly what is posted


@dataclass(frozen=True)
class Delivery:
    url: str
    headers: dict
    body: bytes
    status: int  # 0: no answer


def envelope(event_type: str, resource: dict, event_id: str, base: str) -> bytes:
    """The body of an event, as PayPal sends it: compact JSON in UTF-8.

    A client that decodes and re-encodes it (Python's json.dumps adds
    spaces and escapes "€" and "ë") sends other bytes to the verification
    and gets FAILURE, as at PayPal.
    """
    kind, summary = EVENTS[event_type]
    amount = resource.get("amount", {})
    if amount:
        code = amount["currency_code"]
        shown = f"{SYMBOLS.get(code, '')} {amount['value']} {code}".strip()
        summary = summary.format(amount=shown)
    url = f"{base}/v1/notifications/webhooks-events/{event_id}"
    data = {
        "id": event_id,
        "event_version": "1.0",
        "create_time": now(),
        "resource_type": kind,
        "resource_version": "2.0",
        "event_type": event_type,
        "summary": summary,
        "resource": resource,
        "links": [link(url, "self"), link(f"{url}/resend", "resend", "POST")],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def signature(
    key: bytes, transmission_id: str, time: str, webhook_id: str, body: bytes
) -> str:
    message = f"{transmission_id}|{time}|{webhook_id}|{zlib.crc32(body)}"
    return b64encode(hmac.new(key, message.encode(), hashlib.sha256).digest()).decode()


def headers(
    key: bytes, transmission_id: str, webhook_id: str, base: str, body: bytes
) -> dict:
    """The headers of one transmission of ``body``."""
    time = now()
    return {
        "Content-Type": "application/json",
        "User-Agent": "PayPal simulator (development tool)",
        "PAYPAL-TRANSMISSION-ID": transmission_id,
        "PAYPAL-TRANSMISSION-TIME": time,
        "PAYPAL-TRANSMISSION-SIG": signature(
            key, transmission_id, time, webhook_id, body
        ),
        "PAYPAL-CERT-URL": f"{base}/v1/notifications/certs/CERT-simulator",
        "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        "PAYPAL-AUTH-VERSION": "v2",
    }


def genuine(
    key: bytes,
    webhook_id: str,
    sent: tuple[dict, bytes] | None,
    values: dict,
    event: bytes,
) -> bool:
    """Whether a verification request describes a transmission as it was
    ``sent`` (its headers and body), for this webhook id."""
    if sent is None or values["webhook_id"] != webhook_id:
        return False
    sent_headers, sent_body = sent
    expected = signature(
        key,
        values["transmission_id"],
        values["transmission_time"],
        values["webhook_id"],
        event,
    )
    return (
        all(values[name] == sent_headers[header] for name, header in HEADERS.items())
        and event == sent_body
        and hmac.compare_digest(values["transmission_sig"], expected)
    )


def signature_request(body: bytes) -> tuple[dict, bytes]:
    """A verify-webhook-signature request: its six string fields, and the
    raw bytes of its ``webhook_event`` exactly as they are in the request."""
    try:
        source = body.decode("utf-8")
        spans = top_level_spans(source)
    except ValueError:
        raise Problem(400, "MALFORMED_REQUEST_JSON") from None
    values = {}
    for name in (*SIGNATURE_FIELDS, "webhook_event"):
        if name not in spans:
            raise Problem(400, "MISSING_REQUIRED_PARAMETER", f"/{name}")
        value = spans[name][0]
        if (name == "webhook_event") != isinstance(value, dict):
            raise Problem(400, "INVALID_PARAMETER_SYNTAX", f"/{name}")
        values[name] = value
    start, end = spans["webhook_event"][1:]
    return values, source[start:end].encode("utf-8")


def top_level_spans(source: str) -> dict[str, tuple[object, int, int]]:
    """Each member of a JSON object: (value, start, end) of the value's text.

    json.loads would give the values only; the span lets the simulator
    compare the bytes the client sent with the bytes it delivered.
    """
    decoder = json.JSONDecoder()
    spans: dict[str, tuple[object, int, int]] = {}
    blank = re.compile(r"[ \t\n\r]*")
    index = blank.match(source, 0).end()
    if source[index : index + 1] != "{":
        raise ValueError("Not an object.")
    index = blank.match(source, index + 1).end()
    if source[index : index + 1] == "}":
        return spans
    while True:
        if source[index : index + 1] != '"':
            raise ValueError("A name expected.")
        name, index = json.decoder.scanstring(source, index + 1)
        index = blank.match(source, index).end()
        if source[index : index + 1] != ":":
            raise ValueError("':' expected.")
        start = blank.match(source, index + 1).end()
        value, end = decoder.raw_decode(source, start)
        if name in spans:
            raise ValueError(f"{name} given twice.")
        spans[name] = (value, start, end)
        index = blank.match(source, end).end()
        if source[index : index + 1] == "}":
            if source[index + 1 :].strip(" \t\n\r"):
                raise ValueError("Extra data.")
            return spans
        if source[index : index + 1] != ",":
            raise ValueError("',' expected.")
        index = blank.match(source, index + 1).end()
