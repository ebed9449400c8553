"""The views that render state mails (templates/mail_state.pt): override one
for your browser layer to change a mail."""

from getpaid.orders.mail.sending import shop_name
from getpaid.orders.money import money_text
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound


class StateMail(BrowserView):
    template = ViewPageTemplateFile("templates/mail_state.pt")
    order = None
    link = ""  # the customer's secret link, or for the shop the back office's
    for_shop = False  # the shop's copy

    def __call__(self):
        if self.order is None:  # published directly: there is no mail here
            raise NotFound(self.__name__)
        return self.template()

    @property
    def state(self) -> str:
        return self.__name__.removeprefix("getpaid-mail-")

    @property
    def shop_name(self) -> str:
        return shop_name()

    def lines(self) -> list[dict]:
        return [
            {"quantity": line.quantity, "name": line.snapshot.display_name}
            for line in self.order.lines
        ]

    @property
    def total(self) -> str:
        return money_text(self.order.total, self.order.currency)
