"""A small client for PayPal's REST API: Checkout Orders v2, captures,
refunds and webhook verification.

Our own, on ``requests``, rather than PayPal's ``paypal-server-sdk``: the
SDK can't verify webhooks, has no option for another base URL (our
simulator), writes ``Decimal`` amounts as ``null``, does not fetch a new
token after a 401, sends no ``PayPal-Request-Id`` of its own, and would add
seven packages we don't pin (docs/paypal-checkout.rst).

Every call has a timeout. ``PayPalError`` means PayPal refused,
``PayPalUnavailable`` try again later (``errors``).
"""

from collections.abc import Mapping
from decimal import Decimal
from getpaid.orders.payments.paypal_checkout import amounts
from getpaid.orders.payments.paypal_checkout.errors import InvalidWebhook
from getpaid.orders.payments.paypal_checkout.errors import PayPalError
from getpaid.orders.payments.paypal_checkout.errors import PayPalUnavailable
from getpaid.orders.payments.paypal_checkout.tokens import TokenCache
from getpaid.orders.payments.paypal_checkout.tokens import TOKENS
from urllib.parse import quote

import hashlib
import json
import re
import requests


SANDBOX = "https://api-m.sandbox.paypal.com"
LIVE = "https://api-m.paypal.com"
# (connect, read) seconds. PayPal answers in about a second; a capture can
# take several. A request that takes longer is better retried later (with
# the same request id) than left to hold a Zope thread.
TIMEOUT = (5.0, 30.0)
USER_AGENT = "getpaid.orders PayPal Checkout client"
REPRESENTATION = {"Prefer": "return=representation"}
OPERATION = re.compile(r"[a-z][a-z_]{0,29}")  # PayPal takes ids of 108 at most
WEBHOOK_HEADERS = (
    ("auth_algo", "paypal-auth-algo"),
    ("cert_url", "paypal-cert-url"),
    ("transmission_id", "paypal-transmission-id"),
    ("transmission_sig", "paypal-transmission-sig"),
    ("transmission_time", "paypal-transmission-time"),
)


def base_url(where: str) -> str:
    """PayPal's API for ``sandbox`` or ``live``, or ``where`` itself when it
    is an http(s) URL (the simulator)."""
    urls = {"sandbox": SANDBOX, "live": LIVE}
    if where in urls:
        return urls[where]
    if where.startswith(("https://", "http://")):
        return where.rstrip("/")
    raise ValueError(f"Neither sandbox, live nor an http(s) URL: {where!r}")


def request_id(operation: str, *parts: str) -> str:
    """A PayPal-Request-Id that is the same whenever its parts are.

    Zope runs a whole request again after a ConflictError: a random id
    would then create or capture a second time, where the same id makes
    PayPal answer with what the first call did. Make the parts say what
    makes the call new: ``request_id("capture", attempt_uid, paypal_order_id)``;
    for a create, add a digest of what is sent (PayPal gives back the first
    order for a reused id, even with another amount); for refunds, the
    refund's own id (two genuine refunds of 5.00 are two refunds).
    """
    if not OPERATION.fullmatch(operation):
        raise ValueError(f"An operation is a short word: {operation!r}")
    encoded = json.dumps([operation, *map(str, parts)]).encode()
    return f"getpaid-{operation}-{hashlib.sha256(encoded).hexdigest()}"


def encode(body: dict) -> bytes:
    """JSON for PayPal. Floats and Decimals are refused (TypeError):
    amounts go as strings with PayPal's decimals (``amounts.money``)."""

    def refuse(value):
        raise TypeError(
            f"{value!r} in a PayPal request: send amounts with amounts.money()."
        )

    def check(value):
        if isinstance(value, float):
            refuse(value)
        if isinstance(value, dict):
            for item in value.values():
                check(item)
        if isinstance(value, list | tuple):
            for item in value:
                check(item)

    check(body)
    return json.dumps(body, ensure_ascii=False, default=refuse).encode("utf-8")


class Client:
    """PayPal's REST API for one app (client id and secret).

    Cheap to make: the token lives in a per-process cache (``tokens``),
    not in the client.
    """

    def __init__(
        self,
        client_id: str,
        secret: str,
        where: str = "sandbox",
        *,
        timeout: tuple[float, float] = TIMEOUT,
        tokens: TokenCache = TOKENS,
    ):
        self.base = base_url(where)
        self.client_id = client_id
        self._secret = secret
        self.timeout = timeout
        self.tokens = tokens
        self._key = tokens.key(self.base, client_id, secret)

    def __repr__(self) -> str:
        return f"<Client {self.client_id} at {self.base}>"

    # Orders

    def create_order(self, body: dict, *, request_id: str) -> dict:
        """POST /v2/checkout/orders. Amounts in ``body`` are Money objects
        from ``amounts.money``. Answers the whole order; the payer goes to
        its ``payer-action`` (or ``approve``) link."""
        return self._call(
            "POST",
            "/v2/checkout/orders",
            encode(body),
            {"PayPal-Request-Id": request_id, **REPRESENTATION},
        )

    def get_order(self, order_id: str) -> dict:
        return self._call("GET", f"/v2/checkout/orders/{quote(order_id, safe='')}")

    def capture_order(self, order_id: str, *, request_id: str) -> dict:
        """POST …/capture: the order with its capture in
        ``purchase_units[0].payments.captures[0]``. Check that capture's
        ``status``: PENDING is not paid yet."""
        return self._call(
            "POST",
            f"/v2/checkout/orders/{quote(order_id, safe='')}/capture",
            b"{}",
            {"PayPal-Request-Id": request_id, **REPRESENTATION},
        )

    # Captures and refunds

    def get_capture(self, capture_id: str) -> dict:
        return self._call("GET", f"/v2/payments/captures/{quote(capture_id, safe='')}")

    def get_refund(self, refund_id: str) -> dict:
        return self._call("GET", f"/v2/payments/refunds/{quote(refund_id, safe='')}")

    def refund_capture(
        self,
        capture_id: str,
        *,
        request_id: str,
        amount: Decimal | None = None,
        currency: str = "",
        note_to_payer: str = "",
        custom_id: str = "",
    ) -> dict:
        """Refund ``amount`` (a Decimal, in the capture's ``currency``), or
        all that remains of the capture when ``amount`` is None.

        No ``invoice_id`` is sent: PayPal refuses one already used by an
        earlier refund (DUPLICATE_INVOICE_ID), so a second partial refund
        carrying the order's invoice id would fail.
        """
        body: dict = {}
        if amount is not None:
            body["amount"] = amounts.money(amount, currency)
        if note_to_payer:
            body["note_to_payer"] = note_to_payer
        if custom_id:
            body["custom_id"] = custom_id
        return self._call(
            "POST",
            f"/v2/payments/captures/{quote(capture_id, safe='')}/refund",
            encode(body),
            {"PayPal-Request-Id": request_id, **REPRESENTATION},
        )

    # Webhooks

    def verify_webhook_signature(
        self, headers: Mapping[str, str], raw_body: bytes, webhook_id: str
    ) -> bool:
        """Whether PayPal says it sent this delivery (SUCCESS).

        ``headers`` are the delivery's (any case), ``raw_body`` its body
        exactly as received. PayPal checks the event against what it
        signed, byte for byte: the body goes into the verification request
        as it came, never decoded and encoded again (that changes spacing,
        escapes and numbers such as 1.10, and PayPal then answers FAILURE).
        InvalidWebhook when a header is missing or the body is no JSON
        object in UTF-8 (no need to ask PayPal).
        """
        given = {str(name).lower(): value for name, value in headers.items()}
        fields = {}
        for field, header in WEBHOOK_HEADERS:
            if not given.get(header):
                raise InvalidWebhook(f"The {header} header is missing.")
            fields[field] = str(given[header])
        fields["webhook_id"] = webhook_id
        try:
            event = json.loads(raw_body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise InvalidWebhook("The body is not JSON in UTF-8.") from None
        if not isinstance(event, dict):
            raise InvalidWebhook("The body is not a JSON object.")
        head = json.dumps(fields, ensure_ascii=False).encode("utf-8")
        payload = head[:-1] + b',"webhook_event":' + raw_body + b"}"
        answer = self._call(
            "POST", "/v1/notifications/verify-webhook-signature", payload
        )
        return answer.get("verification_status") == "SUCCESS"

    # HTTP

    def _call(
        self, method: str, path: str, body: bytes | None = None, headers=None
    ) -> dict:
        """One API call with the cached token; after a 401, once more with
        a new token (PayPal may end a token before its time), then fail."""
        for attempt in (1, 2):
            token = self.tokens.get(self._key, self._fetch_token)
            response = self._send(
                method,
                path,
                body,
                {
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    **(headers or {}),
                },
            )
            if response.status_code != 401 or attempt == 2:
                return self._answer(response)
            self.tokens.discard(self._key, token)
        raise AssertionError("unreachable")  # pragma: no cover

    def _fetch_token(self) -> tuple[str, float]:
        response = self._send(
            "POST",
            "/v1/oauth2/token",
            b"grant_type=client_credentials",
            {"Content-Type": "application/x-www-form-urlencoded"},
            auth=(self.client_id, self._secret),
        )
        answer = self._answer(response)
        token, lasts = answer.get("access_token"), answer.get("expires_in")
        if not isinstance(token, str) or not isinstance(lasts, int) or lasts <= 0:
            raise PayPalUnavailable("PayPal's token answer has no token.")
        return token, float(lasts)

    def _send(self, method, path, body, headers, auth=None) -> requests.Response:
        try:
            return requests.request(
                method,
                self.base + path,
                data=body,
                headers={
                    "Accept": "application/json",
                    "User-Agent": USER_AGENT,
                    **headers,
                },
                auth=auth,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            raise PayPalUnavailable(
                f"PayPal could not be reached ({type(error).__name__}); "
                "try again later."
            ) from error

    def _answer(self, response: requests.Response) -> dict:
        status = response.status_code
        if status >= 500 or status in (408, 429):
            raise PayPalUnavailable.from_response(response)
        try:
            data = response.json() if response.content else {}
        except ValueError:
            data = None
        if 200 <= status < 300:
            if not isinstance(data, dict):
                raise PayPalUnavailable.from_response(response, "no JSON object")
            return data
        raise PayPalError(status, data)
