"""Order numbers: readable, unique, and never from a shared counter."""

from datetime import datetime
from datetime import UTC
from getpaid.orders.api.numbering import ALPHABET
from getpaid.orders.api.numbering import new_order_number

import re


def test_format():
    now = datetime(2026, 11, 22, 23, 59, tzinfo=UTC)
    number = new_order_number(taken=lambda n: False, now=now)
    assert re.fullmatch(rf"261122-[{ALPHABET}]{{5}}", number)


def test_no_ambiguous_characters():
    assert not set("01ILO") & set(ALPHABET)


def test_taken_numbers_are_drawn_again():
    draws = iter(["AAAAA", "AAAAA", "BBBBB"])
    taken = {"261122-AAAAA"}
    now = datetime(2026, 11, 22, tzinfo=UTC)
    number = new_order_number(taken.__contains__, now, suffix=lambda: next(draws))
    assert number == "261122-BBBBB"
