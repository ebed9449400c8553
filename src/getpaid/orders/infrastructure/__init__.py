"""What a shop needs from Zope, ZODB and MailHost, apart from the order domain.

Each piece works Plone-wide, not only for orders, and none of the order
domain depends on how it works:

- ``mail_queue``: MailHost's queue kept sending with the mail settings of
  the day (opt-in: ``GETPAID_TEND_MAIL_QUEUE=on``, since it changes how
  every mail of the site is sent; written against the Products.MailHost and
  zope.sendmail versions it names, which tests/infrastructure checks);
- ``database_unavailable``: 503 + Retry-After while a database server is
  away (opt-in: a WSGI filter in zope.ini, and exception views);
- ``conflicts``: a log line for each ZODB conflict Zope retries (logging
  only).
"""
