"""A report's month: ``YYYY-MM`` read strictly, its bounds in China's time, the months around it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from hotline_tui.domain.calendar import CHINA
from hotline_tui.errors import InputError

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})\Z")  # ASCII digits only


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start_ms(self) -> int:
        return int(dt.datetime(self.year, self.month, 1, tzinfo=CHINA).timestamp() * 1000)

    @property
    def end_ms(self) -> int:
        return self.shift(1).start_ms

    def shift(self, months: int) -> Month:
        n = self.year * 12 + self.month - 1 + months
        return Month(n // 12, n % 12 + 1)

    def last(self, count: int) -> list[Month]:
        """The ``count`` months ending with this one, oldest first."""
        return [self.shift(-i) for i in range(count - 1, -1, -1)]


def month_of_ms(ms: int) -> Month:
    d = dt.datetime.fromtimestamp(ms / 1000, CHINA)
    return Month(d.year, d.month)


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
