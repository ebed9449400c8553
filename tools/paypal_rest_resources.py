"""What the REST simulator keeps of orders, captures and refunds, and how
PayPal writes them in JSON. NOT PayPal.

Shapes from PayPal's OpenAPI specifications (Orders 2.13, Payments 2.5):
every resource has HATEOAS ``links`` (a capture's ``up`` is its order, a
refund's ``up`` its capture), amounts are strings with the currency's
decimals, and ``return=minimal`` (PayPal's default) gives id, status and
links only.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import UTC
from decimal import Decimal
from decimal import ROUND_HALF_UP
from paypal_rest_rules import WITHOUT_DECIMALS

import copy


PAYER = {"given_name": "Zoë", "surname": "Simulée"}
PAYEE = {"email_address": "merchant@example.com", "merchant_id": "SIMULATORMERCHANT"}
FEE = Decimal("0.034")  # a made-up fee, so net differs from gross
PROTECTION = {
    "status": "ELIGIBLE",
    "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"],
}


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def text(amount: Decimal, currency: str) -> str:
    """PayPal's JSON writes amounts as strings with the currency's decimals."""
    step = Decimal(1) if currency in WITHOUT_DECIMALS else Decimal("0.01")
    return str(amount.quantize(step, ROUND_HALF_UP))


def money(amount: Decimal, currency: str) -> dict:
    return {"currency_code": currency, "value": text(amount, currency)}


def link(href: str, rel: str, method: str = "GET") -> dict:
    return {"href": href, "rel": rel, "method": method}


@dataclass
class Order:
    id: str
    unit: dict  # the purchase unit as the shop sent it
    currency: str
    amount: Decimal
    context: dict  # experience_context (or application_context)
    source: dict  # payment_source.paypal as sent, without the context
    modern: bool  # experience_context: PAYER_ACTION_REQUIRED, payer-action
    created: str
    status: str = ""
    updated: str = ""
    outcome: str = ""  # what the payer chose: COMPLETED, DECLINED, PENDING
    payer_id: str = ""
    capture_id: str = ""


@dataclass
class Capture:
    id: str
    order_id: str
    currency: str
    amount: Decimal
    status: str
    invoice_id: str
    custom_id: str
    created: str
    updated: str
    refund_ids: list = field(default_factory=list)


@dataclass
class Refund:
    id: str
    capture_id: str
    currency: str
    amount: Decimal
    total_refunded: Decimal
    fields: dict  # note_to_payer, invoice_id, custom_id as sent
    created: str


def payer_url(order: Order, base: str) -> str:
    """The payer's page (PayPal's is www.paypal.com/checkoutnow?token=…)."""
    return f"{base}/checkoutnow?token={order.id}"


def order_json(
    order: Order, base: str, captures: dict, refunds: dict, minimal: bool = False
) -> dict:
    url = f"{base}/v2/checkout/orders/{order.id}"
    links = [link(url, "self")]
    if order.status == "PAYER_ACTION_REQUIRED":
        links.append(link(payer_url(order, base), "payer-action"))
    if order.status == "CREATED":
        links.append(link(payer_url(order, base), "approve"))
    if order.status in ("CREATED", "APPROVED"):
        links.append(link(url, "update", "PATCH"))
        links.append(link(f"{url}/capture", "capture", "POST"))
    if minimal:
        return {"id": order.id, "status": order.status, "links": links}
    unit = copy.deepcopy(order.unit)
    unit.setdefault("reference_id", "default")
    unit["payee"] = PAYEE
    if order.capture_id:
        capture = captures[order.capture_id]
        unit["payments"] = {"captures": [capture_json(capture, base)]}
        if capture.refund_ids:
            unit["payments"]["refunds"] = [
                refund_json(refunds[r], base) for r in capture.refund_ids
            ]
    data = {"id": order.id, "intent": "CAPTURE", "status": order.status}
    paypal = dict(order.source)
    if order.payer_id:
        paypal.update(_payer(order))
        data["payer"] = {
            "name": paypal["name"],
            "email_address": paypal["email_address"],
            "payer_id": order.payer_id,
            "address": paypal["address"],
        }
    if paypal:
        data["payment_source"] = {"paypal": paypal}
    data["purchase_units"] = [unit]
    data["create_time"] = order.created
    if order.updated:
        data["update_time"] = order.updated
    data["links"] = links
    return data


def _payer(order: Order) -> dict:
    return {
        "email_address": order.source.get("email_address", "buyer@example.com"),
        "account_id": order.payer_id,
        "account_status": "VERIFIED",
        "name": order.source.get("name", PAYER),
        "address": {"country_code": "DE"},
    }


def approved_event(order: dict) -> dict:
    """The order as CHECKOUT.ORDER.APPROVED carries it: PayPal sends the
    amount's breakdown as an empty object there."""
    for unit in order["purchase_units"]:
        unit["amount"]["breakdown"] = {}
    return order


def capture_json(capture: Capture, base: str) -> dict:
    currency = capture.currency
    url = f"{base}/v2/payments/captures/{capture.id}"
    data = {
        "id": capture.id,
        "status": capture.status,
        "amount": money(capture.amount, currency),
        "final_capture": True,
        "seller_protection": PROTECTION,
    }
    if capture.status == "PENDING":
        # PayPal: "not available for transactions that are in pending state".
        data["status_details"] = {"reason": "PENDING_REVIEW"}
    else:
        fee = Decimal(text(capture.amount * FEE, currency))
        data["seller_receivable_breakdown"] = {
            "gross_amount": money(capture.amount, currency),
            "paypal_fee": money(fee, currency),
            "net_amount": money(capture.amount - fee, currency),
        }
    for key in ("invoice_id", "custom_id"):
        if getattr(capture, key):
            data[key] = getattr(capture, key)
    data["supplementary_data"] = {"related_ids": {"order_id": capture.order_id}}
    data["links"] = [
        link(url, "self"),
        link(f"{url}/refund", "refund", "POST"),
        link(f"{base}/v2/checkout/orders/{capture.order_id}", "up"),
    ]
    data["create_time"], data["update_time"] = capture.created, capture.updated
    return data


def refund_json(refund: Refund, base: str, minimal: bool = False) -> dict:
    currency = refund.currency
    links = [
        link(f"{base}/v2/payments/refunds/{refund.id}", "self"),
        link(f"{base}/v2/payments/captures/{refund.capture_id}", "up"),
    ]
    if minimal:
        return {"id": refund.id, "status": "COMPLETED", "links": links}
    return {
        "id": refund.id,
        "amount": money(refund.amount, currency),
        **refund.fields,
        "seller_payable_breakdown": {
            "gross_amount": money(refund.amount, currency),
            "paypal_fee": money(Decimal(0), currency),
            "net_amount": money(refund.amount, currency),
            "total_refunded_amount": money(refund.total_refunded, currency),
        },
        "status": "COMPLETED",
        "create_time": refund.created,
        "update_time": refund.created,
        "links": links,
    }
