"""POST ``<order>/@@refund``: staff refund from the order page.

The form (templates/order.pt, from api/refunds.py's ``refundable``) sends
the amount, a note to the customer, and ``seen``: the refunds recorded when
the page was shown, so the same form posted twice refunds once. What may
be refunded, and how, is api/refunds.py's; this only says the outcome.
"""

from getpaid.orders.api import refunds
from getpaid.orders.browser.order_actions import OrderAction
from getpaid.orders.browser.order_actions import say
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.transactions import give_up
from getpaid.orders.workflow import SOURCE_MANAGER


class RefundOrder(OrderAction):
    """Staff only (ManageOrders, in ZCML); a refused refund changes nothing."""

    def act(self, order, seen):
        form = self.request.form
        amount = str(form.get("amount", "")).strip()
        counted = str(form.get("seen", ""))
        try:
            outcome = refunds.refund(
                order,
                amount,
                str(form.get("note", "")),
                source=SOURCE_MANAGER,
                seen=int(counted) if counted.isdigit() else -1,
            )
        except GetpaidError as error:
            give_up()
            say(self.request, error.translated(self.request), error=True)
        else:
            say(
                self.request,
                refunds.outcome_message(outcome, amount, order.currency),
            )
