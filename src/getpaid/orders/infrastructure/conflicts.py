"""Log the ZODB conflicts Zope retries, naming what conflicted.

Zope retries a request that hit a ConflictError, silently, after a random
pause that doubles each time (up to 1 s, then 2 s, 4 s...). A shop that
slows down under load needs to know which objects its transactions fight
over: the error names the object's class and oid.
"""

from getpaid.orders import logger
from ZODB.POSException import ConflictError


def log_conflict(event):
    error = event.exc_info[1]
    if not isinstance(error, ConflictError):
        return
    request = event.request
    where = f"{request.get('REQUEST_METHOD', '')} {request.get('PATH_INFO', '')}"
    retries = request.retry_count
    if event.retry:
        logger.info(
            "Conflict, retry %s of %s for %s: %s",
            retries + 1,
            request.retry_max_count,
            where,
            error,
        )
    else:
        logger.warning(
            "Conflict, gave up on %s after %s retries: %s", where, retries, error
        )
