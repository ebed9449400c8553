"""Every mail of the shop, built one way.

A mail is a page template: the view ``@@getpaid-mail-<name>`` on the site
(browser/mails.py). Integrators override one the Plone way, with a view of
the same name for their browser layer (or z3c.jbot). It renders in its
reader's language (the customer's, or the site's for the shop), the
plain-text part is made from its HTML, and it leaves from the site's sender
with the commit (mail/sending.py).
"""

from dataclasses import dataclass
from dataclasses import field
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid
from getpaid.orders import logger
from getpaid.orders.interfaces import IGetpaidOrdersLayer
from getpaid.orders.language import current_request
from getpaid.orders.language import speaking
from getpaid.orders.mail.sending import send_on_commit
from getpaid.orders.mail.sending import sender_address
from getpaid.orders.mail.sending import shop_sender
from getpaid.orders.mail.text import html_to_text
from plone import api
from plone.browserlayer.layer import mark_layer
from types import SimpleNamespace
from ZODB.POSException import ConflictError
from zope.component import getMultiAdapter
from zope.i18n import translate
from zope.interface import alsoProvides
from zope.pagetemplate.pagetemplate import PTRuntimeError

import threading


@dataclass(frozen=True)
class Mail:
    """A message to write: which view renders it, for whom, in what language."""

    name: str  # the view @@getpaid-mail-<name>
    to: str
    subject: str  # a translatable message
    language: str  # its reader's; "" for the site's
    what: str  # for the log: "paid mail of 261123-ABCDE"
    values: dict = field(default_factory=dict)  # what the view shows
    reply_to: str = ""


def compose(mail: Mail) -> EmailMessage:
    """The message: From the site's sender, HTML from the view, text from that."""
    with speaking(mail.language):
        markup = render(mail_view(mail.name, **mail.values))
        subject = translate(mail.subject, context=current_request())
    # CRLF line ends, as SMTP wants them (bare LFs make strict servers
    # refuse the message as one over-long line).
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject
    message["From"] = shop_sender()
    message["To"] = mail.to  # MailHost sets it from the recipient anyway
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["Message-ID"] = make_msgid(domain=sender_address().rpartition("@")[2])
    # Quoted-printable keeps every line short, whatever customers type:
    # SMTP refuses lines over 998 characters (RFC 5321).
    message.set_content(html_to_text(markup), cte="quoted-printable")
    message.add_alternative(markup, subtype="html", cte="quoted-printable")
    return message


def send(mail: Mail, copy: Mail | None = None) -> bool:
    """Write ``mail`` (and the shop's ``copy`` of it); send them with the commit.

    Each is a message of its own: a reader never sees the other's address.
    A mail that can't be written is logged, never raised, so that it can't
    cost what it tells of (an order, a payment): if ``mail`` fails, its copy
    isn't sent either (it would copy a mail nobody got); a failing copy
    costs only itself. Returns whether ``mail`` is on its way.
    """
    message = _written(mail)
    if message is None:
        return False
    messages = [(message, mail.to)]
    copied = _written(copy) if copy is not None else None
    if copied is not None:
        messages.append((copied, copy.to))
    send_on_commit(messages, sender_address(), f"the {mail.what}")
    return True


def _written(mail: Mail) -> EmailMessage | None:
    try:
        return compose(mail)
    except ConflictError:  # the transaction is retried, its mail with it
        raise
    except Exception:  # a broken template (an integrator's, say)
        logger.exception("Could not write the %s", mail.what)
        return None


def mail_view(name: str, **values):
    """The view that renders mail ``name``, for the current request."""
    portal, request = api.portal.get(), current_request()
    if not IGetpaidOrdersLayer.providedBy(request):
        # A cron job or thread: no publication applied the site's browser
        # layers. Apply them as one does, so an integrator's mail is used.
        mark_layer(portal, SimpleNamespace(request=request))
        alsoProvides(request, IGetpaidOrdersLayer)
    view = getMultiAdapter((portal, request), name=f"getpaid-mail-{name}")
    for key, value in values.items():
        setattr(view, key, value)
    view.prepared = True
    return view


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
