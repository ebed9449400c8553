"""``<order>/@@edit-order``: the shop manager's order editor.

Lines (quantities, removal, new products) only while the order is unpaid;
existing lines keep their snapshots, new products are snapshotted now, the
total follows from the lines. The state moves only by a transition the
workflow allows, with a comment. Message, start and end are plain fields.
Every change goes through the domain layer, so it lands in the history.
"""

from datetime import datetime
from datetime import UTC
from getpaid.orders import _
from getpaid.orders import api as shop
from getpaid.orders.api.access import access
from getpaid.orders.api.access import OWNER_LINK
from getpaid.orders.api.orders import check_lines_editable
from getpaid.orders.api.products import buyable_products
from getpaid.orders.exceptions import GetpaidError
from getpaid.orders.exceptions import InvalidQuantity
from getpaid.orders.exceptions import InvalidValue
from getpaid.orders.exceptions import MailUnavailable
from getpaid.orders.exceptions import NotAwaitingPayment
from getpaid.orders.exceptions import OrderAnonymised
from getpaid.orders.exceptions import OrderNotEditable
from getpaid.orders.mail.sending import NO_MAIL
from getpaid.orders.money import money_text
from getpaid.orders.privacy import set_no_store
from getpaid.orders.transactions import give_up
from getpaid.orders.workflow import SOURCE_MANAGER
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class OrderEditor(BrowserView):
    template = ViewPageTemplateFile("templates/editor.pt")
    error = ""

    def __call__(self):
        set_no_store(self.request.response)
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            form = self.request.form
            if "resend" in form:
                return self.resend()
            if "payment_link" in form:
                return self.payment_link()
            if "save" in form and self.save(form):
                return self.request.response.redirect(self.context.absolute_url())
        return self.template()

    # What the form shows

    @property
    def unpaid(self) -> bool:
        """Whether a payment link makes sense: whether its holder would be
        invited to pay (api/access.py), which a paid order's would not."""
        return access(self.context, OWNER_LINK).may_pay

    @property
    def lines_editable(self) -> str:
        """'' when lines may change, else why not."""
        try:
            check_lines_editable(self.context)
        except OrderNotEditable as error:
            return error.translated(self.request)
        return ""

    def lines(self) -> list[dict]:
        return [
            {
                "uid": line.product_uid,
                "name": line.snapshot.display_name,
                "unit_price": money_text(line.snapshot.unit_price, line.currency),
                "quantity": line.quantity,
            }
            for line in self.context.lines
        ]

    def products(self) -> list[dict]:
        """Buyable products in the order's currency, to add."""
        on_order = {line.product_uid for line in self.context.lines}
        return [
            {"uid": brain.UID, "title": brain.Title}
            for brain in buyable_products()
            if brain.UID not in on_order
        ]

    def transitions(self) -> list[dict]:
        """The transitions the workflow allows now: ids and titles."""
        tool = api.portal.get_tool("portal_workflow")
        (workflow,) = tool.getWorkflowsFor(self.context)
        return [
            {"id": id, "title": workflow.transitions[id].title or id}
            for id in shop.allowed_transitions(self.context, SOURCE_MANAGER)
        ]

    def when(self, name: str) -> str:
        value = getattr(self.context, name, None)
        return value.strftime("%Y-%m-%dT%H:%M") if value else ""

    # What the form does

    def save(self, form) -> bool:
        order = self.context
        try:
            if not self.lines_editable:
                self.save_lines(form)
            self.save_fields(form)
            transition = form.get("transition")
            if transition:
                shop.fire(
                    order,
                    transition,
                    source=SOURCE_MANAGER,
                    comment=form.get("comment", ""),
                )
        except GetpaidError as error:
            give_up()  # all or nothing
            self.error = error.translated(self.request)
            return False
        api.portal.show_message(_("Order saved."), request=self.request)
        return True

    def save_lines(self, form) -> None:
        order = self.context
        items = []
        for line in order.lines:
            if form.get(f"remove.{line.product_uid}"):
                continue
            quantity = form.get(f"quantity.{line.product_uid}", line.quantity)
            items.append((line.product_uid, _whole(quantity)))
        unchanged = items == [(line.product_uid, line.quantity) for line in order.lines]
        new_uid = form.get("add_product")
        if new_uid:
            product = api.content.get(UID=new_uid)
            items.append((product, _whole(form.get("add_quantity", 1))))
        if new_uid or not unchanged:
            shop.set_lines(
                order, items, source=SOURCE_MANAGER, comment=form.get("comment", "")
            )

    def save_fields(self, form) -> None:
        changes = {"message": form.get("message") or None}
        for name in ("start", "end"):
            raw = form.get(name) or ""
            if raw and not _is_datetime(raw):
                raise InvalidValue(
                    _("${value} is not a date and time.", mapping={"value": repr(raw)})
                )
            changes[name] = (
                datetime.fromisoformat(raw).replace(tzinfo=UTC) if raw else None
            )
        shop.update_order(self.context, changes, source=SOURCE_MANAGER)

    def resend(self):
        order = self.context
        try:
            shop.resend_order_mail(order)
        except OrderAnonymised as error:
            return self.refuse_anonymised(error)
        except MailUnavailable:
            return self.refuse_without_mail()
        api.portal.show_message(
            _("The order e-mail is on its way."), request=self.request
        )
        return self.request.response.redirect(order.absolute_url())

    def payment_link(self):
        order = self.context
        try:
            shop.send_payment_link(order)
        except OrderAnonymised as error:
            return self.refuse_anonymised(error)
        except NotAwaitingPayment as error:  # a form left open while it was paid
            api.portal.show_message(
                error.translated(self.request), request=self.request, type="error"
            )
            return self.request.response.redirect(order.absolute_url())
        except MailUnavailable:
            return self.refuse_without_mail()
        api.portal.show_message(
            _("A payment link is on its way."), request=self.request
        )
        return self.request.response.redirect(order.absolute_url())

    def refuse_anonymised(self, error):
        give_up()
        api.portal.show_message(
            error.translated(self.request), request=self.request, type="error"
        )
        return self.request.response.redirect(self.context.absolute_url())

    def refuse_without_mail(self):
        api.portal.show_message(NO_MAIL, request=self.request, type="error")
        return self.request.response.redirect(self.context.absolute_url())


def _whole(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidQuantity(
            _("${quantity} is not a whole number.", mapping={"quantity": repr(value)})
        ) from None


def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


class EditRedirect(BrowserView):
    """Plone's generic edit form on an order: send staff to the order editor.

    Dexterity's @@edit would write fields directly, with no history entry
    and none of the editor's rules; an order has one way to be edited.
    """

    def __call__(self):
        return self.request.response.redirect(
            f"{self.context.absolute_url()}/@@edit-order"
        )
