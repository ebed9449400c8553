"""A PayPal simulator for development and tests. NOT PayPal, NOT for production.

    python tools/paypal_simulator.py --port 8081

Speaks the part of PayPal Payments Standard that getpaid.orders uses, over
real HTTP, so the whole payment flow works offline:

- ``POST /cgi-bin/webscr`` with the "Pay with PayPal" form (``cmd=_cart``)
  shows a page with the order and three buttons: Pay, Fail, Cancel;
- Pay and Fail send an IPN (``Completed`` / ``Failed``) to the form's
  ``notify_url``, retrying until it answers 200 (``?duplicates=N`` sends
  N more copies), then send the browser to ``return``; Cancel goes to
  ``cancel_return`` and sends nothing;
- ``POST /cgi-bin/webscr`` with ``cmd=_notify-validate&<body>`` answers
  ``VERIFIED`` only for a body this simulator sent itself, else ``INVALID``.

Point the shop at it with PayPal mode "custom" and both URLs set to
``http://localhost:8081/cgi-bin/webscr`` (the demo site of `make start` is).

The same process speaks PayPal's REST API (Checkout Orders v2, refunds,
webhooks): see ``paypal_rest_simulator.py``.
"""

from decimal import Decimal
from html import escape
from paypal_rest_simulator import RestSimulator
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from wsgiref.simple_server import make_server
from wsgiref.simple_server import WSGIRequestHandler

import argparse
import requests
import secrets
import threading
import time


VALIDATE = b"cmd=_notify-validate&"
ACTIONS = (("pay", "Pay"), ("fail", "Fail"), ("cancel", "Cancel"))


class Simulator:
    def __init__(self, retry_seconds: float = 1.0, attempts: int = 20):
        self.carts: dict[str, dict[str, str]] = {}
        self.issued: set[bytes] = set()
        self.sent: list[tuple[str, bytes, int]] = []  # (url, body, status)
        self.retry_seconds = retry_seconds
        self.attempts = attempts
        self.lock = threading.Lock()
        self.rest = RestSimulator()

    # WSGI

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        if self.rest.handles(path):
            return self.rest(environ, start_response)
        body = b""
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
        if method == "POST" and path == "/cgi-bin/webscr":
            if body.startswith(VALIDATE):
                return self.validate(body[len(VALIDATE) :], start_response)
            return self.checkout_page(body, start_response)
        parts = path.strip("/").split("/")
        if method == "POST" and len(parts) == 3 and parts[0] == "simulator":
            query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
            return self.act(
                parts[1], parts[2], int(query.get("duplicates", 0)), start_response
            )
        return self.respond(start_response, "404 Not Found", "Not here.")

    def respond(self, start_response, status, text, headers=()):
        data = text.encode("utf-8")
        start_response(
            status,
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(data))),
                *headers,
            ],
        )
        return [data]

    def validate(self, message: bytes, start_response):
        with self.lock:
            genuine = message in self.issued
        return self.respond(
            start_response, "200 OK", "VERIFIED" if genuine else "INVALID"
        )

    def checkout_page(self, body: bytes, start_response):
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        if form.get("cmd") != "_cart" or not form.get("notify_url"):
            return self.respond(start_response, "400 Bad Request", "Not a cart.")
        cart_id = secrets.token_urlsafe(12)
        with self.lock:
            self.carts[cart_id] = form
        rows = "".join(
            f"<tr><td>{escape(form[f'item_name_{n}'])}</td>"
            f"<td>{escape(form[f'quantity_{n}'])} × "
            f"{escape(form[f'amount_{n}'])}</td></tr>"
            for n in range(1, 100)
            if f"item_name_{n}" in form
        )
        buttons = "".join(
            f'<form method="post" action="/simulator/{cart_id}/{action}">'
            f'<button type="submit" name="{action}">{label}</button></form>'
            for action, label in (
                ("pay", "Pay"),
                ("fail", "Fail"),
                ("cancel", "Cancel"),
            )
        )
        page = (
            "<html><body><h1>PayPal simulator</h1>"
            "<p><strong>A development and test tool: no money moves.</strong></p>"
            f"<p>Invoice {escape(form.get('invoice', ''))} to "
            f"{escape(form.get('business', ''))}</p>"
            f"<table>{rows}</table><p>Total: {self.total(form)} "
            f"{escape(form.get('currency_code', ''))}</p>{buttons}</body></html>"
        )
        return self.respond(start_response, "200 OK", page)

    def act(self, cart_id: str, action: str, duplicates: int, start_response):
        with self.lock:
            form = self.carts.get(cart_id)
        if form is None or action not in ("pay", "fail", "cancel"):
            return self.respond(start_response, "404 Not Found", "No such cart.")
        if action == "cancel":
            target = form.get("cancel_return") or form.get("return", "/")
        else:
            status = "Completed" if action == "pay" else "Failed"
            message = self.ipn(form, status)
            with self.lock:
                self.issued.add(message)
            threading.Thread(
                target=self.deliver,
                args=(form["notify_url"], message, 1 + duplicates),
                daemon=True,
            ).start()
            target = form.get("return", "/")
        return self.respond(start_response, "302 Found", "", [("Location", target)])

    # IPN

    def total(self, form: dict) -> Decimal:
        return sum(
            (
                Decimal(form[f"amount_{n}"]) * int(form.get(f"quantity_{n}", "1"))
                for n in range(1, 100)
                if f"amount_{n}" in form
            ),
            Decimal(0),
        )

    def ipn(self, form: dict, status: str) -> bytes:
        fields = {
            "mc_gross": str(self.total(form)),
            "invoice": form.get("invoice", ""),
            "custom": form.get("custom", ""),
            "payment_status": status,
            "payment_date": time.strftime("%H:%M:%S %b %d, %Y GMT", time.gmtime()),
            "charset": "UTF-8",
            "first_name": form.get("first_name", ""),
            "last_name": form.get("last_name", ""),
            "payer_email": form.get("email", ""),
            "business": form.get("business", ""),
            "receiver_email": form.get("business", ""),
            "txn_id": secrets.token_hex(8).upper(),
            "txn_type": "cart",
            "mc_currency": form.get("currency_code", ""),
            "payment_type": "instant",
            "notify_version": "3.9",
            "verify_sign": secrets.token_urlsafe(40),
        }
        return urlencode(fields, encoding="utf-8").encode("ascii")

    def deliver(self, url: str, message: bytes, copies: int) -> None:
        """POST the IPN until it is accepted, as PayPal does (with back-off)."""
        for _copy in range(copies):
            for _attempt in range(self.attempts):
                try:
                    status = requests.post(
                        url,
                        data=message,
                        headers={"Content-Type": "application/x-www-form-urlencoded"},
                        timeout=30,
                    ).status_code
                except requests.RequestException:
                    status = 0
                with self.lock:
                    self.sent.append((url, message, status))
                if status == 200:
                    break
                time.sleep(self.retry_seconds)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve(port: int, host: str = "127.0.0.1"):
    """Start the simulator in a thread: (simulator, server, base URL)."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIServer

    class ThreadingServer(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    simulator = Simulator()
    server = make_server(host, port, simulator, ThreadingServer, QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    simulator.rest.base = f"http://{host}:{server.server_port}"
    return simulator, server, simulator.rest.base


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--host", default="127.0.0.1")
    rest = parser.add_argument_group("REST API (Checkout Orders v2)")
    rest.add_argument("--client-id", default="simulator-client")
    rest.add_argument("--client-secret", default="simulator-secret")
    rest.add_argument("--webhook-id", default="SIMULATORWEBHOOK")
    rest.add_argument("--webhook-url", default="", help="a loopback listener")
    args = parser.parse_args()
    simulator, server, url = serve(args.port, args.host)
    simulator.rest.client_id = args.client_id
    simulator.rest.client_secret = args.client_secret
    simulator.rest.webhook_id = args.webhook_id
    simulator.rest.webhook_url = args.webhook_url
    print(f"PayPal simulator (development only) on {url}/cgi-bin/webscr")
    print(
        f"PayPal REST simulator (development only) on {url}, client "
        f"{args.client_id} / {args.client_secret}, webhook id {args.webhook_id}"
        + (f", webhooks to {args.webhook_url}" if args.webhook_url else "")
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
