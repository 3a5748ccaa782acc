"""The analysis' reading of a month (``YYYY-MM``, strictly) and its check against the store's data; the month
itself is the ranking's (reports/month.py)."""

from __future__ import annotations

import re

from hotline_tui.errors import InputError
from hotline_tui.reports.month import Month, this_month

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})\Z")  # ASCII digits only


def month_of_ms(ms: int) -> Month:
    return this_month(ms)


def parse_month(text: object) -> Month:
    """``2026-11`` → Month; anything else is an InputError saying what is expected."""
    if not isinstance(text, str):
        raise InputError("the month must be given as YYYY-MM, for example 2026-11")
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        shown = text if len(text) <= 40 and text.isprintable() else repr(text[:40])
        raise InputError(f"not a month: {shown} (give YYYY-MM, for example 2026-11)")
    return Month(int(m.group(1)), int(m.group(2)))


def check_month(month: Month, now_ms: int, first_ms: int | None) -> None:
    """Refuse a month after the current one, or one before the store's first request."""
    if month > month_of_ms(now_ms):
        raise InputError(f"{month.label} is in the future (this month is {month_of_ms(now_ms).label})")
    if first_ms is None:
        raise InputError(f"no requests in the store yet: nothing to analyse for {month.label}")
    if month < month_of_ms(first_ms):
        raise InputError(f"{month.label} is before any data (the store's first request is of {month_of_ms(first_ms).label})")
