"""getpaid.orders: orders exist before payment."""

from zope.i18nmessageid import MessageFactory

import logging


PACKAGE_NAME = "getpaid.orders"

_ = MessageFactory(PACKAGE_NAME)

logger = logging.getLogger(PACKAGE_NAME)
