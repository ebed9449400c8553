"""A WSGI filter for instances on a database server (RelStorage).

While the database is unreachable (restarting, failing over), a request
fails before Zope can render an error page and the WSGI server answers a
bare 500. This filter answers ``503 Service Unavailable`` with
``Retry-After`` instead, so browsers, API clients and load balancers know
to try again; a checkout retried with its idempotency key places its order
once. It goes in each instance's ``zope.ini`` pipeline as
docs/howto-scale-out.rst shows (scripts/cluster.py writes it so).
"""

from getpaid.orders import logger

import sys


BODY = b"The shop's database is briefly unavailable. Please try again shortly.\n"
RETRY_AFTER = 5  # seconds


def unavailable_headers(retry_after: int) -> list[tuple[str, str]]:
    return [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Retry-After", str(retry_after)),
        ("Cache-Control", "no-store"),
    ]


def disconnect_errors() -> tuple[type[Exception], ...]:
    """The errors of a lost database connection, for the drivers installed."""
    errors = []
    try:
        import psycopg2

        errors += [psycopg2.OperationalError, psycopg2.InterfaceError]
    except ImportError:  # pragma: no cover - RelStorage is an extra
        pass
    try:
        from relstorage.adapters.interfaces import ReplicaClosedException

        errors.append(ReplicaClosedException)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


class DatabaseUnavailable:
    def __init__(self, app, retry_after: int = RETRY_AFTER):
        self.app, self.retry_after = app, retry_after
        self.errors = disconnect_errors()

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        except self.errors as error:
            logger.warning("Database unavailable, answered 503: %s", error)
            start_response(
                "503 Service Unavailable",
                [
                    *unavailable_headers(self.retry_after),
                    ("Content-Length", str(len(BODY))),
                ],
                sys.exc_info(),
            )
            return [BODY]


def filter_app_factory(app, global_conf, retry_after=str(RETRY_AFTER)):
    """The PasteDeploy entry point ``egg:getpaid.orders#database_unavailable``."""
    return DatabaseUnavailable(app, int(retry_after))


class DatabaseUnavailableView:
    """The same answer when the connection is lost inside Zope's publisher
    (registered for psycopg2's errors as Zope's exception view)."""

    def __init__(self, context, request):
        self.context, self.request = context, request

    def __call__(self):
        logger.warning("Database unavailable, answered 503: %s", self.context)
        response = self.request.response
        response.setStatus(503, lock=True)  # nothing after us may make it a 500
        for name, value in unavailable_headers(RETRY_AFTER):
            response.setHeader(name, value)
        return BODY
