"""One picture of an order, as plain JSON-compatible data, for one viewer.

``order_data`` gives what ``access`` lets the viewer see and the actions it
lets them take, in the names the checkout takes them (a ``customer`` with
its ``billing_address``): the order page renders it, and plone.restapi
answers it from ``@checkout``, ``@order-status`` and ``GET <order>``.
Amounts are decimal strings, times ISO 8601, countries ISO 3166 codes;
people read them formatted by the page.
"""

from getpaid.orders.api.access import Access
from getpaid.orders.api.links import STATUS
from getpaid.orders.api.paying import payment_choices
from getpaid.orders.api.payments import kind_of
from getpaid.orders.api.refunds import refundable
from getpaid.orders.content.order import ADDRESS_PARTS
from getpaid.orders.money import exponent
from plone import api
from zope.globalrequest import getRequest
from zope.i18n import translate


def order_data(order, seen: Access, *, base_url: str) -> dict:
    """The order as ``seen`` may see it; line images under ``base_url``."""
    data = {
        "order_number": order.number,
        "state": api.content.get_state(order),
        "state_title": state_title(order),
        "created": order.created().ISO8601(),
        "message": order.message or "",
        "viewer": seen.viewer,
        "lines": [
            line_data(line, index, seen, base_url)
            for index, line in enumerate(order.lines)
        ],
        "actions": actions(seen),
        "payment_choices": payment_choices(order, seen, base_url),
    }
    refunds = refundable(order) if seen.private else None
    if seen.private:
        data.update(
            currency=order.currency,
            total=str(order.total),
            paid=_amount(refunds.paid, order.currency),
            refunded=_amount(refunds.refunded, order.currency),
            remaining=_amount(refunds.remaining, order.currency),
            start=_iso(order.start),
            end=_iso(order.end),
            customer=customer_data(order),
        )
    if seen.may_share:
        data["share_links"] = share_links_data(order)
    if seen.reads_notes:
        data["notes"] = [
            note_data(note, seen) for note in order.notes if seen.reads_note(note)
        ]
    if seen.internal:
        data.update(
            buyer_id=order.buyer_id or None,
            attention=order.attention or None,
            payments=[payment_data(payment) for payment in order.payments()],
            refund=refund_data(refunds),
            history=[history_data(entry) for entry in order.history],
            reminders=[reminder_data(one) for one in order.reminders],
        )
    return data


def state_title(order) -> str:
    workflow = api.portal.get_tool("portal_workflow")
    return workflow.getTitleForStateOnType(api.content.get_state(order), "Order")


def actions(seen: Access) -> dict:
    return {
        "pay": seen.may_pay,
        "cancel": seen.may_cancel,
        "share": seen.may_share,
        "manage": seen.may_manage,
        "fulfil": list(seen.fulfilment),
    }


def line_data(line, index: int, seen: Access, base_url: str) -> dict:
    """A line as bought (its snapshot); a share link sees what, not for how much."""
    snapshot = line.snapshot
    data = {
        "display_name": snapshot.display_name,
        "detail": snapshot.detail,
        "image": f"{base_url}/image/{index}" if snapshot.image else None,
        "quantity": line.quantity,
    }
    if seen.private:
        data.update(
            product=snapshot.uid,
            name=snapshot.name,
            title=snapshot.title,
            description=snapshot.description,
            sku=snapshot.sku,
            unit_price=str(snapshot.unit_price),
            currency=snapshot.currency,
            duration_days=snapshot.duration_days,
            total=str(line.total),
        )
    return data


def customer_data(order) -> dict:
    return {
        "first_name": order.first_name,
        "last_name": order.last_name,
        "email": order.email,
        "phone": order.phone or "",
        "billing_address": address_data(order, "billing"),
        "shipping_address": (
            address_data(order, "shipping") if order.has_shipping_address else None
        ),
        "comment": order.comment or "",
    }


def address_data(order, prefix: str) -> dict:
    return {
        part: getattr(order, f"{prefix}_{part}", None) or "" for part in ADDRESS_PARTS
    }


def share_links_data(order) -> list[dict]:
    """The order's active share links, for whoever may revoke them: by their
    ``index`` (``@order-status/<token>/unshare/<index>``), never their token."""
    return [
        {"index": index, "label": link.label, "created": link.created.isoformat()}
        for index, link in enumerate(order.secret_links)
        if link.active and link.kind == STATUS
    ]


def note_data(note, seen: Access) -> dict:
    """A note as ``seen`` reads it: when and what; for staff also who wrote
    it and whether it is for the customer (else internal)."""
    data = {"when": note.when.isoformat(), "text": note.text}
    if seen.internal:
        data.update(author=note.author, for_customer=note.for_customer)
    return data


def refund_data(refunds) -> dict | None:
    """What staff may refund now, and through what (api/refunds.py); None
    when nothing was paid. ``refunds_seen`` goes back with ``@refund``."""
    if refunds.paid <= 0:
        return None
    provider = refunds.provider
    return {
        "possible": refunds.possible,
        "most": _amount(refunds.most, refunds.currency),
        "whole_only": refunds.whole_only,
        "provider": provider.id if provider is not None else None,
        "txn_id": refunds.payment.txn_id if refunds.payment is not None else None,
        "refunds_seen": refunds.refunds,
        "why_not": (
            translate(refunds.why_not, context=getRequest()) if refunds.why_not else ""
        ),
    }


def payment_data(payment) -> dict:
    return {
        "@id": payment.absolute_url(),
        "provider": payment.provider,
        "txn_id": payment.txn_id,
        "parent_txn_id": payment.parent_txn_id,
        "status": payment.status,
        "kind": kind_of(payment),
        "amount": str(payment.amount),
        "currency": payment.currency,
        "received_at": payment.received_at.isoformat(),
    }


def reminder_data(reminder) -> dict:
    """A payment reminder sent (api/reminders.py): never its link."""
    return {
        "kind": reminder.kind,
        "when": reminder.when.isoformat(),
        "actor": reminder.actor,
    }


def history_data(entry) -> dict:
    return {
        "when": entry.when.isoformat(),
        "actor": entry.actor,
        "source": entry.source,
        "action": entry.action,
        "field": entry.field,
        "old": entry.old,
        "new": entry.new,
        "comment": entry.comment,
    }


def _amount(amount, currency: str) -> str:
    """A sum of the order's records, with its currency's decimals ("0.00")."""
    return str(amount.quantize(exponent(currency)))


def _iso(value) -> str | None:
    return value.isoformat() if value else None
