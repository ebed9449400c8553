"""What can go wrong when talking to PayPal, in two kinds.

``PayPalError``: PayPal answered and refused (a 4xx): the request is wrong,
or the payment can't go on as asked (INSTRUMENT_DECLINED,
ORDER_ALREADY_CAPTURED…). Sending it again changes nothing.

``PayPalUnavailable``: PayPal could not be asked, or gave no usable answer
(timeout, connection refused, 5xx, 429, an unreadable body). Try again
later. After a POST the outcome is unknown: it may have happened. Send it
again with the same PayPal-Request-Id (PayPal then answers with what the
first one did), or GET the resource to find out.

Neither carries the client secret or the token.
"""

import requests


class PayPalError(Exception):
    """PayPal refused: ``status`` (HTTP), ``name`` (UNPROCESSABLE_ENTITY, or
    OAuth's ``error`` such as invalid_client), ``issue`` (the first
    ``details[].issue``, such as INSTRUMENT_DECLINED), ``debug_id`` (for
    PayPal's support), ``links`` and the parsed ``body``."""

    def __init__(self, status: int, body: dict | None):
        body = body if isinstance(body, dict) else {}
        details = body.get("details")
        details = details if isinstance(details, list) else []
        first = details[0] if details and isinstance(details[0], dict) else {}
        links = body.get("links")
        self.status = status
        self.name = str(body.get("name") or body.get("error") or "")
        self.message = str(body.get("message") or body.get("error_description") or "")
        self.issue = str(first.get("issue") or "")
        self.details = details
        self.debug_id = str(body.get("debug_id") or "")
        self.links = links if isinstance(links, list) else []
        self.body = body
        super().__init__(
            " ".join(
                part
                for part in (
                    f"PayPal answered {status}",
                    self.name,
                    self.issue,
                    self.debug_id and f"(debug id {self.debug_id})",
                    self.message and f": {self.message}",
                )
                if part
            )
        )

    def link(self, rel: str) -> str:
        """The href of the link with this ``rel`` ("redirect" after
        INSTRUMENT_DECLINED: where the payer picks another way to pay)."""
        for link in self.links:
            if isinstance(link, dict) and link.get("rel") == rel:
                return str(link.get("href", ""))
        return ""


class PayPalUnavailable(Exception):
    """PayPal could not be asked, or gave no usable answer: try again later.

    ``status`` is the HTTP status (None when no answer came), ``debug_id``
    PayPal's when it sent one.
    """

    def __init__(self, message: str, status: int | None = None, debug_id: str = ""):
        super().__init__(message)
        self.status = status
        self.debug_id = debug_id

    @classmethod
    def from_response(
        cls, response: requests.Response, problem: str = ""
    ) -> "PayPalUnavailable":
        debug_id = response.headers.get("Paypal-Debug-Id", "")
        return cls(
            f"PayPal answered {response.status_code}"
            + (f" with {problem}" if problem else "")
            + (f" (debug id {debug_id})" if debug_id else "")
            + "; try again later.",
            status=response.status_code,
            debug_id=debug_id,
        )


class InvalidWebhook(ValueError):
    """A webhook delivery that can't be what PayPal sent (a transmission
    header missing, a body that is no JSON object in UTF-8): answer 400
    without asking PayPal."""
