"""The order confirmation e-mail: a summary and the secret link to the order.

Sent through Plone's MailHost with the transaction's commit (mail/sending.py):
an aborted or conflict-retried checkout sends nothing, and a mail server
that is down can't undo an order already placed. With MailHost's queue on,
the mail waits in the queue until the server is back; without it the
failure is logged, and the order page still offers everything the mail would.
"""

from email import policy
from email.message import EmailMessage
from email.utils import make_msgid
from getpaid.orders import _
from getpaid.orders import logger
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.language import current_request
from getpaid.orders.language import speaking
from getpaid.orders.mail.new_order import new_order_notice
from getpaid.orders.mail.sending import send_on_commit
from getpaid.orders.mail.sending import shop_name
from getpaid.orders.mail.sending import shop_sender
from getpaid.orders.money import money_text
from getpaid.orders.workflow import UNPAID_STATES
from html import escape
from plone import api
from zope.i18n import translate


def order_status_url(token: str) -> str:
    return f"{api.portal.get().absolute_url()}/@@order-status/{token}"


def _words(order, shop: str) -> dict[str, str]:
    """The mail's sentences, in the language of the request placing the order."""
    request = current_request()
    name = f"{order.first_name} {order.last_name}"

    def tr(message) -> str:
        return translate(message, context=request)

    return {
        "dear": tr(_("Dear ${name},", mapping={"name": name})),
        "thanks": tr(
            _(
                "thank you for your order ${number} at ${shop}.",
                mapping={"number": order.number, "shop": shop},
            )
        ),
        "total": tr(_("Total")),
        "pay": tr(
            _("Pay for your order and follow it")
            if api.content.get_state(order) in UNPAID_STATES
            else _("Follow your order")  # resent after payment
        ),
        "private": tr(_("keep this link to yourself")),
        "gift": tr(
            _(
                "Is it a gift? On that page you can make a share link that shows "
                "the order's progress without prices, names or addresses."
            )
        ),
    }


def _text(order, link: str, words: dict) -> str:
    lines = [words["dear"], "", words["thanks"], ""]
    for line in order.lines:
        lines.append(
            f"  {line.quantity} × {line.snapshot.display_name}"
            f"  {money_text(line.total, order.currency)}"
        )
    lines += [
        f"  {words['total']}: {money_text(order.total, order.currency)}",
        "",
        f"{words['pay']} ({words['private']}):",
        link,
        "",
        words["gift"],
    ]
    return "\n".join(lines) + "\n"


def _html(order, link: str, words: dict) -> str:
    rows = "".join(
        f"<tr><td>{line.quantity} ×</td><td>{escape(line.snapshot.display_name)}</td>"
        f"<td align='right'>{escape(money_text(line.total, order.currency))}</td>"
        "</tr>\n"
        for line in order.lines
    )
    return (
        f"<html><body>\n<p>{escape(words['dear'])}</p>\n"
        f"<p>{escape(words['thanks'])}</p>\n"
        f"<table>\n{rows}<tr><th colspan='2' align='left'>"
        f"{escape(words['total'])}</th>"
        f"<th align='right'>{escape(money_text(order.total, order.currency))}</th>"
        "</tr>\n"
        "</table>\n"
        f"<p><a href='{escape(link)}'>{escape(words['pay'])}</a>"
        f" ({escape(words['private'])}).</p>\n"
        f"<p>{escape(words['gift'])}</p></body></html>"
    )


def confirmation_message(order, token: str) -> EmailMessage:
    shop = shop_name()
    link = order_status_url(token)
    # CRLF line ends, as SMTP wants them (bare LFs make strict servers
    # refuse the message as one over-long line).
    message = EmailMessage(policy=policy.SMTP)
    words = _words(order, shop)
    message["Subject"] = translate(
        _(
            "Your order ${number} at ${shop}",
            mapping={"number": order.number, "shop": shop},
        ),
        context=current_request(),
    )
    message["From"] = shop_sender()
    message["To"] = order.email  # MailHost sets it from the recipient anyway
    message["Message-ID"] = make_msgid(domain=order.email.rsplit("@", 1)[-1])
    # Quoted-printable keeps every line short, whatever customers type:
    # SMTP refuses lines over 998 characters (RFC 5321).
    message.set_content(_text(order, link, words), cte="quoted-printable")
    message.add_alternative(
        _html(order, link, words), subtype="html", cte="quoted-printable"
    )
    return message


def send_confirmation(order, token: str, *, tell_shop: bool = True) -> bool:
    """Send the confirmation to the customer, and the shop its new-order
    notice unless the shop turned copies off (or ``tell_shop`` is false: a
    resend is no new order), on commit.

    Each is a message of its own: the customer never sees the shop's
    address, and the shop never gets the customer's secret link. Returns
    False (and logs) if mail isn't set up; a shop without mail still takes
    orders.
    """
    if not api.portal.get_registry_record("plone.email_from_address", default=""):
        logger.warning("No site e-mail address: no confirmation for %s", order.number)
        return False
    with speaking(order.customer_language):
        message = confirmation_message(order, token)
    sender = message["From"].addresses[0].addr_spec
    # MailHost writes its recipients into the To header: the shop's copy is
    # a message of its own, so the customer never sees the shop's address.
    # The bare address: customers' names stay out of MailHost's header munging.
    copies = [(message, order.email)]
    shop_email = get_setting("shop_email", "")
    if tell_shop and shop_email and get_setting("notify_shop", True):
        try:
            copies.append((new_order_notice(order, shop_email), shop_email))
        except Exception:  # the shop's notice must never cost the order
            logger.exception("Could not write the shop's mail about %s", order.number)
    send_on_commit(copies, sender, f"the confirmation of order {order.number}")
    return True
