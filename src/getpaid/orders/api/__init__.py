"""The domain layer of getpaid.orders: plain arguments in, results out.

Nothing here sees a request. Refusals are ``getpaid.orders.exceptions``;
side effects hang on ``getpaid.orders.events``.
"""

from getpaid.orders.api.attention import clear_attention
from getpaid.orders.api.attention import raise_attention
from getpaid.orders.api.checkout import checkout
from getpaid.orders.api.checkout import Placed
from getpaid.orders.api.customer import Address
from getpaid.orders.api.customer import Customer
from getpaid.orders.api.links import create_link
from getpaid.orders.api.links import find_by_token
from getpaid.orders.api.links import revoke_link
from getpaid.orders.api.links import revoke_links
from getpaid.orders.api.links import revoke_share_link
from getpaid.orders.api.notes import add_note
from getpaid.orders.api.orders import get_order
from getpaid.orders.api.orders import orders_folder
from getpaid.orders.api.orders import place_order
from getpaid.orders.api.orders import set_lines
from getpaid.orders.api.orders import update_order
from getpaid.orders.api.owner_links import mail_lost_link
from getpaid.orders.api.owner_links import mail_owner_link
from getpaid.orders.api.owner_links import reissue_links
from getpaid.orders.api.owner_links import resend_order_mail
from getpaid.orders.api.owner_links import send_payment_link
from getpaid.orders.api.payments import find_payment
from getpaid.orders.api.payments import kind_of
from getpaid.orders.api.payments import record_payment
from getpaid.orders.api.settlement import apply_payment
from getpaid.orders.api.settlement import apply_refund
from getpaid.orders.api.settlement import balance
from getpaid.orders.api.snapshots import take_snapshot
from getpaid.orders.api.staff_orders import enter_order
from getpaid.orders.api.transitions import allowed_transitions
from getpaid.orders.api.transitions import cancel_order
from getpaid.orders.api.transitions import complete
from getpaid.orders.api.transitions import deliver
from getpaid.orders.api.transitions import expire
from getpaid.orders.api.transitions import fail_payment
from getpaid.orders.api.transitions import fire
from getpaid.orders.api.transitions import fulfil
from getpaid.orders.api.transitions import mark_paid
from getpaid.orders.api.transitions import refund
from getpaid.orders.api.transitions import time_out


__all__ = [
    "Address",
    "add_note",
    "Customer",
    "Placed",
    "checkout",
    "enter_order",
    "create_link",
    "find_by_token",
    "mail_lost_link",
    "mail_owner_link",
    "reissue_links",
    "resend_order_mail",
    "send_payment_link",
    "revoke_link",
    "revoke_share_link",
    "revoke_links",
    "allowed_transitions",
    "apply_payment",
    "apply_refund",
    "balance",
    "cancel_order",
    "complete",
    "deliver",
    "expire",
    "fail_payment",
    "fire",
    "fulfil",
    "clear_attention",
    "find_payment",
    "get_order",
    "kind_of",
    "mark_paid",
    "orders_folder",
    "place_order",
    "raise_attention",
    "record_payment",
    "refund",
    "set_lines",
    "take_snapshot",
    "time_out",
    "update_order",
]
