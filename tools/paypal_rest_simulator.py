"""PayPal's REST API, simulated. NOT PayPal, NOT for production: no money moves.

A development and test tool. It runs inside ``tools/paypal_simulator.py``
(``make start`` runs that on port 8081), whose WSGI app hands it the paths
under ``/v1/``, ``/v2/`` and ``/checkoutnow``; tests reach it through
``paypal_simulator.serve(0)`` as ``simulator.rest``. It answers loopback
clients only and sends webhooks to loopback listeners only.

It speaks PayPal's own protocol (shapes from PayPal's OpenAPI specifications:
Orders 2.13, Payments 2.5, Webhooks 1.11), so a client that works here should
work at PayPal:

- ``POST /v1/oauth2/token``: client credentials (Basic auth with
  ``client_id`` / ``client_secret``); tokens last ``token_seconds``.
  Everything below wants ``Authorization: Bearer <token>`` and answers 401
  with PayPal's error body without one, or with an expired one.
- ``POST /v2/checkout/orders``: checked as PayPal checks it
  (``paypal_rest_rules``); with ``payment_source.paypal.experience_context``
  the order is ``PAYER_ACTION_REQUIRED`` with a ``payer-action`` link, else
  ``CREATED`` with an ``approve`` link. ``GET /v2/checkout/orders/{id}``.
- The payer's page at that link (``GET /checkoutnow?token={id}``): approve,
  approve but decline at capture (``INSTRUMENT_DECLINED``), approve with a
  capture left ``PENDING``, approve and never come back (no redirect), or
  cancel. Approving sends the browser to ``return_url?token={id}&PayerID=…``,
  cancelling to ``cancel_url?token={id}``, as PayPal does.
- ``POST /v2/checkout/orders/{id}/capture``, ``POST
  /v2/payments/captures/{id}/refund`` (full or partial), ``GET
  /v2/payments/captures/{id}``, ``GET /v2/payments/refunds/{id}``.
- ``PayPal-Request-Id`` on create, capture and refund: the same id again
  answers 200 with the same order, capture or refund (in its latest state,
  as PayPal's idempotency page says) and makes nothing new. ``Prefer:
  return=representation`` gives the whole resource, else PayPal's minimal
  answer (id, status, links).
- Webhooks: CHECKOUT.ORDER.APPROVED, PAYMENT.CAPTURE.COMPLETED / PENDING /
  DENIED / REFUNDED / REVERSED are posted to ``webhook_url`` with PayPal's
  five transmission headers, one after the other in the order they
  happened, each retried until the listener answers 2xx.
  ``POST /v1/notifications/verify-webhook-signature`` answers SUCCESS only
  for a transmission this simulator made, with the same five values, the
  configured ``webhook_id``, and ``webhook_event`` byte for byte the body it
  sent: a client that decodes and re-encodes the event fails, as at PayPal.

This module is the app (routes, state, the payer's page, test hooks);
``paypal_rest_rules`` says what PayPal refuses, ``paypal_rest_resources``
how it writes orders, captures and refunds, ``paypal_rest_webhooks`` how
events are sent, signed and verified.

Test hooks (Python, on the instance): ``expire_tokens()``,
``fail_next(operation, fault)``, ``approve(order_id, outcome)``,
``settle_pending(capture_id, completed)``, ``reverse(capture_id)``,
``expire_order(order_id)``, ``send_event(event_type, resource_id, copies,
delay)``, ``resend(event, copies, delay)``, ``wait_for_deliveries(count)``;
and what happened: ``orders``, ``captures``, ``refunds``, ``token_requests``,
``events``, ``deliveries``.
"""

from base64 import b64decode
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from http import HTTPStatus
from paypal_rest_resources import Capture
from paypal_rest_resources import now
from paypal_rest_resources import Order
from paypal_rest_resources import Refund
from paypal_rest_resources import text
from paypal_rest_rules import Problem
from paypal_rest_rules import Unauthorized
from paypal_rest_webhooks import Delivery
from paypal_rest_webhooks import Event
from paypal_rest_webhooks import EVENTS
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

import copy
import hmac
import ipaddress
import json
import paypal_rest_resources as resources
import paypal_rest_rules as rules
import paypal_rest_webhooks as webhooks
import queue
import random
import re
import requests
import string
import threading
import time
import uuid


ROUTES = [
    (method, re.compile(pattern), name)
    for method, pattern, name in (
        ("POST", r"/v1/oauth2/token", "token"),
        ("POST", r"/v2/checkout/orders", "create_order"),
        ("GET", r"/v2/checkout/orders/([^/]+)", "get_order"),
        ("POST", r"/v2/checkout/orders/([^/]+)/capture", "capture_order"),
        ("POST", r"/v2/payments/captures/([^/]+)/refund", "refund_capture"),
        ("GET", r"/v2/payments/captures/([^/]+)", "get_capture"),
        ("GET", r"/v2/payments/refunds/([^/]+)", "get_refund"),
        ("POST", r"/v1/notifications/verify-webhook-signature", "verify_webhook"),
        ("GET", r"/checkoutnow", "payer_page"),
        ("POST", r"/checkoutnow/([^/]+)/([a-z]+)", "payer_action"),
    )
]
OPEN = ("token", "payer_page", "payer_action")  # no bearer token
FAULTS = ("500", "hang", "401")
# The payer's choices: (action, label, capture outcome, goes back to the shop)
CHOICES = (
    ("approve", "Approve", "COMPLETED", True),
    (
        "decline",
        "Approve, then decline at capture (INSTRUMENT_DECLINED)",
        "DECLINED",
        True,
    ),
    ("pending", "Approve, capture stays pending", "PENDING", True),
    ("abandon", "Approve but never come back", "COMPLETED", False),
)
CANCEL = ("cancel", "Cancel and return to the shop", "", True)
REFUND_TEXTS = (("note_to_payer", 255), ("invoice_id", 127), ("custom_id", 127))
INVALID_CLIENT = {
    "error": "invalid_client",
    "error_description": "Client Authentication failed",
}


def page(body: str) -> str:
    """An HTML page of the simulator, labelled as what it is."""
    return (
        '<html><head><meta charset="utf-8"><title>PayPal simulator</title></head>'
        "<body><h1>PayPal simulator</h1>"
        "<p><strong>A development and test tool: no money moves.</strong></p>"
        f"{body}</body></html>"
    )


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def with_query(url: str, **fields) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(fields.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass
class Request:
    method: str
    headers: dict  # lower-case names
    query: dict
    body: bytes
    base: str
    args: tuple

    def json(self) -> dict:
        """The body as a JSON object (an empty body is an empty object)."""
        if not self.body.strip():
            return {}
        try:
            data = json.loads(self.body)
        except ValueError:
            raise Problem(400, "MALFORMED_REQUEST_JSON") from None
        if not isinstance(data, dict):
            raise Problem(400, "MALFORMED_REQUEST_JSON")
        return data

    @property
    def representation(self) -> bool:
        return "return=representation" in self.headers.get("prefer", "")


class RestSimulator:
    """PayPal's REST API for one merchant account, in memory (WSGI app)."""

    def __init__(self, seed: int | None = None):
        self.client_id = "simulator-client"
        self.client_secret = "simulator-secret"
        self.webhook_id = "SIMULATORWEBHOOK"
        self.token_seconds = 32400  # PayPal's usual 9 hours
        self.retry_seconds = 1.0
        self.attempts = 25  # PayPal: 25 times over 3 days
        self.hang_seconds = 5.0
        self.auto_events = True  # send the events PayPal would send
        self.base = ""  # set by paypal_simulator.serve(); else the Host header
        self._webhook_url = ""
        self.tokens: dict[str, float] = {}
        self.token_requests = 0
        self.orders: dict[str, Order] = {}
        self.captures: dict[str, Capture] = {}
        self.refunds: dict[str, Refund] = {}
        self.replays: dict[tuple[str, str], str] = {}
        self.faults: dict[str, list[str]] = {}
        self.events: list[Event] = []
        self.transmissions: dict[str, tuple[dict, bytes]] = {}
        self.deliveries: list[Delivery] = []
        self.lock = threading.RLock()
        self._outbox: queue.Queue | None = None  # webhooks to send, in order
        self._random = random.Random(seed)
        self._key = self._random.randbytes(32)  # signs transmissions

    # Configuration and test hooks

    @property
    def webhook_url(self) -> str:
        return self._webhook_url

    @webhook_url.setter
    def webhook_url(self, url: str) -> None:
        if url and not loopback(urlsplit(url).hostname or ""):
            raise ValueError(f"The simulator posts webhooks to loopback only: {url}")
        self._webhook_url = url

    def expire_tokens(self) -> None:
        """Every token issued so far is expired from now on."""
        with self.lock:
            self.tokens = dict.fromkeys(self.tokens, 0.0)

    def fail_next(self, operation: str, fault: str = "500", count: int = 1) -> None:
        """The next ``count`` calls of ``operation`` (a name in ROUTES, such
        as ``capture_order``) fail: ``500`` answers PayPal's 500 and does
        nothing; ``hang`` waits ``hang_seconds``, then does the work and
        answers (the client has given up: the work is done, the answer lost);
        ``401`` refuses the bearer token."""
        if operation not in {name for _m, _p, name in ROUTES} or fault not in FAULTS:
            raise ValueError(f"No such operation or fault: {operation} {fault}")
        with self.lock:
            self.faults.setdefault(operation, []).extend([fault] * count)

    def approve(self, order_id: str, outcome: str = "COMPLETED") -> Order:
        """The payer approves; the capture will be ``outcome`` (COMPLETED,
        PENDING, or DECLINED: INSTRUMENT_DECLINED at capture)."""
        with self.lock:
            order = self._order(order_id)
            if order.status not in ("CREATED", "PAYER_ACTION_REQUIRED"):
                raise ValueError(f"Nothing to approve: the order is {order.status}.")
            order.status, order.outcome = "APPROVED", outcome
            order.payer_id = order.payer_id or self._id(13)
            order.updated = now()
            if self.auto_events:
                self._emit("CHECKOUT.ORDER.APPROVED", self._approved_event(order))
            return order

    def settle_pending(self, capture_id: str, completed: bool = True) -> Capture:
        """A PENDING capture completes, or is denied (DECLINED)."""
        with self.lock:
            capture = self._capture(capture_id)
            if capture.status != "PENDING":
                raise ValueError(f"Capture {capture_id} is {capture.status}.")
            capture.status = "COMPLETED" if completed else "DECLINED"
            capture.updated = now()
            if self.auto_events:
                event = "COMPLETED" if completed else "DENIED"
                self._emit(f"PAYMENT.CAPTURE.{event}", self._capture_json(capture))
            return capture

    def reverse(self, capture_id: str) -> Refund:
        """A chargeback: what remains of the capture goes back to the payer."""
        with self.lock:
            capture = self._capture(capture_id)
            remaining = capture.amount - self._refunded(capture)
            refund = self._refund(
                capture, remaining, {"note_to_payer": "Payment reversed"}
            )
            if self.auto_events:
                self._emit("PAYMENT.CAPTURE.REVERSED", self._refund_json(refund))
            return refund

    def expire_order(self, order_id: str) -> None:
        """PayPal forgets an order nobody captured in time (404 from now on)."""
        with self.lock:
            del self.orders[order_id]

    def send_event(
        self, event_type: str, resource_id: str, copies: int = 1, delay: float = 0.0
    ) -> Event:
        """Send ``event_type`` about the order, capture or refund
        ``resource_id`` as it is now: ``copies`` deliveries of one event,
        after ``delay`` seconds."""
        kind = EVENTS[event_type][0]
        with self.lock:
            if kind == "checkout-order":
                resource = self._approved_event(self._order(resource_id))
            elif kind == "capture":
                resource = self._capture_json(self._capture(resource_id))
            else:
                resource = self._refund_json(self._refund_by_id(resource_id))
            return self._emit(event_type, resource, copies, delay)

    def resend(self, event: Event, copies: int = 1, delay: float = 0.0) -> None:
        """Deliver an event again: the same id and body, a new transmission."""
        self._deliver(event, copies, delay)

    def wait_for_deliveries(self, count: int, timeout: float = 10.0) -> list[Delivery]:
        deadline = time.monotonic() + timeout
        while len(self.deliveries) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.deliveries)

    # WSGI

    def handles(self, path: str) -> bool:
        return path.startswith(("/v1/", "/v2/", "/checkoutnow"))

    def __call__(self, environ, start_response):
        if not loopback(environ.get("REMOTE_ADDR", "")):
            return self._reply(start_response, 403, "Loopback clients only.")
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        for verb, pattern, name in ROUTES:  # noqa: B007 (name is used after)
            match = pattern.fullmatch(path)
            if match and verb == method:
                break
        else:
            return self._reply(start_response, 404, Problem(404, "INVALID_RESOURCE_ID"))
        request = self._request(environ, match.groups())
        fault = self._fault(name)
        if fault == "500":
            return self._reply(start_response, 500, Problem(500))
        if fault == "401" and name == "token":
            return self._reply(start_response, 401, INVALID_CLIENT)
        if fault == "hang":
            time.sleep(self.hang_seconds)
        try:
            if name not in OPEN:
                self._authorize(request, refuse=fault == "401")
            with self.lock:
                status, answer, *headers = getattr(self, "_" + name)(request)
        except Problem as problem:
            status, answer, headers = problem.status, problem, []
        return self._reply(start_response, status, answer, *headers)

    def _request(self, environ, args: tuple) -> Request:
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        if not self.base:
            self.base = f"{environ['wsgi.url_scheme']}://{environ['HTTP_HOST']}"
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        return Request(environ["REQUEST_METHOD"], headers, query, body, self.base, args)

    def _fault(self, name: str) -> str:
        with self.lock:
            queued = self.faults.get(name)
            return queued.pop(0) if queued else ""

    def _reply(self, start_response, status: int, answer, *headers):
        content_type = "application/json"
        if isinstance(answer, Problem):
            answer = answer.body(self._debug_id())
        if isinstance(answer, str):
            data, content_type = answer.encode("utf-8"), "text/html; charset=utf-8"
        elif answer is None:
            data = b""
        else:
            data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        start_response(
            f"{status} {HTTPStatus(status).phrase}",
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(data))),
                ("Paypal-Debug-Id", self._debug_id()),
                ("X-Simulator", "PayPal simulator, a development tool: no money moves"),
                *headers,
            ],
        )
        return [data]

    # Ids

    def _id(self, length: int = 17) -> str:
        alphabet = string.ascii_uppercase + string.digits
        with self.lock:
            return "".join(self._random.choice(alphabet) for _ in range(length))

    def _debug_id(self) -> str:
        with self.lock:
            return f"{self._random.getrandbits(52):013x}"

    # Authentication

    def _token(self, request):
        expected = f"{self.client_id}:{self.client_secret}".encode()
        scheme, _space, credentials = request.headers.get(
            "authorization", ""
        ).partition(" ")
        try:
            given = b64decode(credentials, validate=True)
        except ValueError:
            given = b""
        if scheme != "Basic" or not hmac.compare_digest(given, expected):
            return 401, INVALID_CLIENT
        grant = dict(parse_qsl(request.body.decode("utf-8", "replace")))
        if grant.get("grant_type") != "client_credentials":
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": "Grant Type is NULL",
            }
        token = "A21AA" + self._id(60)
        self.tokens[token] = time.monotonic() + self.token_seconds
        self.token_requests += 1
        return 200, {
            "scope": "https://uri.paypal.com/services/payments/payment",
            "access_token": token,
            "token_type": "Bearer",
            "app_id": "APP-SIMULATOR",
            "expires_in": self.token_seconds,
            "nonce": f"{now()}{self._id(20)}",
        }

    def _authorize(self, request: Request, refuse: bool) -> None:
        scheme, _space, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or not token:
            raise Unauthorized(
                {
                    "name": "AUTHENTICATION_FAILURE",
                    "message": "Authentication failed due to missing authorization "
                    "header, or invalid authentication credentials.",
                    "debug_id": self._debug_id(),
                    "links": [],
                }
            )
        with self.lock:
            expires = self.tokens.get(token, 0.0)
        if refuse or expires <= time.monotonic():
            raise Unauthorized(
                {
                    "error": "invalid_token",
                    "error_description": "Access Token not found in cache",
                }
            )

    # Orders

    def _replayed(self, operation: str, request: Request) -> str:
        request_id = request.headers.get("paypal-request-id", "")
        return self.replays.get((operation, request_id), "") if request_id else ""

    def _remember(self, operation: str, request: Request, resource_id: str) -> None:
        request_id = request.headers.get("paypal-request-id", "")
        if request_id:
            self.replays[(operation, request_id)] = resource_id

    def _create_order(self, request: Request):
        replayed = self._replayed("create_order", request)
        if replayed:
            return 200, self._order_json(
                self._order(replayed), not request.representation
            )
        body = request.json()
        if "intent" not in body:
            raise Problem(400, "MISSING_REQUIRED_PARAMETER", "/intent")
        if body["intent"] != "CAPTURE":
            raise Problem(422, "UNSUPPORTED_INTENT", "/intent", body["intent"])
        units = body.get("purchase_units")
        if not isinstance(units, list) or len(units) != 1:
            raise Problem(
                400,
                "INVALID_ARRAY_MAX_ITEMS" if units else "MISSING_REQUIRED_PARAMETER",
                "/purchase_units",
                text="The simulator takes exactly one purchase unit.",
            )
        currency, amount = rules.purchase_unit(units[0])
        self._check_invoice(units[0].get("invoice_id", ""))
        source = body.get("payment_source", {})
        paypal = source.get("paypal", {}) if isinstance(source, dict) else {}
        if not isinstance(paypal, dict):
            raise Problem(400, "INVALID_PARAMETER_SYNTAX", "/payment_source/paypal")
        modern = "experience_context" in paypal
        context = (
            paypal["experience_context"]
            if modern
            else body.get("application_context", {})
        )
        at = (
            "/payment_source/paypal/experience_context"
            if modern
            else "/application_context"
        )
        order = Order(
            id=self._id(),
            unit=copy.deepcopy(units[0]),
            currency=currency,
            amount=amount,
            context=rules.experience(context, at),
            source={k: v for k, v in paypal.items() if k != "experience_context"},
            modern=modern,
            created=now(),
            status="PAYER_ACTION_REQUIRED" if modern else "CREATED",
        )
        self.orders[order.id] = order
        self._remember("create_order", request, order.id)
        return 201, self._order_json(order, not request.representation)

    def _check_invoice(self, invoice_id: str) -> None:
        if invoice_id and any(
            c.invoice_id == invoice_id and c.status != "DECLINED"
            for c in self.captures.values()
        ):
            raise Problem(422, "DUPLICATE_INVOICE_ID", "/invoice_id", invoice_id)

    def _order(self, order_id: str) -> Order:
        order = self.orders.get(order_id)
        if order is None:
            raise Problem(404, "INVALID_RESOURCE_ID")
        return order

    def _get_order(self, request: Request):
        return 200, self._order_json(self._order(request.args[0]))

    def _capture_order(self, request: Request):
        replayed = self._replayed("capture_order", request)
        if replayed:
            order = self._order(self.captures[replayed].order_id)
            return 200, self._order_json(order, not request.representation)
        order = self._order(request.args[0])
        request.json()  # an empty body or an object, as PayPal takes it
        if order.status == "COMPLETED":
            raise Problem(422, "ORDER_ALREADY_CAPTURED")
        if order.status != "APPROVED":
            raise Problem(422, "ORDER_NOT_APPROVED")
        self._check_invoice(order.unit.get("invoice_id", ""))
        if order.outcome == "DECLINED":
            # The payer must choose another way to pay, on PayPal's page.
            order.status = "PAYER_ACTION_REQUIRED" if order.modern else "CREATED"
            order.outcome = ""
            raise Problem(
                422,
                "INSTRUMENT_DECLINED",
                links=[
                    {
                        "href": resources.payer_url(order, request.base),
                        "rel": "redirect",
                        "method": "GET",
                    }
                ],
            )
        stamp = now()
        capture = Capture(
            id=self._id(),
            order_id=order.id,
            currency=order.currency,
            amount=order.amount,
            status="PENDING" if order.outcome == "PENDING" else "COMPLETED",
            invoice_id=order.unit.get("invoice_id", ""),
            custom_id=order.unit.get("custom_id", ""),
            created=stamp,
            updated=stamp,
        )
        self.captures[capture.id] = capture
        order.status, order.capture_id, order.updated = "COMPLETED", capture.id, stamp
        self._remember("capture_order", request, capture.id)
        if self.auto_events:
            self._emit(f"PAYMENT.CAPTURE.{capture.status}", self._capture_json(capture))
        return 201, self._order_json(order, not request.representation)

    # Captures and refunds

    def _capture(self, capture_id: str) -> Capture:
        capture = self.captures.get(capture_id)
        if capture is None:
            raise Problem(404, "INVALID_RESOURCE_ID")
        return capture

    def _refund_by_id(self, refund_id: str) -> Refund:
        refund = self.refunds.get(refund_id)
        if refund is None:
            raise Problem(404, "INVALID_RESOURCE_ID")
        return refund

    def _refunded(self, capture: Capture) -> Decimal:
        return sum((self.refunds[r].amount for r in capture.refund_ids), Decimal(0))

    def _get_capture(self, request: Request):
        return 200, self._capture_json(self._capture(request.args[0]))

    def _get_refund(self, request: Request):
        return 200, self._refund_json(self._refund_by_id(request.args[0]))

    def _refund_capture(self, request: Request):
        replayed = self._replayed("refund_capture", request)
        if replayed:
            refund = self.refunds[replayed]
            return 200, self._refund_json(refund, not request.representation)
        capture = self._capture(request.args[0])
        body = request.json()
        fields = {
            key: rules.text(body, key, limit, "")
            for key, limit in REFUND_TEXTS
            if key in body
        }
        if capture.status == "PENDING":
            raise Problem(422, "PENDING_CAPTURE")
        if capture.status == "DECLINED":
            raise Problem(422, "REFUND_NOT_ALLOWED")
        amount = self._refund_amount(capture, body.get("amount"))
        invoice_id = fields.get("invoice_id")
        if invoice_id and any(
            r.fields.get("invoice_id") == invoice_id for r in self.refunds.values()
        ):
            raise Problem(
                422,
                "DUPLICATE_INVOICE_ID",
                "/invoice_id",
                invoice_id,
                text="Invoice ID was previously used to refund a capture.",
            )
        refund = self._refund(capture, amount, fields)
        self._remember("refund_capture", request, refund.id)
        if self.auto_events:
            self._emit("PAYMENT.CAPTURE.REFUNDED", self._refund_json(refund))
        return 201, self._refund_json(refund, not request.representation)

    def _refund_amount(self, capture: Capture, asked) -> Decimal:
        """What a refund gives back: ``asked`` (a Money), or all that remains."""
        remaining = capture.amount - self._refunded(capture)
        if remaining <= 0:
            raise Problem(422, "CAPTURE_FULLY_REFUNDED")
        if asked is None:
            return remaining
        amount = rules.money(
            asked,
            "/amount",
            capture.currency,
            mismatch="REFUND_CAPTURE_CURRENCY_MISMATCH",
            decimals="DECIMALS_NOT_SUPPORTED",
        )
        if amount <= 0:
            raise Problem(422, "CANNOT_BE_ZERO_OR_NEGATIVE", "/amount/value")
        if amount > remaining:
            raise Problem(422, "REFUND_AMOUNT_EXCEEDED", "/amount/value", amount)
        return amount

    def _refund(self, capture: Capture, amount: Decimal, fields: dict) -> Refund:
        refunded = self._refunded(capture) + amount
        refund = Refund(
            id=self._id(),
            capture_id=capture.id,
            currency=capture.currency,
            amount=amount,
            total_refunded=refunded,
            fields=fields,
            created=now(),
        )
        self.refunds[refund.id] = refund
        capture.refund_ids.append(refund.id)
        capture.status = (
            "REFUNDED" if refunded == capture.amount else "PARTIALLY_REFUNDED"
        )
        capture.updated = refund.created
        return refund

    # The payer's page

    def _payer_page(self, request: Request):
        order = self.orders.get(request.query.get("token", ""))
        if order is None:
            return 404, page("<p>No such order (or it expired).</p>")
        if order.status not in ("CREATED", "PAYER_ACTION_REQUIRED"):
            return 409, page(f"<p>Nothing to approve: the order is {order.status}.</p>")
        unit = order.unit
        rows = "".join(
            f"<tr><td>{escape(str(item.get('name')))}</td>"
            f"<td>{escape(str(item.get('quantity')))} × "
            f"{escape(str(item.get('unit_amount', {}).get('value')))}</td></tr>"
            for item in unit.get("items", [])
        )
        buttons = "".join(
            f'<form method="post" action="/checkoutnow/{order.id}/{action}">'
            f'<button type="submit" name="{action}">{escape(label)}</button></form>'
            for action, label, _outcome, _back in (*CHOICES, CANCEL)
        )
        return 200, page(
            f"<p>{escape(order.context.get('brand_name', ''))} "
            f"{escape(unit.get('invoice_id', ''))}</p>"
            f"<table>{rows}</table>"
            f"<p>Total: {text(order.amount, order.currency)} {order.currency}</p>"
            f"{buttons}"
        )

    def _payer_action(self, request: Request):
        order_id, action = request.args
        order = self.orders.get(order_id)
        choice = {c[0]: c for c in (*CHOICES, CANCEL)}.get(action)
        if order is None or choice is None:
            return 404, page("<p>No such order or choice.</p>")
        if action == "cancel":
            back = order.context.get("cancel_url", "")
            target = with_query(back, token=order.id) if back else ""
        else:
            try:
                self.approve(order.id, choice[2])
            except ValueError:
                return 409, page(
                    f"<p>Nothing to approve: the order is {order.status}.</p>"
                )
            back = order.context.get("return_url", "")
            target = with_query(back, token=order.id, PayerID=order.payer_id)
        if not choice[3] or not back:
            return 200, page("<p>Done. This browser does not go back to the shop.</p>")
        return 302, None, ("Location", target)

    # Representations (PayPal's JSON)

    def _order_json(self, order: Order, minimal: bool = False) -> dict:
        return resources.order_json(
            order, self.base, self.captures, self.refunds, minimal
        )

    def _capture_json(self, capture: Capture) -> dict:
        return resources.capture_json(capture, self.base)

    def _refund_json(self, refund: Refund, minimal: bool = False) -> dict:
        return resources.refund_json(refund, self.base, minimal)

    def _approved_event(self, order: Order) -> dict:
        return resources.approved_event(self._order_json(order))

    # Webhooks

    def _emit(
        self, event_type: str, resource: dict, copies: int = 1, delay: float = 0.0
    ) -> Event:
        event_id = f"WH-{self._id(17)}-{self._id(17)}"
        body = webhooks.envelope(event_type, resource, event_id, self.base)
        event = Event(event_id, event_type, body)
        self.events.append(event)
        self._deliver(event, copies, delay)
        return event

    def _deliver(self, event: Event, copies: int, delay: float) -> None:
        """Events go out one after the other, in the order they happened, so
        tests are repeatable; a ``delay`` sends one on its own, late."""
        url = self.webhook_url
        if not url:
            return
        if delay:
            threading.Thread(
                target=self._post, args=(url, event, copies, delay), daemon=True
            ).start()
            return
        with self.lock:
            if self._outbox is None:
                self._outbox = queue.Queue()
                threading.Thread(target=self._send_queued, daemon=True).start()
            self._outbox.put((url, event, copies))

    def _send_queued(self) -> None:
        while True:
            url, event, copies = self._outbox.get()
            self._post(url, event, copies, 0.0)

    def _post(self, url: str, event: Event, copies: int, delay: float) -> None:
        """POST until the listener answers 2xx, as PayPal does (with back-off).
        Each try is a transmission of its own (new id, time and signature)."""
        time.sleep(delay)
        for _copy in range(copies):
            for _attempt in range(self.attempts):
                headers = self._transmission(event.body)
                try:
                    status = requests.post(
                        url, data=event.body, headers=headers, timeout=30
                    ).status_code
                except requests.RequestException:
                    status = 0
                with self.lock:
                    self.deliveries.append(Delivery(url, headers, event.body, status))
                if 200 <= status < 300:
                    break
                time.sleep(self.retry_seconds)

    def _transmission(self, body: bytes) -> dict:
        with self.lock:
            transmission_id = str(uuid.UUID(bytes=self._random.randbytes(16)))
            headers = webhooks.headers(
                self._key, transmission_id, self.webhook_id, self.base, body
            )
            self.transmissions[transmission_id] = (headers, body)
        return headers

    def _verify_webhook(self, request: Request):
        values, event = webhooks.signature_request(request.body)
        sent = self.transmissions.get(values["transmission_id"])
        genuine = webhooks.genuine(self._key, self.webhook_id, sent, values, event)
        return 200, {"verification_status": "SUCCESS" if genuine else "FAILURE"}
