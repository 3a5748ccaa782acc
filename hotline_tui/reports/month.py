"""A report's month: ``YYYY-MM`` read strictly, its bounds in China's time (ms), the months before it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from hotline_tui.domain.calendar import CHINA, local_date
from hotline_tui.errors import InputError

MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})\Z")  # ASCII digits only: ２０２６-１１ is refused, not read
FIRST_YEAR = 2000  # before any hotline data this desk could hold


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start_ms(self) -> int:
        return int(dt.datetime(self.year, self.month, 1, tzinfo=CHINA).timestamp() * 1000)

    @property
    def end_ms(self) -> int:
        """The first millisecond of the next month (the month is [start_ms, end_ms))."""
        return self.next().start_ms

    def prev(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def year_so_far(self) -> list[Month]:
        """January of this year up to this month, in order."""
        return [Month(self.year, m) for m in range(1, self.month + 1)]

    @property
    def label(self) -> str:
        return str(self)

    def shift(self, months: int) -> Month:
        n = self.year * 12 + self.month - 1 + months
        return Month(n // 12, n % 12 + 1)

    def last(self, count: int) -> list[Month]:
        """The ``count`` months ending with this one, oldest first."""
        return [self.shift(-i) for i in range(count - 1, -1, -1)]


def this_month(now_ms: int) -> Month:
    day = local_date(now_ms)
    return Month(day.year, day.month)


def parse_month(text: str, now_ms: int | None = None) -> Month:
    """``YYYY-MM`` (2026-11); a future month is refused when ``now_ms`` is given."""
    raw = (text or "").strip()
    if not raw:
        raise InputError("a month is needed, as YYYY-MM (2026-11)")
    shown = raw if len(raw) <= 20 else raw[:20] + "…"
    m = MONTH_RE.match(raw)
    if not m:
        raise InputError(f"month {shown!r} is not YYYY-MM (2026-11)")
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        raise InputError(f"month {shown!r}: there is no month {month:02d} (01-12)")
    if year < FIRST_YEAR:
        raise InputError(f"month {shown!r} is before {FIRST_YEAR}: no hotline data that old")
    out = Month(year, month)
    if now_ms is not None and out > this_month(now_ms):
        raise InputError(f"month {out} has not begun yet (today is {local_date(now_ms).isoformat()})")
    return out
