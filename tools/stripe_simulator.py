"""A Stripe simulator for development and tests. NOT Stripe, NOT for production.

    python tools/stripe_simulator.py --port 8083 \\
        --webhook-url http://localhost:8080/Plone/@@stripe-webhook

No money moves. It answers loopback clients only and posts webhooks to
loopback listeners only. It speaks the part of Stripe's API (v1, form
encoded, as Stripe's libraries send it) that getpaid.orders calls, so the
official ``stripe`` library works against it for real:
``StripeClient("sk_test_simulator", base_addresses={"api": url})``.

- Auth: ``Authorization: Bearer <secret key>`` (or Basic with the key as the
  user name); another key answers Stripe's 401.
- ``POST /v1/checkout/sessions`` (mode ``payment``, ``line_items`` with
  ``price_data``), checked as Stripe checks it (``stripe_rules``: amounts in
  the smallest unit, zero-decimal, three-decimal and ISK rules, minimum and
  maximum, ``expires_at`` 30 minutes to 24 hours from now, unknown
  parameters refused); ``GET /v1/checkout/sessions/{id}`` (``expand[]``
  ``payment_intent``, ``payment_intent.latest_charge``, ``line_items``),
  ``GET /v1/checkout/sessions/{id}/line_items``, ``GET
  /v1/checkout/sessions?payment_intent=...``, ``POST
  /v1/checkout/sessions/{id}/expire``.
- ``GET /v1/payment_intents/{id}``, ``GET /v1/charges/{id}``, ``POST
  /v1/refunds`` (``payment_intent`` or ``charge``; ``amount`` optional: all
  that remains), ``GET /v1/refunds/{id}``, ``GET /v1/events/{id}``.
- The PaymentIntent is made as at Stripe (API versions since 2022-08-01):
  lazily, at the payer's first try on the page; until then the session's
  ``payment_intent`` is null. A declined card leaves it
  ``requires_payment_method`` with a failed Charge.
- ``Idempotency-Key`` on POST: the same key with the same parameters on the
  same endpoint answers the first (successful) answer again, with
  ``Idempotent-Replayed: true``; with other parameters or another endpoint,
  Stripe's 400 ``idempotency_error``. Answers that are errors are not kept
  (a retry runs again), as Stripe keeps none for requests that failed
  validation.
- The payer's page at the session's ``url`` (``/c/pay/{id}``): Pay (card),
  Pay later (SEPA debit; EUR only: the session completes unpaid, the
  payment succeeds or fails later, see ``settle_async``), Decline (the page
  shows the card error, the session stays open), Cancel (back to
  ``cancel_url``). Paying sends the browser to ``success_url`` with
  ``{CHECKOUT_SESSION_ID}`` replaced.
- Webhooks (``stripe_webhooks``): the events in ``stripe_webhooks.EVENTS``,
  signed with ``Stripe-Signature`` for the endpoint secret
  ``webhook_secret``, posted to ``webhook_url`` one after the other in the
  order they happened, each retried until the listener answers 2xx.

Test hooks (Python, on the instance): ``webhook_url``, ``webhook_secret``,
``auto_events``, ``retry_seconds``, ``attempts``, ``pay(session, how)``,
``settle_async(session, succeeded)``, ``settle_refund(refund, succeeded)``,
``dispute(charge)``, ``close_dispute(dispute, won)``, ``expire(session)``,
``fail_next(operation, fault)``, ``send_event(type, object_id, ...)``,
``resend(event, ...)`` (copies, delay: out of order, stale: an old
signature timestamp, livemode), ``wait_for_deliveries(count)``; what
happened: ``objects``, ``events``, ``deliveries``, ``requests``.
"""

from html import escape
from http import HTTPStatus
from stripe_rules import no_such
from stripe_rules import StripeError
from stripe_webhooks import Delivery
from stripe_webhooks import Event
from urllib.parse import urlsplit

import argparse
import copy
import ipaddress
import json
import queue
import random
import re
import requests
import string
import stripe_rules as rules
import stripe_webhooks as webhooks
import threading
import time


API_VERSION = "2026-08-26.dahlia"  # what stripe 15.6.1 asks for
ROUTES = [
    (method, re.compile(pattern), name)
    for method, pattern, name in (
        ("POST", r"/v1/checkout/sessions", "create_session"),
        ("GET", r"/v1/checkout/sessions", "list_sessions"),
        ("GET", r"/v1/checkout/sessions/([^/]+)", "get_session"),
        ("GET", r"/v1/checkout/sessions/([^/]+)/line_items", "get_line_items"),
        ("POST", r"/v1/checkout/sessions/([^/]+)/expire", "expire_session"),
        ("GET", r"/v1/payment_intents/([^/]+)", "get_payment_intent"),
        ("GET", r"/v1/charges/([^/]+)", "get_charge"),
        ("POST", r"/v1/refunds", "create_refund"),
        ("GET", r"/v1/refunds/([^/]+)", "get_refund"),
        ("GET", r"/v1/events/([^/]+)", "get_event"),
        ("GET", r"/c/pay/([^/]+)", "payer_page"),
        ("POST", r"/c/pay/([^/]+)/([a-z]+)", "payer_action"),
    )
]
OPEN = ("payer_page", "payer_action")  # no secret key: the payer's browser
FAULTS = ("500", "hang")
CHOICES = (
    ("pay", "Pay"),
    ("sepa", "Pay later (SEPA debit)"),
    ("decline", "Decline"),
    ("cancel", "Cancel"),
)
SESSION_PARAMS = {
    "mode",
    "line_items",
    "client_reference_id",
    "metadata",
    "payment_intent_data",
    "customer_email",
    "success_url",
    "cancel_url",
    "expires_at",
    "currency",
    "locale",
    "payment_method_types",
    "submit_type",
    "expand",
    # Stripe's, taken and ignored by the simulator:
    "billing_address_collection",
    "customer_creation",
    "allow_promotion_codes",
    "phone_number_collection",
    "custom_text",
    "payment_method_options",
    "automatic_tax",
}
OBJECT_NAMES = {
    "cs_": "checkout.session",
    "pi_": "payment_intent",
    "ch_": "charge",
    "py_": "charge",
    "re_": "refund",
    "du_": "dispute",
    "evt_": "event",
}
PAYER = {"name": "Zoë Simulée", "email": "payer@example.com"}


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def page(body: str) -> str:
    """An HTML page of the simulator, labelled as what it is."""
    return (
        '<html><head><meta charset="utf-8"><title>Stripe simulator</title></head>'
        "<body><h1>Stripe simulator</h1>"
        "<p><strong>A development and test tool: no money moves.</strong></p>"
        f"{body}</body></html>"
    )


class Request:
    def __init__(self, method, path, headers, params, raw, args):
        self.method = method
        self.path = path
        self.headers = headers  # lower-case names
        self.params = params  # decoded form (POST) or query (GET)
        self.raw = raw
        self.args = args

    @property
    def expand(self) -> list[str]:
        value = self.params.get("expand", [])
        return value if isinstance(value, list) else [value]


class StripeSimulator:
    """Stripe's API for one test-mode account, in memory (a WSGI app)."""

    def __init__(self, seed: int | None = None):
        self.secret_key = "sk_test_simulator"
        self.webhook_secret = "whsec_simulator"
        self.api_version = API_VERSION
        self.base = ""  # set by serve(); else from the Host header
        self.auto_events = True  # send the events Stripe would send
        self.retry_seconds = 1.0  # Stripe backs off for up to 3 days
        self.attempts = 20
        self.hang_seconds = 5.0
        self.refunds_pending = False  # card refunds start "pending" too
        self._webhook_url = ""
        self.objects: dict[str, dict] = {}  # every resource, by id
        self.line_items: dict[str, list[dict]] = {}  # by session id
        self.intent_data: dict[str, dict] = {}  # payment_intent_data, by session
        self.replays: dict[str, tuple] = {}  # idempotency key -> answer
        self.faults: dict[str, list[str]] = {}
        self.events: list[Event] = []
        self.deliveries: list[Delivery] = []
        self.requests: list[tuple[str, str, int]] = []  # (method, path, status)
        self.lock = threading.RLock()
        self._outbox: queue.Queue | None = None
        self._random = random.Random(seed)

    # Configuration and test hooks

    @property
    def webhook_url(self) -> str:
        return self._webhook_url

    @webhook_url.setter
    def webhook_url(self, url: str) -> None:
        if url and not loopback(urlsplit(url).hostname or ""):
            raise ValueError(f"The simulator posts webhooks to loopback only: {url}")
        self._webhook_url = url

    def fail_next(self, operation: str, fault: str = "500", count: int = 1) -> None:
        """The next ``count`` calls of ``operation`` (a name in ROUTES, such as
        ``create_session`` or ``create_refund``) fail: ``500`` answers
        Stripe's 500 ``api_error`` and does nothing; ``hang`` does the work,
        keeps the answer for the idempotency key, then waits
        ``hang_seconds`` before answering (a client that gave up and retries
        with the same key gets the kept answer). The ``stripe`` library
        retries a 500 itself (``max_network_retries``, 2 for a StripeClient),
        so make ``count`` larger than its retries to see the failure."""
        if operation not in {name for _m, _p, name in ROUTES} or fault not in FAULTS:
            raise ValueError(f"No such operation or fault: {operation} {fault}")
        with self.lock:
            self.faults.setdefault(operation, []).extend([fault] * count)

    def pay(self, session_id: str, how: str = "pay") -> dict:
        """The payer on the page: ``pay`` (card), ``sepa`` or ``decline``."""
        with self.lock:
            session = self._open_session(session_id)
            if how == "sepa" and session["currency"] != "eur":
                raise StripeError(400, "SEPA Direct Debit takes EUR only.")
            intent = self._intent_for(session)
            if how == "decline":
                charge = self._charge(intent, "card", "failed")
                intent["last_payment_error"] = {
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": "generic_decline",
                    "message": "Your card was declined.",
                    "charge": charge["id"],
                }
                intent["status"] = "requires_payment_method"
                return session
            method = "sepa_debit" if how == "sepa" else "card"
            settled = method == "card"
            self._charge(intent, method, "succeeded" if settled else "pending")
            intent["status"] = "succeeded" if settled else "processing"
            intent["amount_received"] = intent["amount"] if settled else 0
            intent["last_payment_error"] = None
            intent["payment_method_types"] = [method]
            session.update(
                status="complete",
                payment_status="paid" if settled else "unpaid",
                url=None,
                customer_details={
                    "email": session["customer_email"] or PAYER["email"],
                    "name": PAYER["name"],
                    "phone": None,
                    "address": None,
                    "tax_exempt": "none",
                    "tax_ids": [],
                },
            )
            self._auto("checkout.session.completed", session)
            return session

    def settle_async(self, session_id: str, succeeded: bool = True) -> dict:
        """A delayed payment (SEPA debit) succeeds or fails, days later."""
        with self.lock:
            session = self._get("cs_", session_id)
            intent = self.objects.get(session["payment_intent"] or "")
            if not intent or intent["status"] != "processing":
                raise ValueError(f"Session {session_id} has no payment pending.")
            charge = self.objects[intent["latest_charge"]]
            if succeeded:
                charge.update(status="succeeded", paid=True)
                intent.update(status="succeeded", amount_received=intent["amount"])
                session["payment_status"] = "paid"
                self._auto("checkout.session.async_payment_succeeded", session)
            else:
                charge.update(
                    status="failed",
                    paid=False,
                    failure_code="insufficient_funds",
                    failure_message="The account has insufficient funds.",
                )
                intent.update(
                    status="requires_payment_method",
                    last_payment_error={
                        "type": "invalid_request_error",
                        "code": "payment_method_unactivated",
                        "message": "The debit was returned: insufficient funds.",
                    },
                )
                self._auto("checkout.session.async_payment_failed", session)
            return session

    def expire(self, session_id: str) -> dict:
        """Stripe expires an open session (as at its ``expires_at``)."""
        with self.lock:
            return self._expire(self._open_session(session_id))

    def settle_refund(self, refund_id: str, succeeded: bool = True) -> dict:
        """A pending refund succeeds, or fails (the money stays with the shop)."""
        with self.lock:
            refund = self._get("re_", refund_id)
            if refund["status"] != "pending":
                raise ValueError(f"Refund {refund_id} is {refund['status']}.")
            if succeeded:
                refund["status"] = "succeeded"
                self._auto("refund.updated", refund, {"status": "pending"})
                return refund
            refund.update(status="failed", failure_reason="expired_or_canceled_card")
            charge = self.objects[refund["charge"]]
            charge["amount_refunded"] -= refund["amount"]
            charge["refunded"] = False
            self._auto("refund.updated", refund, {"status": "pending"})
            self._auto("refund.failed", refund)
            return refund

    def dispute(self, charge_id: str, reason: str = "fraudulent") -> dict:
        """The payer's bank disputes a charge (a chargeback)."""
        with self.lock:
            charge = self._get("ch_", charge_id)
            dispute = {
                "id": self._id("du_"),
                "object": "dispute",
                "amount": charge["amount"] - charge["amount_refunded"],
                "balance_transactions": [],
                "charge": charge["id"],
                "created": int(time.time()),
                "currency": charge["currency"],
                "evidence_details": {
                    "due_by": int(time.time()) + 7 * 86400,
                    "has_evidence": False,
                    "past_due": False,
                    "submission_count": 0,
                },
                "is_charge_refundable": False,
                "livemode": False,
                "metadata": {},
                "payment_intent": charge["payment_intent"],
                "reason": reason,
                "status": "needs_response",
            }
            self.objects[dispute["id"]] = dispute
            charge["disputed"] = True
            self._auto("charge.dispute.created", dispute)
            return dispute

    def close_dispute(self, dispute_id: str, won: bool = False) -> dict:
        with self.lock:
            dispute = self._get("du_", dispute_id)
            dispute["status"] = "won" if won else "lost"
            self._auto("charge.dispute.closed", dispute)
            return dispute

    def send_event(
        self,
        event_type: str,
        object_id: str,
        copies: int = 1,
        delay: float = 0.0,
        stale: int = 0,
        livemode: bool = False,
    ) -> Event:
        """Send ``event_type`` about the object ``object_id`` as it is now:
        ``copies`` deliveries of one event, after ``delay`` seconds (others
        go on meanwhile: out of order), signed ``stale`` seconds in the past
        (past the library's 300-second tolerance, it is refused), with
        ``livemode`` as given."""
        with self.lock:
            resource = self._get(object_id[: object_id.index("_") + 1], object_id)
            return self._emit(
                event_type, resource, None, copies, delay, stale, livemode
            )

    def resend(
        self, event: Event, copies: int = 1, delay: float = 0.0, stale: int = 0
    ) -> None:
        """Deliver an event again: the same id and body, a new signature."""
        self._deliver(event, copies, delay, stale)

    def wait_for_deliveries(self, count: int, timeout: float = 10.0) -> list[Delivery]:
        deadline = time.monotonic() + timeout
        while len(self.deliveries) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.deliveries)

    def signature_header(self, body: bytes, timestamp: int | None = None) -> str:
        """A ``Stripe-Signature`` for ``body`` (tests forge and tamper with it)."""
        moment = int(time.time()) if timestamp is None else timestamp
        return webhooks.header(self.webhook_secret, moment, body)

    # WSGI

    def __call__(self, environ, start_response):
        if not loopback(environ.get("REMOTE_ADDR", "")):
            return self._reply(start_response, 403, "Loopback clients only.")
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        for verb, pattern, name in ROUTES:  # noqa: B007 (name is used after)
            match = pattern.fullmatch(path)
            if match and verb == method:
                break
        else:
            return self._answer(
                start_response,
                method,
                path,
                StripeError(
                    404,
                    f"Unrecognized request URL ({method}: {path}). Please see "
                    "https://stripe.com/docs or we can help at "
                    "https://support.stripe.com/.",
                ),
            )
        if not self.base:
            self.base = f"{environ['wsgi.url_scheme']}://{environ['HTTP_HOST']}"
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            source = raw.decode() if method == "POST" else environ.get("QUERY_STRING")
            params = rules.decode_form(source or "")
        except (StripeError, UnicodeDecodeError) as error:
            return self._answer(start_response, method, path, _error(error))
        request = Request(method, path, headers, params, raw, match.groups())
        if name in OPEN:
            with self.lock:
                status, answer, *extra = getattr(self, "_" + name)(request)
            return self._reply(start_response, status, answer, *extra)
        return self._api(start_response, name, request)

    def _api(self, start_response, name: str, request: Request):
        key = self._authorize(request.headers.get("authorization", ""))
        if key is not None:
            return self._answer(start_response, request.method, request.path, key)
        fault = self._fault(name)
        if fault == "500":
            return self._answer(
                start_response,
                request.method,
                request.path,
                StripeError(
                    500,
                    "An unknown error occurred (simulated by the Stripe simulator).",
                    type="api_error",
                ),
            )
        idempotency = request.headers.get("idempotency-key", "")
        with self.lock:
            if request.method == "POST" and idempotency:
                kept = self.replays.get(idempotency)
                if kept is not None:
                    answer = self._replay(kept, idempotency, request)
                    return self._answer(
                        start_response, request.method, request.path, *answer
                    )
            try:
                status, answer = getattr(self, "_" + name)(request)
            except StripeError as error:
                status, answer = error.status, error
            if request.method == "POST" and idempotency and status < 400:
                self.replays[idempotency] = (
                    request.path,
                    request.params,
                    status,
                    answer,
                )
        if fault == "hang":
            time.sleep(self.hang_seconds)
        return self._answer(
            start_response,
            request.method,
            request.path,
            answer,
            status,
            ("Idempotency-Key", idempotency) if idempotency else None,
        )

    def _replay(self, kept: tuple, key: str, request: Request):
        path, params, status, answer = kept
        if path != request.path:
            return (
                StripeError(
                    400,
                    "Keys for idempotent requests can only be used for the same "
                    f"endpoint they were first used for ('{path}' vs "
                    f"'{request.path}'). Try using a key other than '{key}' if "
                    "you meant to execute a different request.",
                    type="idempotency_error",
                ),
            )
        if params != request.params:
            return (
                StripeError(
                    400,
                    "Keys for idempotent requests can only be used with the same "
                    "parameters they were first used with. Try using a key other "
                    f"than '{key}' if you meant to execute a different request.",
                    type="idempotency_error",
                ),
            )
        return (answer, status, ("Idempotent-Replayed", "true"))

    def _answer(self, start_response, method, path, answer, status=None, *headers):
        request_id = self._id("req_", 14)
        if isinstance(answer, StripeError):
            status, answer = answer.status, answer.body(request_id)
        with self.lock:
            self.requests.append((method, path, status))
        return self._reply(
            start_response,
            status,
            answer,
            ("Request-Id", request_id),
            ("Stripe-Version", self.api_version),
            *(header for header in headers if header),
        )

    def _reply(self, start_response, status: int, answer, *headers):
        if isinstance(answer, str):
            data, content_type = answer.encode("utf-8"), "text/html; charset=utf-8"
        else:
            data = json.dumps(answer, indent=2, ensure_ascii=False).encode("utf-8")
            content_type = "application/json"
        start_response(
            f"{status} {HTTPStatus(status).phrase}",
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(data))),
                ("X-Simulator", "Stripe simulator, a development tool: no money moves"),
                *headers,
            ],
        )
        return [data]

    def _authorize(self, authorization: str) -> StripeError | None:
        scheme, _space, given = authorization.partition(" ")
        if scheme == "Basic":
            from base64 import b64decode

            try:
                given = b64decode(given).decode().partition(":")[0]
            except ValueError:
                given = ""
        elif scheme != "Bearer":
            given = ""
        if not given:
            return StripeError(
                401,
                "You did not provide an API key. You need to provide your API "
                "key in the Authorization header, using Bearer auth (e.g. "
                "'Authorization: Bearer YOUR_SECRET_KEY'). See "
                "https://stripe.com/docs/api#authentication for details, or we "
                "can help at https://support.stripe.com/.",
            )
        if given != self.secret_key:
            hidden = (
                given[:8] + "*" * (len(given) - 12) + given[-4:]
                if len(given) > 12
                else "*" * len(given)
            )
            return StripeError(401, f"Invalid API Key provided: {hidden}")
        return None

    def _fault(self, name: str) -> str:
        with self.lock:
            queued = self.faults.get(name)
            return queued.pop(0) if queued else ""

    # Ids and objects

    def _id(self, prefix: str, length: int = 24) -> str:
        alphabet = string.ascii_letters + string.digits
        with self.lock:
            tail = "".join(self._random.choice(alphabet) for _ in range(length))
        if prefix in ("cs_", "pi_", "ch_", "py_", "re_", "du_", "evt_"):
            return f"{prefix}{'test_' if prefix == 'cs_' else ''}{tail}"
        return prefix + tail

    def _get(self, prefix: str, object_id: str, param: str = "id") -> dict:
        found = self.objects.get(object_id)
        kinds = {prefix, "py_"} if prefix == "ch_" else {prefix}
        if found is None or not any(object_id.startswith(k) for k in kinds):
            raise no_such(OBJECT_NAMES.get(prefix, "object"), object_id, param)
        if prefix == "cs_":
            self._lapse(found)
        return found

    def _lapse(self, session: dict) -> None:
        """An open session past its ``expires_at`` expires (Stripe does it
        within minutes; the simulator when it is next looked at)."""
        if session["status"] == "open" and time.time() >= session["expires_at"]:
            self._expire(session)

    def _json(self, resource: dict, expand: list[str]) -> dict:
        """A copy of ``resource`` with the ids at ``expand`` (dotted paths)
        replaced by their objects, as Stripe's ``expand[]`` does."""
        answer = copy.deepcopy(resource)
        for path in expand:
            head, _dot, rest = path.partition(".")
            if head == "line_items" and answer.get("object") == "checkout.session":
                answer["line_items"] = self._line_items_list(answer["id"])
                continue
            value = answer.get(head)
            if isinstance(value, str) and value in self.objects:
                answer[head] = self._json(self.objects[value], [rest] if rest else [])
            elif isinstance(value, dict) and rest:
                answer[head] = self._json(value, [rest])
            elif head not in answer:
                raise StripeError(
                    400,
                    f"This property cannot be expanded ({head}).",
                    param="expand",
                )
        return answer

    def _line_items_list(self, session_id: str) -> dict:
        return {
            "object": "list",
            "data": copy.deepcopy(self.line_items[session_id]),
            "has_more": False,
            "url": f"/v1/checkout/sessions/{session_id}/line_items",
        }

    # Checkout Sessions

    def _create_session(self, request: Request):
        params = request.params
        rules.known(params, SESSION_PARAMS)
        if "mode" not in params:
            raise rules.missing("mode")
        rules.choice(params["mode"], "mode", ("payment", "setup", "subscription"))
        if params["mode"] != "payment":
            raise StripeError(
                400,
                "The Stripe simulator takes mode=payment only.",
                "parameter_invalid_string",
                "mode",
            )
        success_url = rules.url(params.get("success_url", ""), "success_url")
        cancel_url = (
            rules.url(params["cancel_url"], "cancel_url")
            if params.get("cancel_url")
            else None
        )
        currency, items = self._items(params.get("line_items"))
        if rules.currency(params.get("currency", currency), "currency") != currency:
            raise StripeError(
                400,
                "The currency must be the currency of the line items.",
                param="currency",
            )
        amount = rules.total(sum(item["amount_total"] for item in items), currency)
        created = int(time.time())
        expires_at = rules.expires_at(params.get("expires_at"), created)
        intent_data = rules.intent_data(params.get("payment_intent_data", {}))
        email = rules.email(params.get("customer_email"), "customer_email")
        reference = params.get("client_reference_id")
        if reference is not None:
            rules.string(reference, "client_reference_id", 200)
        methods = params.get(
            "payment_method_types",
            ["card", "sepa_debit"] if currency == "eur" else ["card"],
        )
        session_id = self._id("cs_", 58)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": amount,
            "amount_total": amount,
            "cancel_url": cancel_url,
            "client_reference_id": reference,
            "created": created,
            "currency": currency,
            "customer": None,
            "customer_details": None,
            "customer_email": email,
            "expires_at": expires_at,
            "livemode": False,
            "locale": params.get("locale"),
            "metadata": rules.metadata(params.get("metadata")),
            "mode": "payment",
            "payment_intent": None,
            "payment_method_types": methods,
            "payment_status": "unpaid",
            "status": "open",
            "submit_type": params.get("submit_type"),
            "success_url": success_url,
            "ui_mode": "hosted",
            "url": f"{self.base}/c/pay/{session_id}",
        }
        self.objects[session_id] = session
        self.line_items[session_id] = items
        self.intent_data[session_id] = intent_data
        return 200, self._json(session, request.expand)

    def _items(self, line_items) -> tuple[str, list[dict]]:
        if not line_items:
            raise rules.missing("line_items")
        if not isinstance(line_items, list):
            raise StripeError(
                400, "Invalid array", "parameter_invalid_array", "line_items"
            )
        items = [self._item(index, item) for index, item in enumerate(line_items)]
        currency = items[0]["currency"]
        for index, item in enumerate(items):
            if item["currency"] != currency:
                raise StripeError(
                    400,
                    "Checkout does not support multiple currencies in one session: "
                    f"{currency} and {item['currency']}.",
                    param=f"line_items[{index}][price_data][currency]",
                )
        return currency, items

    def _item(self, index: int, item) -> dict:
        code, unit, quantity, name = rules.line_item(index, item)
        return {
            "id": self._id("li_"),
            "object": "item",
            "amount_discount": 0,
            "amount_subtotal": unit * quantity,
            "amount_tax": 0,
            "amount_total": unit * quantity,
            "currency": code,
            "description": name,
            "price": {
                "id": self._id("price_"),
                "object": "price",
                "active": False,
                "currency": code,
                "product": self._id("prod_", 14),
                "type": "one_time",
                "unit_amount": unit,
                "unit_amount_decimal": str(unit),
            },
            "quantity": quantity,
        }

    def _get_session(self, request: Request):
        return 200, self._json(self._get("cs_", request.args[0]), request.expand)

    def _get_line_items(self, request: Request):
        session = self._get("cs_", request.args[0])
        return 200, self._line_items_list(session["id"])

    def _list_sessions(self, request: Request):
        intent = request.params.get("payment_intent")
        found = [
            self._json(o, request.expand)
            for o in self.objects.values()
            if o["object"] == "checkout.session"
            and (intent is None or o["payment_intent"] == intent)
        ]
        found.sort(key=lambda o: o["created"], reverse=True)
        return 200, {
            "object": "list",
            "data": found,
            "has_more": False,
            "url": "/v1/checkout/sessions",
        }

    def _expire_session(self, request: Request):
        session = self._get("cs_", request.args[0], "session")
        if session["status"] != "open":
            raise StripeError(
                400,
                'Only Checkout Sessions with a status in ["open"] can be expired.',
                param="session",
            )
        return 200, self._json(self._expire(session), request.expand)

    def _open_session(self, session_id: str) -> dict:
        session = self._get("cs_", session_id)
        if session["status"] != "open":
            raise ValueError(f"Session {session_id} is {session['status']}.")
        return session

    def _expire(self, session: dict) -> dict:
        session.update(status="expired", url=None)
        intent = self.objects.get(session["payment_intent"] or "")
        if intent and intent["status"] == "requires_payment_method":
            intent.update(status="canceled", canceled_at=int(time.time()))
        self._auto("checkout.session.expired", session)
        return session

    # PaymentIntents and charges

    def _intent_for(self, session: dict) -> dict:
        if session["payment_intent"]:
            return self.objects[session["payment_intent"]]
        data = self.intent_data[session["id"]]
        intent_id = self._id("pi_")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": session["amount_total"],
            "amount_capturable": 0,
            "amount_received": 0,
            "canceled_at": None,
            "capture_method": "automatic_async",
            "client_secret": f"{intent_id}_secret_{self._id('', 25)}",
            "created": int(time.time()),
            "currency": session["currency"],
            "customer": None,
            "description": data["description"],
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": copy.deepcopy(data["metadata"]),
            "payment_method_types": session["payment_method_types"],
            "receipt_email": data["receipt_email"],
            "status": "requires_payment_method",
        }
        self.objects[intent_id] = intent
        session["payment_intent"] = intent_id
        return intent

    def _charge(self, intent: dict, method: str, status: str) -> dict:
        charge_id = self._id("py_" if method == "sepa_debit" else "ch_")
        failed = status == "failed"
        details = (
            {"type": "card", "card": {"brand": "visa", "last4": "4242"}}
            if method == "card"
            else {"type": "sepa_debit", "sepa_debit": {"last4": "3000"}}
        )
        charge = {
            "id": charge_id,
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": 0 if failed else intent["amount"],
            "amount_refunded": 0,
            "balance_transaction": None if failed else self._id("txn_"),
            "captured": not failed,
            "created": int(time.time()),
            "currency": intent["currency"],
            "disputed": False,
            "failure_code": "card_declined" if failed else None,
            "failure_message": "Your card was declined." if failed else None,
            "livemode": False,
            "metadata": {},
            "outcome": {
                "network_status": "declined_by_network"
                if failed
                else "approved_by_network",
                "type": "issuer_declined" if failed else "authorized",
            },
            "paid": status == "succeeded",
            "payment_intent": intent["id"],
            "payment_method_details": details,
            "refunded": False,
            "status": status,
        }
        self.objects[charge_id] = charge
        intent["latest_charge"] = charge_id
        return charge

    def _get_payment_intent(self, request: Request):
        return 200, self._json(self._get("pi_", request.args[0]), request.expand)

    def _get_charge(self, request: Request):
        return 200, self._json(
            self._get("ch_", request.args[0], "charge"), request.expand
        )

    # Refunds

    def _create_refund(self, request: Request):
        params = request.params
        rules.known(
            params,
            ("payment_intent", "charge", "amount", "reason", "metadata", "expand"),
        )
        charge = self._refundable(params)
        remaining = charge["amount"] - charge["amount_refunded"]
        if remaining <= 0:
            raise StripeError(
                400,
                f"Charge {charge['id']} has already been refunded.",
                "charge_already_refunded",
                "charge",
            )
        amount = remaining
        if "amount" in params:
            amount = rules.integer(params["amount"], "amount", 1)
            if amount > remaining:
                code = charge["currency"]
                raise StripeError(
                    400,
                    f"Refund amount ({rules.shown(amount, code)}) is greater than "
                    f"unrefunded amount on charge ({rules.shown(remaining, code)})",
                    "amount_too_large",
                    "amount",
                )
        reason = params.get("reason")
        if reason is not None:
            rules.choice(
                reason, "reason", ("duplicate", "fraudulent", "requested_by_customer")
            )
        pending = self.refunds_pending or charge["id"].startswith("py_")
        refund = {
            "id": self._id("re_"),
            "object": "refund",
            "amount": amount,
            "balance_transaction": self._id("txn_"),
            "charge": charge["id"],
            "created": int(time.time()),
            "currency": charge["currency"],
            "failure_reason": None,
            "metadata": rules.metadata(params.get("metadata")),
            "payment_intent": charge["payment_intent"],
            "reason": reason,
            "receipt_number": None,
            "status": "pending" if pending else "succeeded",
        }
        self.objects[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        self._auto("refund.created", refund)
        self._auto("charge.refunded", charge)
        return 200, self._json(refund, request.expand)

    def _refundable(self, params: dict) -> dict:
        """The charge a refund asks for, if it can be refunded at all."""
        if "charge" in params and "payment_intent" in params:
            raise StripeError(
                400,
                "You cannot specify both charge and payment_intent.",
                param="payment_intent",
            )
        if "charge" in params:
            charge = self._get("ch_", params["charge"], "charge")
        elif "payment_intent" in params:
            intent = self._get("pi_", params["payment_intent"], "payment_intent")
            charge = self.objects.get(intent["latest_charge"] or "")
            if charge is None or charge["status"] != "succeeded":
                raise StripeError(
                    400,
                    f"This PaymentIntent ({intent['id']}) does not have a "
                    "successful charge to refund.",
                    "charge_not_refundable",
                    "payment_intent",
                )
        else:
            raise StripeError(
                400,
                "One of the following params should be provided for this "
                "request: payment_intent or charge.",
                "parameter_missing",
            )
        if charge["status"] != "succeeded":
            raise StripeError(
                400,
                f"Charge {charge['id']} is {charge['status']}: nothing to refund.",
                "charge_not_refundable",
                "charge",
            )
        if charge["disputed"]:
            raise StripeError(
                400,
                f"Charge {charge['id']} has been charged back; cannot issue a refund.",
                "charge_disputed",
                "charge",
            )
        return charge

    def _get_refund(self, request: Request):
        return 200, self._json(self._get("re_", request.args[0]), request.expand)

    def _get_event(self, request: Request):
        for event in self.events:
            if event.id == request.args[0]:
                return 200, event.data
        raise no_such("event", request.args[0])

    # The payer's page

    def _payer_page(self, request: Request, error: str = ""):
        session = self.objects.get(request.args[0])
        if session is None or not session["id"].startswith("cs_"):
            return 404, page("<p>No such Checkout Session.</p>")
        self._lapse(session)
        if session["status"] != "open":
            return 409, page(
                f"<p>This Checkout Session is {escape(session['status'])}.</p>"
            )
        rows = "".join(
            f"<tr><td>{escape(item['description'])}</td>"
            f"<td>{item['quantity']} × "
            f"{rules.shown(item['price']['unit_amount'], item['currency'])}</td></tr>"
            for item in self.line_items[session["id"]]
        )
        buttons = "".join(
            f'<form method="post" action="/c/pay/{session["id"]}/{action}">'
            f'<button type="submit" name="{action}">{escape(label)}</button></form>'
            for action, label in CHOICES
            if action != "sepa" or session["currency"] == "eur"
            if action != "cancel" or session["cancel_url"]
        )
        shown_error = f'<p role="alert">{escape(error)}</p>' if error else ""
        return (402 if error else 200), page(
            f"<p>{escape(session['client_reference_id'] or '')} "
            f"{escape(session['customer_email'] or '')}</p>"
            f"<table>{rows}</table>"
            f"<p>Total: {rules.shown(session['amount_total'], session['currency'])}</p>"
            f"{shown_error}{buttons}"
        )

    def _payer_action(self, request: Request):
        session_id, action = request.args
        session = self.objects.get(session_id)
        if session is None or action not in dict(CHOICES):
            return 404, page("<p>No such Checkout Session or choice.</p>")
        if action == "cancel":
            if not session["cancel_url"]:
                return 404, page("<p>This session has no cancel_url.</p>")
            return 302, None, ("Location", session["cancel_url"])
        try:
            self.pay(session_id, action)
        except (ValueError, StripeError) as error:
            return 409, page(f"<p>{escape(str(error))}</p>")
        if action == "decline":
            intent = self.objects[session["payment_intent"]]
            return self._payer_page(request, intent["last_payment_error"]["message"])
        target = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
        return 302, None, ("Location", target)

    # Webhooks

    def _auto(self, event_type: str, resource: dict, previous: dict | None = None):
        if self.auto_events:
            self._emit(event_type, resource, previous)

    def _emit(
        self,
        event_type: str,
        resource: dict,
        previous: dict | None = None,
        copies: int = 1,
        delay: float = 0.0,
        stale: int = 0,
        livemode: bool = False,
    ) -> Event:
        event_id = self._id("evt_")
        resource = copy.deepcopy(resource)
        if livemode:
            resource["livemode"] = True
        body = webhooks.envelope(
            event_id,
            event_type,
            resource,
            int(time.time()),
            self.api_version,
            livemode,
            previous,
        )
        event = Event(event_id, event_type, body)
        self.events.append(event)
        self._deliver(event, copies, delay, stale)
        return event

    def _deliver(self, event: Event, copies: int, delay: float, stale: int) -> None:
        """Events go out one after the other, in the order they happened, so
        tests are repeatable; a ``delay`` sends one on its own, late."""
        url = self.webhook_url
        if not url:
            return
        if delay:
            threading.Thread(
                target=self._post, args=(url, event, copies, delay, stale), daemon=True
            ).start()
            return
        with self.lock:
            if self._outbox is None:
                self._outbox = queue.Queue()
                threading.Thread(target=self._send_queued, daemon=True).start()
            self._outbox.put((url, event, copies, stale))

    def _send_queued(self) -> None:
        while True:
            url, event, copies, stale = self._outbox.get()
            self._post(url, event, copies, 0.0, stale)

    def _post(self, url: str, event: Event, copies: int, delay: float, stale: int):
        """POST until the listener answers 2xx, as Stripe does (it backs off
        for up to three days); each try signed with its own timestamp."""
        time.sleep(delay)
        for _copy in range(copies):
            for _attempt in range(self.attempts):
                headers = {
                    "Content-Type": "application/json; charset=utf-8",
                    "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
                    " simulator",
                    "Stripe-Signature": self.signature_header(
                        event.body, int(time.time()) - stale
                    ),
                }
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


def _error(error: Exception) -> StripeError:
    if isinstance(error, StripeError):
        return error
    return StripeError(400, "The request body is not valid UTF-8 form data.")


def serve(port: int, host: str = "127.0.0.1"):
    """Start the simulator in a thread: (simulator, server, base URL)."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import make_server
    from wsgiref.simple_server import WSGIRequestHandler
    from wsgiref.simple_server import WSGIServer

    class ThreadingServer(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    simulator = StripeSimulator()
    server = make_server(host, port, simulator, ThreadingServer, Quiet)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    simulator.base = f"http://{host}:{server.server_port}"
    return simulator, server, simulator.base


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8083)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--secret-key", default="sk_test_simulator")
    parser.add_argument("--webhook-secret", default="whsec_simulator")
    parser.add_argument("--webhook-url", default="", help="a loopback listener")
    args = parser.parse_args()
    if not loopback(args.host):
        parser.error("The simulator serves loopback only.")
    simulator, server, url = serve(args.port, args.host)
    simulator.secret_key = args.secret_key
    simulator.webhook_secret = args.webhook_secret
    simulator.webhook_url = args.webhook_url
    print(
        f"Stripe simulator (development only) on {url}, secret key "
        f"{args.secret_key}, webhook secret {args.webhook_secret}"
        + (f", webhooks to {args.webhook_url}" if args.webhook_url else ""),
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
