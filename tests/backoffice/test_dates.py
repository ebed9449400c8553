"""Listing dates follow the visitor's language (presentation/dates.py)."""

from DateTime import DateTime
from getpaid.orders.presentation.dates import date_formatter

import pytest


WHEN = DateTime("2026-11-23 17:05:00 GMT+0")


@pytest.mark.parametrize(
    "language, with_time, expected",
    [
        ("en", True, "Nov 23, 2026 5:05\u202fPM"),
        ("en", False, "Nov 23, 2026"),
        ("de", True, "23. Nov. 2026 17:05"),
        ("it", False, "23 nov 2026"),
        ("pl", True, "23 lis 2026 17:05"),
        ("pt-br", False, "23 de nov. de 2026"),
        ("xx-unknown", False, "Nov 23, 2026"),  # falls back to English
    ],
)
def test_dates_in_the_request_language(
    portal, http_request, language, with_time, expected
):
    http_request["LANGUAGE"] = language
    assert date_formatter(with_time)(WHEN) == expected
