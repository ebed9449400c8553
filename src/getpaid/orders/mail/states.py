"""A mail to the customer (and a copy to the shop) for each state an order reaches.

Each mail is a page template, the view ``@@getpaid-mail-<state>`` on the
site: integrators override one the Plone way, with a view of the same name
for their browser layer (or z3c.jbot). The plain-text part is made from the
HTML. Where it helps (pay again after a failure, follow a delivery) the mail
carries a fresh owner link: tokens are never stored, so each mail mints one.
Sent with the commit, once, from the site's sender (mail/sending.py).
"""

from email import policy
from email.message import EmailMessage
from getpaid.orders import _
from getpaid.orders import logger
from getpaid.orders.api.links import create_link
from getpaid.orders.api.links import OWNER
from getpaid.orders.controlpanel.settings import get_setting
from getpaid.orders.interfaces import IGetpaidOrdersLayer
from getpaid.orders.language import site_language
from getpaid.orders.language import speaking
from getpaid.orders.mail.confirmation import order_status_url
from getpaid.orders.mail.sending import send_on_commit
from plone import api
from zope.component import getMultiAdapter
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.interface import alsoProvides
from zope.pagetemplate.pagetemplate import PTRuntimeError

import html
import re
import threading


# State -> (subject, include an owner link). "created" has the confirmation.
STATE_MAILS = {
    "paid": (_("Payment received for your order ${number}"), False),
    "payment_failed": (_("The payment for your order ${number} failed"), True),
    "timeout": (_("Your order ${number} was not paid in time"), False),
    "canceled": (_("Your order ${number} has been canceled"), False),
    "delivered": (_("Your order ${number} is on its way"), True),
    "completed": (_("Your order ${number} is complete"), False),
    "expired": (_("Your purchase in order ${number} has ended"), False),
    "refunded": (_("Your order ${number} has been refunded"), False),
}


def html_to_text(markup: str) -> str:
    """The plain-text part: HTML's whitespace rules, blocks on lines of their own."""
    text = re.sub(r"(?is)<(script|style).*?</\1>", "", markup)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"(?i)<li[^>]*>", "\n- ", text)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</ul>|</h\d>", "\n\n", text)
    text = re.sub(r'(?i)<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2: \1", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# Python 3.11.7 and older can fail to compile a template while another thread
# compiles one (CPython gh-106905, fixed in 3.11.8), and Zope compiles a
# template at its first use: in a fresh instance, two threads writing the
# same paid mail both failed, and the order was paid without one. So a
# process renders one mail at a time, and a template that failed to compile
# (Zope compiles it again at its next use) gets a second try; a template that
# is really broken fails both.
_rendering = threading.Lock()


def render(view) -> str:
    with _rendering:
        try:
            return view()
        except PTRuntimeError:
            return view()


def back_office_url(order) -> str:
    """The order's page for staff; "" when nobody could open the URL (a cron
    job's request knows no host: ``http://nohost``)."""
    url = order.absolute_url()
    return "" if url.startswith("http://nohost") else url


def state_mail(order, state: str, for_shop: bool = False) -> EmailMessage | None:
    """The customer's mail for ``state``; with ``for_shop``, the shop's copy
    of it, which links to the order in the back office instead of carrying
    a secret link (a shared mailbox must not hold the customer's order)."""
    if state not in STATE_MAILS:
        return None
    sender = api.portal.get_registry_record("plone.email_from_address", default="")
    if not sender:
        logger.warning("No site e-mail address: no %s mail for %s", state, order.number)
        return None
    subject, with_link = STATE_MAILS[state]
    portal = api.portal.get()
    request = getRequest() or portal.REQUEST
    if not IGetpaidOrdersLayer.providedBy(request):
        # A cron job or thread: no publication applied the site's layers.
        alsoProvides(request, IGetpaidOrdersLayer)
    view = getMultiAdapter((portal, request), name=f"getpaid-mail-{state}")
    view.order = order
    view.for_shop = for_shop
    if for_shop:
        view.link = back_office_url(order)
    else:
        view.link = order_status_url(create_link(order, OWNER)) if with_link else ""
    markup = render(view)
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = translate(
        _(subject, mapping={"number": order.number}), context=request
    )
    message["From"] = sender
    message["To"] = order.email
    message.set_content(html_to_text(markup), cte="quoted-printable")
    message.add_alternative(markup, subtype="html", cte="quoted-printable")
    return message


def on_state_changed(event) -> None:
    order = event.order
    try:
        with speaking(order.customer_language):
            message = state_mail(order, event.new_state)
    except Exception:  # a broken mail template must not stop the order
        logger.exception(
            "Could not write the %s mail of %s", event.new_state, order.number
        )
        return
    if message is None:
        return
    sender = message["From"]
    copies = [(message, order.email)]
    shop_email = get_setting("shop_email", "")
    if shop_email and get_setting("notify_shop", True):
        try:
            with speaking(site_language()):  # the shop's people read it
                copy = state_mail(order, event.new_state, for_shop=True)
        except Exception:  # as the customer's: never stop the order
            logger.exception("Could not write the shop's copy of %s", order.number)
            copy = None
        if copy is not None:
            copy.replace_header("To", shop_email)
            copies.append((copy, shop_email))
    send_on_commit(copies, str(sender), f"the {event.new_state} mail of {order.number}")
