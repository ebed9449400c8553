"""A payment record, for shop staff: what the provider said, verbatim."""

from getpaid.orders.privacy import set_no_store
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class PaymentView(BrowserView):
    template = ViewPageTemplateFile("templates/payment.pt")

    def __call__(self):
        set_no_store(self.request.response)
        return self.template()

    def raw_text(self) -> str:
        """The notification as received, decoded in its own charset."""
        raw = self.context.raw or b""
        try:
            return raw.decode(self.context.charset or "utf-8")
        except (LookupError, UnicodeDecodeError):
            return raw.decode("latin-1")

    def fields(self) -> list[tuple[str, str]]:
        payment = self.context
        return [
            ("Provider", payment.provider),
            ("Transaction", payment.txn_id),
            ("Parent transaction", payment.parent_txn_id or ""),
            ("Status", payment.status),
            ("Amount", f"{payment.amount} {payment.currency}"),
            ("Received", payment.received_at.isoformat()),
            ("Charset", payment.charset or ""),
        ]
