"""The views that render the shop's mails (templates/mail_*.pt), one per
mail, ``@@getpaid-mail-<name>`` on the site: override one for your browser
layer to change a mail. mail/compose.py sets what a view shows (``order``,
``link``…) and makes the plain text from its HTML; published directly, a
view shows nothing."""

from DateTime import DateTime
from getpaid.orders.mail.sending import shop_name
from getpaid.orders.money import money_text
from getpaid.orders.presentation.dates import date_formatter
from getpaid.orders.workflow import UNPAID_STATES
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound


class MailView(BrowserView):
    template = None
    prepared = False  # set by the mail's caller: only then is there a mail
    order = None
    link = ""  # the customer's secret link, or for the shop the back office's
    for_shop = False  # the shop's copy

    def __call__(self):
        if not self.prepared:
            raise NotFound(self.__name__)
        # A browser:page with a template of its own (an integrator's
        # override of this class) has it as ``index``.
        return getattr(self, "index", self.template)()

    @property
    def shop_name(self) -> str:
        return shop_name()

    @property
    def customer(self) -> str:
        """The customer's name, spaces tidied."""
        return self.order.customer_name

    def lines(self) -> list[dict]:
        currency = self.order.currency
        return [
            {
                "quantity": line.quantity,
                "name": line.snapshot.display_name,
                "total": money_text(line.total, currency),
            }
            for line in self.order.lines
        ]

    @property
    def total(self) -> str:
        return money_text(self.order.total, self.order.currency)


class StateMail(MailView):
    """A state's mail to the customer, and with ``for_shop`` the shop's copy."""

    template = ViewPageTemplateFile("templates/mail_state.pt")

    @property
    def state(self) -> str:
        return self.__name__.removeprefix("getpaid-mail-")


class ConfirmationMail(MailView):
    """The customer's confirmation: what they ordered, and their secret link."""

    template = ViewPageTemplateFile("templates/mail_confirmation.pt")

    @property
    def unpaid(self) -> bool:
        """Pay, or (resent after payment) only follow the order."""
        return api.content.get_state(self.order) in UNPAID_STATES


class NewOrderMail(MailView):
    """The shop's mail about a new order: never the customer's secret link,
    whoever reads the shop's mailbox; ``link`` is the back office's page."""

    template = ViewPageTemplateFile("templates/mail_new_order.pt")
    for_shop = True

    def comment(self) -> list[str]:
        """What the customer asked for (gift wrap, a delivery time), as written."""
        return (self.order.comment or "").strip().splitlines()


class OwnerLinkMail(MailView):
    """A fresh owner link for the customer, and why it came (``reason``)."""

    template = ViewPageTemplateFile("templates/mail_owner_link.pt")
    reason = ""


class NoteMail(MailView):
    """A note staff wrote for the customer (``note``, content/note.py)."""

    template = ViewPageTemplateFile("templates/mail_note.pt")
    note = None

    def note_lines(self) -> list[str]:
        """The note as written, line by line."""
        return self.note.text.splitlines()


class ReminderMail(MailView):
    """A reminder to pay an unpaid order (``kind``: first, last or manual),
    with a new link to its page and when it times out (``deadline``)."""

    template = ViewPageTemplateFile("templates/mail_reminder.pt")
    kind = ""
    deadline = None  # an aware datetime

    @property
    def last(self) -> bool:
        return self.kind == "last"

    @property
    def deadline_text(self) -> str:
        """When the order times out, in the mail's language and the site's
        time zone."""
        when = DateTime(self.deadline)
        return date_formatter()(when.toZone(DateTime().localZone()))


class AttentionMail(MailView):
    """The shop's alert: an order needs a person (``reason``)."""

    template = ViewPageTemplateFile("templates/mail_attention.pt")
    for_shop = True
    reason = ""


class ClaimMail(MailView):
    """A member's link to attach their earlier guest orders to their account."""

    template = ViewPageTemplateFile("templates/mail_claim.pt")
