"""Refunds through PayPal's API, from the back office.

Being written: see issue 23.
"""


def refund(order, payment, amount, note):
    raise NotImplementedError
