"""``@@getpaid-sweep?key=…``: the sweeper for a clock server or ``curl`` in cron."""

from getpaid.orders.api.sweeper import sweep
from getpaid.orders.controlpanel.settings import get_setting
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zExceptions import NotFound
from zope.interface import alsoProvides

import hmac


class SweepView(BrowserView):
    def __call__(self):
        expected = get_setting("sweeper_key", "") or ""
        given = self.request.form.get("key", "")
        if (
            not expected
            or not isinstance(given, str)
            # surrogatepass: bytes that weren't UTF-8 are a wrong key, not a 500
            or not hmac.compare_digest(
                given.encode("utf-8", "surrogatepass"), expected.encode()
            )
        ):
            raise NotFound("getpaid-sweep")  # off, or a wrong key: nothing here
        alsoProvides(self.request, IDisableCSRFProtection)  # a job, not a form
        self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
        self.request.response.setHeader("Cache-Control", "no-store")
        return str(sweep())
