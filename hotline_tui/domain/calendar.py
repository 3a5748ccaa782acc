"""Working days on China's holiday and 调休 calendar, with overrides and a visible fallback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


def local_date(ms: int) -> dt.date:
    return dt.datetime.fromtimestamp(ms / 1000, CHINA).date()


def end_of_day_ms(day: dt.date) -> int:
    """The last millisecond of ``day`` in China's time."""
    nxt = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), CHINA)
    return int(nxt.timestamp() * 1000) - 1


@dataclass
class WorkCalendar:
    """``overrides`` maps a date to True (a day off) or False (a working day); they win over the package."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._cache: dict[dt.date, tuple[bool, bool]] = {}
        self._base: int | None = None  # the ordinal before the first day counted in _upto
        self._upto: list[int] = []  # _upto[i]: working days in (base, base + i]

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(is a working day, estimated): estimated when neither the overrides nor the package know the day."""
        hit = self._cache.get(day)
        if hit is not None:
            return hit
        if day in self.overrides:
            result = (not self.overrides[day], False)
        else:
            try:
                import chinese_calendar

                result = (bool(chinese_calendar.is_workday(day)), False)
            except (NotImplementedError, ImportError):
                result = (day.weekday() < 5, True)
        self._cache[day] = result
        return result

    def next_workday(self, day: dt.date) -> tuple[dt.date, bool]:
        estimated = False
        while True:
            work, est = self.is_workday(day)
            estimated |= est
            if work:
                return day, estimated
            day += dt.timedelta(days=1)

    def add_workdays(self, start: dt.date, days: int) -> tuple[dt.date, bool]:
        """The date ``days`` working days after ``start`` (0: ``start`` if it is a working day, else the next)."""
        day, estimated = self.next_workday(start)
        for _ in range(days):
            day, est = self.next_workday(day + dt.timedelta(days=1))
            estimated |= est
        return day, estimated

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is before ``start``.
        Counted once per day into running totals, so a list of hundreds of deadlines costs a look-up each."""
        if end == start:
            return 0
        return self._total(end) - self._total(start)

    def _total(self, day: dt.date) -> int:
        """Working days in (base, day], the base being a day before every day asked about so far."""
        ordinal = day.toordinal()
        if self._base is None or ordinal < self._base:
            self._restart(ordinal - 366)
        while self._base + len(self._upto) - 1 < ordinal:
            nxt = dt.date.fromordinal(self._base + len(self._upto))
            self._upto.append(self._upto[-1] + (1 if self.is_workday(nxt)[0] else 0))
        return self._upto[ordinal - self._base]

    def _restart(self, base: int) -> None:
        """Count again from ``base`` (earlier than before), up to where the totals reached."""
        reached = self._base + len(self._upto) - 1 if self._base is not None else base
        self._base, self._upto = base, [0]
        while self._base + len(self._upto) - 1 < reached:
            nxt = dt.date.fromordinal(self._base + len(self._upto))
            self._upto.append(self._upto[-1] + (1 if self.is_workday(nxt)[0] else 0))


def parse_overrides(off: list, work: list, source: str) -> dict[dt.date, bool]:
    from hotline_tui.errors import InputError

    result: dict[dt.date, bool] = {}
    for value, is_off in [(v, True) for v in off or []] + [(v, False) for v in work or []]:
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            raise InputError(f"{source}: {value!r} is not a date (YYYY-MM-DD)") from None
        result[day] = is_off
    return result
