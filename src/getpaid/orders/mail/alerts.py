"""Telling the shop that an order needs a person (``OrderNeedsAttentionEvent``):
a payment or refund that doesn't fit."""

from getpaid.orders import _
from getpaid.orders import logger
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.language import site_language
from getpaid.orders.mail.compose import Mail
from getpaid.orders.mail.compose import send
from getpaid.orders.mail.sending import can_mail


def on_needs_attention(event) -> None:
    alert_shop(event.order, event.reason)


def alert_shop(order, reason: str) -> bool:
    shop_email = get_setting("shop_email", "")
    if not (shop_email and can_mail()):
        logger.warning(
            "Order %s needs attention (no shop e-mail): %s", order.number, reason
        )
        return False
    mail = Mail(
        name="attention",
        to=shop_email,
        subject=_("Order ${number} needs attention", mapping={"number": order.number}),
        language=site_language(),
        what=f"alert on {order.number}",
        values={"order": order, "reason": reason, "link": order.absolute_url()},
    )
    return send(mail)
