"""The cart: product references and quantities in a cookie, nothing else.

Browsing and filling a cart write nothing to the ZODB, and the cookie holds
no prices: prices always come from the products when the cart is shown and
when the order is placed. A cookie that was tampered with or is malformed
is treated as an empty cart, never as an error.
"""

from dataclasses import dataclass
from decimal import Decimal
from getpaid.orders.api.lines import MAX_LINES
from getpaid.orders.api.lines import MAX_QUANTITY
from getpaid.orders.api.products import visible_product
from getpaid.orders.api.snapshots import check_buyable
from getpaid.orders.exceptions import NotBuyable
from plone import api

import json
import re


COOKIE = "getpaid_cart"
UID = re.compile(r"[0-9a-f]{32}")


def read(request) -> dict[str, int]:
    """{product UID: quantity}, in the order products were added."""
    try:
        data = json.loads(request.cookies.get(COOKIE) or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    cart = {}
    for uid, quantity in list(data.items())[:MAX_LINES]:
        if _valid(uid, quantity):
            cart[uid] = quantity
    return cart


def _valid(uid, quantity) -> bool:
    return (
        bool(UID.fullmatch(str(uid)))
        and type(quantity) is int
        and 1 <= quantity <= MAX_QUANTITY
    )


def site_path() -> str:
    """The path the shop's cookies are for: the site's."""
    path = "/" + api.portal.get().absolute_url(1)
    return path.rstrip("/") or "/"


def write(request, cart: dict[str, int]) -> None:
    path = site_path()
    if not cart:
        request.response.expireCookie(COOKIE, path=path)
        return
    request.response.setCookie(
        COOKIE,
        json.dumps(cart, separators=(",", ":")),
        path=path,
        http_only=True,
        same_site="Lax",
        max_age=60 * 60 * 24 * 30,
    )


def clamp(quantity: int) -> int:
    return max(1, min(int(quantity), MAX_QUANTITY))


@dataclass(frozen=True)
class CartLine:
    uid: str
    quantity: int
    product: object | None  # None: gone, or not visible to this user
    problem: str  # why it can't be bought now; "" when it can

    @property
    def title(self) -> str:
        return self.product.Title() if self.product is not None else ""

    @property
    def unit_price(self) -> Decimal | None:
        return None if self.problem else self.product.price

    @property
    def currency(self) -> str:
        return "" if self.problem else self.product.currency

    @property
    def total(self) -> Decimal | None:
        return None if self.problem else self.product.price * self.quantity


def lines(cart: dict[str, int]) -> list[CartLine]:
    """The cart's lines with today's products and prices."""
    result = []
    for uid, quantity in cart.items():
        product = visible_product(uid)
        problem = ""
        if product is None:
            problem = "This product is no longer available."
        else:
            try:
                check_buyable(product)
            except NotBuyable as error:
                problem = str(error)
        result.append(CartLine(uid, quantity, product, problem))
    return result


def totals(cart_lines: list[CartLine]) -> dict[str, Decimal]:
    """{currency: total} of the buyable lines; more than one key is a problem."""
    sums: dict[str, Decimal] = {}
    for line in cart_lines:
        if not line.problem:
            sums[line.currency] = sums.get(line.currency, Decimal(0)) + line.total
    return sums
