"""The personal fields of the raw messages payment records keep.

A payment record keeps what its provider sent verbatim (content/payment.py),
and that is never edited, with one exception: erasing the customer's data
(api/erasure.py) empties the fields that name or reach the payer, and keeps
the rest as it came (transaction ids, amounts, currency, states, the
country). Two shapes of message reach the shop:

- a form body (PayPal Payments Standard's IPN): ``name=value&…``; the
  values of PERSONAL_FORM_FIELDS become empty, every other byte stays;
- a JSON object (PayPal Checkout's Orders v2 answers and webhooks): the
  string values of PERSONAL_JSON_KEYS become "", at any depth (the payer's
  and the shipping name, e-mail, account id, phone and address lines).
"""

from urllib.parse import unquote_to_bytes

import json


# IPN variables about the payer (PayPal's IPN variable reference). The
# country (address_country, address_country_code, residence_country) stays.
PERSONAL_FORM_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "payer_email",
        "payer_id",
        "payer_business_name",
        "contact_phone",
        "address_name",
        "address_street",
        "address_city",
        "address_state",
        "address_zip",
        "memo",
    }
)
# Orders v2 fields about the payer or the recipient: a name's parts, e-mail,
# PayPal account ids, phone numbers, address lines. ``country_code`` stays.
PERSONAL_JSON_KEYS = frozenset(
    {
        "given_name",
        "surname",
        "middle_name",
        "full_name",
        "alternate_full_name",
        "prefix",
        "suffix",
        "email_address",
        "payer_id",
        "account_id",
        "national_number",
        "phone_number",
        "address_line_1",
        "address_line_2",
        "address_line_3",
        "admin_area_1",
        "admin_area_2",
        "admin_area_3",
        "admin_area_4",
        "postal_code",
        "birth_date",
        "tax_id",
    }
)


def scrub_raw(raw: bytes | None, charset: str | None = None) -> bytes | None:
    """``raw`` without the payer's personal data, in the same shape."""
    if not raw:
        return raw
    if raw.lstrip().startswith(b"{"):
        try:
            data = json.loads(raw.decode(charset or "utf-8"))
        except (UnicodeDecodeError, LookupError, ValueError):
            return b""  # unreadable: nothing personal may survive in it
        return json.dumps(_scrub_json(data), ensure_ascii=False).encode("utf-8")
    return _scrub_form(raw)


def _scrub_form(raw: bytes) -> bytes:
    # Names are ASCII in every charset PayPal uses: compared as bytes, so
    # the values' charset never matters and nothing else is re-encoded.
    pairs = []
    for pair in raw.split(b"&"):
        name = pair.partition(b"=")[0]
        decoded = unquote_to_bytes(name.replace(b"+", b" "))
        if decoded.decode("ascii", "replace") in PERSONAL_FORM_FIELDS:
            pair = name + b"="
        pairs.append(pair)
    return b"&".join(pairs)


def _scrub_json(data):
    if isinstance(data, dict):
        return {
            key: (
                ""
                if key in PERSONAL_JSON_KEYS and isinstance(value, str | int)
                else _scrub_json(value)
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_scrub_json(item) for item in data]
    return data
