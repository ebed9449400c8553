"""Reading and verifying a PayPal IPN message, exactly as PayPal sent it.

The raw body is parsed here rather than by Zope: Zope's form parsing
rewrites names such as ``item_name:list`` and decodes bytes with the site's
charset, while PayPal says in the body itself (``charset``) how it is
encoded, windows-1252 by default.
"""

from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

import codecs
import requests


USER_AGENT = "getpaid.orders IPN listener"
TIMEOUT_SECONDS = 20
DEFAULT_CHARSET = "windows-1252"
MAX_BODY = 64 * 1024  # real notifications are a few kilobytes

VERIFIED = "VERIFIED"
INVALID = "INVALID"


class IPNError(Exception):
    """The message can't be read, or PayPal couldn't be asked about it."""


@dataclass(frozen=True)
class Notification:
    raw: bytes
    charset: str
    fields: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


def _pairs(raw: bytes) -> list[tuple[bytes, bytes]]:
    """Form-encoded name/value pairs as bytes, before any decoding."""
    pairs = []
    for pair in raw.split(b"&"):
        if pair:
            name, _sep, value = pair.partition(b"=")
            pairs.append(
                (
                    unquote_to_bytes(name.replace(b"+", b" ")),
                    unquote_to_bytes(value.replace(b"+", b" ")),
                )
            )
    return pairs


def _charset(raw: bytes) -> str:
    """The body's own charset field, if it names a codec we know."""
    for name, value in _pairs(raw):
        if name == b"charset":
            label = value.decode("ascii", "replace").strip()
            try:
                codec = codecs.lookup(label)
            except LookupError:
                break
            # Codecs such as base64 or rot13 are no character sets.
            if getattr(codec, "_is_text_encoding", True):
                return codec.name
            break
    return DEFAULT_CHARSET


def parse(raw: bytes) -> Notification:
    if not raw or len(raw) > MAX_BODY:
        raise IPNError(f"An IPN body of {len(raw)} bytes is not plausible.")
    charset = _charset(raw)
    fields = {}
    for name, value in _pairs(raw):
        try:
            fields[_text(name, charset)] = _text(value, charset)
        except UnicodeError as error:  # idna and punycode raise its base class
            raise IPNError(f"The IPN is not valid {charset}: {error}") from None
    return Notification(raw=raw, charset=charset, fields=fields)


def _text(data: bytes, charset: str) -> str:
    text = data.decode(charset)
    # UTF-7 decodes "+2D0-" to half a character, which no mail, log or page
    # can write: UnicodeEncodeError, so such a body is no text either.
    text.encode("utf-8")
    return text


def verify(raw: bytes, url: str, *, timeout: float | None = None) -> str:
    """Ask PayPal about the unaltered message: VERIFIED, INVALID, or IPNError.

    Anything but a plain 200 with one of the two words (a timeout, a 5xx, a
    redirect) is an IPNError: the message must not act, and PayPal should
    send it again.
    """
    try:
        response = requests.post(
            url,
            data=b"cmd=_notify-validate&" + raw,
            headers={
                "User-Agent": USER_AGENT,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            timeout=timeout or TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        raise IPNError(f"Could not ask PayPal to verify: {error}") from None
    answer = response.text.strip()
    if response.status_code != 200 or answer not in (VERIFIED, INVALID):
        raise IPNError(
            f"PayPal's verification answered {response.status_code} {answer[:40]!r}."
        )
    return answer
