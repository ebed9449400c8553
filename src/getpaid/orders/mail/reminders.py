"""Payment reminders (``PaymentReminderEvent``), mailed to the customer in
the language they ordered in, with the reminder's own owner link
(api/reminders.py)."""

from getpaid.orders import _
from getpaid.orders import logger
from getpaid.orders.api.links import link_url
from getpaid.orders.api.unpaid import times_out_at
from getpaid.orders.mail.compose import Mail
from getpaid.orders.mail.compose import send
from getpaid.orders.mail.sending import can_mail
from getpaid.orders.mail.sending import shop_name


def on_payment_reminder(event) -> None:
    send_reminder_mail(event.order, event.owner_token, event.kind)


def send_reminder_mail(order, token: str, kind: str) -> bool:
    """The reminder of ``kind`` (first, last, manual), with the commit."""
    if not can_mail():
        logger.warning("No site e-mail address: no reminder for %s", order.number)
        return False
    mail = Mail(
        name="reminder",
        to=order.email,
        subject=_(
            "Your order ${number} at ${shop} is waiting for payment",
            mapping={"number": order.number, "shop": shop_name()},
        ),
        language=order.customer_language,
        what=f"payment reminder of {order.number}",
        values={
            "order": order,
            "link": link_url(token),
            "kind": kind,
            "deadline": times_out_at(order),
        },
    )
    return send(mail)
