"""The shop's mail about a new order: who ordered what, the customer's
comment, and the order's page in the back office.

Never the customer's secret link, which the customer's own confirmation
carries: whoever reads a shared shop mailbox must not hold the customer's
order (pay, cancel, share). In the site's language, for the shop's people;
a reply goes to the customer.
"""

from email import policy
from email.message import EmailMessage
from getpaid.orders import _
from getpaid.orders.language import site_language
from getpaid.orders.mail.sending import shop_sender
from getpaid.orders.money import money_text
from html import escape
from zope.i18n import translate


def new_order_notice(order, shop_email: str) -> EmailMessage:
    language = site_language()

    def tr(message) -> str:
        return translate(message, target_language=language)

    def amount(value) -> str:
        return money_text(value, order.currency, language)

    name = " ".join(f"{order.first_name} {order.last_name}".split())
    intro = tr(
        _(
            "New order ${number} from ${name} (${email}):",
            mapping={"number": order.number, "name": name, "email": order.email},
        )
    )
    lines = [
        (f"{line.quantity} × {line.snapshot.display_name}", amount(line.total))
        for line in order.lines
    ]
    total = (tr(_("Total")), amount(order.total))
    back_office = tr(_("The order in the back office"))
    url = order.absolute_url()
    # What the customer asked for (gift wrap, a delivery time), as written.
    comment = (order.comment or "").strip().splitlines()
    said = tr(_("Customer's comment")) + ":"

    text = "\n".join(
        [
            intro,
            "",
            *(f"  {what}  {price}" for what, price in [*lines, total]),
            "",
            *([said, *(f"  {line}" for line in comment), ""] if comment else []),
            f"{back_office}: {url}",
        ]
    )
    rows = "".join(
        f"<tr><td>{escape(what)}</td><td align='right'>{escape(price)}</td></tr>\n"
        for what, price in [*lines, total]
    )
    comment_markup = (
        f"<p><strong>{escape(said)}</strong><br>\n"
        f"{'<br>'.join(escape(line) for line in comment)}</p>\n"
        if comment
        else ""
    )
    markup = (
        f"<html><body>\n<p>{escape(intro)}</p>\n<table>\n{rows}</table>\n"
        f"{comment_markup}"
        f"<p><a href='{escape(url)}'>{escape(back_office)}</a></p></body></html>"
    )

    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = tr(
        _(
            "New order ${number} from ${name}",
            mapping={"number": order.number, "name": name},
        )
    )
    message["From"] = shop_sender()
    message["To"] = shop_email
    message["Reply-To"] = order.email
    message.set_content(text + "\n", cte="quoted-printable")
    message.add_alternative(markup, subtype="html", cte="quoted-printable")
    return message
