"""``POST @checkout``: the checkout of a headless frontend (Volto, an app).

Request::

    {"lines": [{"product": "<UID>", "quantity": 2}],
     "customer": {"first_name", "last_name", "email", "phone",
                  "billing_address": {"street", "postal_code", "city",
                                      "country", "region"},
                  "shipping_address": {...} or null, "comment"},
     "accept_terms": true}

Answers 201 with the order and its owner link, or 400 with a message and
the fields at fault. Amounts are decimal strings, never floats. An
``Idempotency-Key`` header (20+ characters, e.g. a UUID) makes a repeated
request answer 200 with the order's number and state instead of placing a
second one (no owner link: it was in the first answer and in the mail); the
key sent with another request answers 409. Bodies over MAX_REQUEST_BYTES
and more than MAX_LINES lines are refused before anything is looked up.
"""

from getpaid.orders import api as shop
from getpaid.orders.api.access import access
from getpaid.orders.api.access import OWNER_LINK
from getpaid.orders.api.checkout import MAX_REQUEST_BYTES
from getpaid.orders.api.lines import check_line_count
from getpaid.orders.api.links import link_url
from getpaid.orders.api.products import visible_product
from getpaid.orders.api.projection import order_data
from getpaid.orders.content.order import ADDRESS_PARTS
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.exceptions import InvalidCustomer
from getpaid.orders.exceptions import KeyInUse
from getpaid.orders.exceptions import NotBuyable
from getpaid.orders.exceptions import TooManyLines
from getpaid.orders.language import current_language
from getpaid.orders.services.body import read_json
from plone import api
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.interface import alsoProvides

import plone.protect.interfaces


class BadInput(Exception):
    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def _text(data: dict, key: str, where: str) -> str:
    value = data.get(key) or ""
    if not isinstance(value, str):
        raise BadInput(f"{key} must be text.", f"{where}{key}")
    return value


def _address(data, where: str) -> shop.Address | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise BadInput("An address is an object.", where.rstrip("."))
    return shop.Address(**{key: _text(data, key, where) for key in ADDRESS_PARTS})


def _customer(data) -> tuple[shop.Customer, str]:
    if not isinstance(data, dict):
        raise BadInput("customer is required.", "customer")
    customer = shop.Customer(
        first_name=_text(data, "first_name", "customer."),
        last_name=_text(data, "last_name", "customer."),
        email=_text(data, "email", "customer."),
        phone=_text(data, "phone", "customer."),
        billing=_address(
            data.get("billing_address") or {}, "customer.billing_address."
        ),
        shipping=_address(data.get("shipping_address"), "customer.shipping_address."),
    )
    return customer, _text(data, "comment", "customer.")


def _product(uid):
    """A product the current user may see, by UID."""
    found = visible_product(uid)
    if found is None:
        raise NotBuyable(f"There is no product {uid!r}.")
    return found


def _items(lines) -> list:
    if not isinstance(lines, list) or not lines:
        raise BadInput("lines must list at least one product.", "lines")
    check_line_count(len(lines))  # before any product is looked up
    items = []
    for index, line in enumerate(lines):
        if not isinstance(line, dict):
            raise BadInput("Each line is an object.", f"lines.{index}")
        quantity = line.get("quantity", 1)
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise BadInput(
                "quantity must be a whole number.", f"lines.{index}.quantity"
            )
        items.append((_product(line.get("product")), quantity))
    return items


def read_order(data: dict) -> tuple[list, shop.Customer, str]:
    """The lines, the customer and the comment of a checkout's body."""
    items = _items(data.get("lines"))
    customer, comment = _customer(data.get("customer"))
    return items, customer, comment


# What the customer's data holds beside the customer object: staff's
# choices for them (services/orders/post.py).
TOP_LEVEL_FIELDS = ("language", "buyer_id")


def _field_path(field: str) -> str:
    """Order field (billing_city) -> request path (customer.billing_address.city)."""
    if field in TOP_LEVEL_FIELDS:
        return field
    for prefix in ("billing", "shipping"):
        if field.startswith(prefix + "_"):
            return f"customer.{prefix}_address.{field[len(prefix) + 1 :]}"
    return f"customer.{field}" if field else ""


def serialize(order, token: str) -> dict:
    """The placed order as its owner link shows it, with that link (shown
    once: it is stored nowhere)."""
    seen = access(order, OWNER_LINK)
    link = link_url(token)
    return {
        "@id": order.absolute_url(),
        "UID": order.UID(),
        **order_data(order, seen, base_url=link),
        "owner_link": link,
    }


def replayed(order) -> dict:
    """A repeated request's answer: which order, nothing of the customer."""
    return {
        "@id": order.absolute_url(),
        "order_number": order.number,
        "state": api.content.get_state(order),
    }


class CheckoutPost(Service):
    def reply(self):
        # A JSON API call, not a form: no CSRF token to carry.
        alsoProvides(self.request, plone.protect.interfaces.IDisableCSRFProtection)
        try:
            self.check_size()
            placed = self.place(self.body())
        except BadInput as error:
            return self.refuse(str(error), error.field)
        except InvalidCustomer as error:
            return self.refuse(str(error), _field_path(error.field))
        except TooManyLines as error:
            return self.refuse(str(error), "lines")
        except KeyInUse as error:
            return self.refuse(str(error), "", status=409)
        except GetpaidError as error:
            return self.refuse(str(error), "")
        self.request.response.setStatus(201 if placed.created else 200)
        self.request.response.setHeader("Location", placed.order.absolute_url())
        if not placed.created:
            return replayed(placed.order)
        return self.answer(placed)

    def answer(self, placed: shop.Placed) -> dict:
        return serialize(placed.order, placed.owner_token)

    def check_size(self) -> None:
        body = self.request.get("BODYFILE")
        if body is None:
            return
        body.seek(0, 2)
        size = body.tell()
        body.seek(0)
        if size > MAX_REQUEST_BYTES:
            raise BadInput(f"The request body is over {MAX_REQUEST_BYTES} bytes.")

    def body(self):
        try:
            return read_json(self.request)
        except DeserializationError:
            raise BadInput("The request body is not JSON.") from None

    def place(self, data) -> shop.Placed:
        """The customer's checkout: the terms accepted, the order theirs."""
        if not isinstance(data, dict):
            raise BadInput("The request body is a JSON object.")
        if data.get("accept_terms") is not True:
            raise BadInput(
                "Please accept the terms to place the order.", "accept_terms"
            )
        items, customer, comment = read_order(data)
        user = api.user.get_current()
        buyer_id = None if api.user.is_anonymous() else user.getId()
        return shop.checkout(
            items,
            customer,
            buyer_id=buyer_id,
            comment=comment,
            key=self.request.getHeader("Idempotency-Key"),
            language=current_language(),  # the customer's mails speak it
        )

    def refuse(self, message: str, field: str, status: int = 400):
        self.request.response.setStatus(status)
        kind = "Conflict" if status == 409 else "BadRequest"
        error = {"type": kind, "message": message}
        if field:
            error["errors"] = [{"field": field, "message": message}]
        return {"error": error}
