"""Claiming guest orders from "My orders": ask, get a mail, follow the link."""

from getpaid.orders import _
from getpaid.orders import logger
from getpaid.orders.api.claim import check_claim_token
from getpaid.orders.api.claim import claim_orders
from getpaid.orders.api.claim import claim_token
from getpaid.orders.mail.links import send_claim_link
from getpaid.orders.mail.sending import can_mail
from getpaid.orders.mail.sending import SHOP_CANNOT_MAIL
from plone import api
from plone.protect import CheckAuthenticator
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zExceptions import Unauthorized
from zope.interface import alsoProvides


def _member():
    if api.user.is_anonymous():
        raise Unauthorized("Log in to claim your orders.")
    member = api.user.get_current()
    return member.getId(), (member.getProperty("email") or "").strip()


NO_MEMBER_EMAIL = _(
    "Your account has no e-mail address: add one to your personal information first."
)


class AskToClaim(BrowserView):
    """POST ``@@claim-orders-request``: mail the member a claim link."""

    def __call__(self):
        user_id, email = _member()
        CheckAuthenticator(self.request)
        portal_url = api.portal.get().absolute_url()
        if not (email and can_mail()):
            logger.warning("No claim link for %s: no address to or from", user_id)
            refusal = SHOP_CANNOT_MAIL if email else NO_MEMBER_EMAIL
            api.portal.show_message(refusal, request=self.request, type="error")
            return self.request.response.redirect(f"{portal_url}/@@my-orders")
        link = f"{portal_url}/@@claim-orders?token={claim_token(user_id, email)}"
        send_claim_link(email, link)
        api.portal.show_message(
            _(
                "We sent a link to your e-mail address: follow it to attach your "
                "earlier orders."
            ),
            request=self.request,
        )
        return self.request.response.redirect(f"{portal_url}/@@my-orders")


class ClaimOrders(BrowserView):
    """GET ``@@claim-orders?token=...`` from the mail: attach the orders."""

    def __call__(self):
        user_id, email = _member()
        portal_url = api.portal.get().absolute_url()
        token = self.request.form.get("token", "")
        if not email or not check_claim_token(token, user_id, email):
            api.portal.show_message(
                _("This link is not valid (any more). Ask for a new one."),
                request=self.request,
                type="error",
            )
        else:
            # A link from our own mail, followed by its member: the write is meant.
            alsoProvides(self.request, IDisableCSRFProtection)
            claimed = claim_orders(user_id, email)
            api.portal.show_message(
                _(
                    "${count} orders attached to your account.",
                    mapping={"count": len(claimed)},
                ),
                request=self.request,
            )
        return self.request.response.redirect(f"{portal_url}/@@my-orders")
