"""The browser's checkout secret: what binds a checkout form's key to it.

A random secret in an HttpOnly, SameSite=Lax cookie (Secure on https), set
when the checkout form is shown and kept as long as a checkout key lives.
The shop stores only its digest with the key that placed an order
(api/checkout_keys.py): a resubmission of the form from this browser finds
the order, the same form sent from anywhere else doesn't.
"""

from getpaid.orders.api.checkout_keys import BROWSER_SECRET
from getpaid.orders.api.checkout_keys import KEY_LIFETIME
from getpaid.orders.api.checkout_keys import new_browser_secret
from getpaid.orders.cart.cookie import site_path


COOKIE = "getpaid_checkout"


def browser_secret(request) -> str:
    """This browser's secret, a new one if it has none; (re)set in the answer."""
    secret = request.cookies.get(COOKIE)
    if not isinstance(secret, str) or not BROWSER_SECRET.fullmatch(secret):
        secret = new_browser_secret()
    request.response.setCookie(
        COOKIE,
        secret,
        path=site_path(),
        http_only=True,
        same_site="Lax",
        secure=request.get("SERVER_URL", "").startswith("https:"),
        max_age=int(KEY_LIFETIME.total_seconds()),
    )
    return secret
