"""Date-times at the exchange's edges: read as people and old systems write them, written as ISO 8601 with
China's offset (+08:00), as Open311 asks ("a common subset of ISO 8601 as per the w3 note", offset included)."""

from __future__ import annotations

import datetime as dt
import re

from hotline_tui.domain.calendar import CHINA, end_of_day_ms

# 2023-05-12 08:30[:15[.123]] with -, / or . between the date's parts, T or a space before the time, and an
# optional offset (Z, +08:00, +0800); a time without an offset is China's.
_STAMP = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def parse_when(text: str, *, end_of_day: bool = False) -> int | None:
    """Milliseconds since the epoch of a date-time as written, or None if it is not one. A date alone is the
    start of that day in China's time (the end of it with ``end_of_day``: a deadline given as a day)."""
    m = _STAMP.match(text.strip())
    if not m:
        return None
    year, month, day, hour, minute, second, frac, zone = m.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
        if hour is not None and not zone and not frac:  # the usual case, by arithmetic (China has no DST)
            h, mi, sec = int(hour), int(minute), int(second or 0)
            if h > 23 or mi > 59 or sec > 59:
                return None
            return ((date.toordinal() - _EPOCH) * 86_400 + h * 3600 + mi * 60 + sec - _CHINA_S) * 1000
        if hour is None:
            if zone:
                return None  # an offset needs a time
            if end_of_day:
                return end_of_day_ms(date)
            return int(dt.datetime.combine(date, dt.time(), CHINA).timestamp() * 1000)
        micro = int((frac or "0").ljust(6, "0"))
        moment = dt.datetime(date.year, date.month, date.day, int(hour), int(minute), int(second or 0), micro,
                             tzinfo=_zone(zone))
    except ValueError:
        return None
    return int(moment.timestamp() * 1000)


_EPOCH = dt.date(1970, 1, 1).toordinal()
_CHINA_S = 8 * 3600


def _zone(text: str | None) -> dt.tzinfo:
    if not text:
        return CHINA
    if text == "Z":
        return dt.timezone.utc
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        raise ValueError("offset out of range")
    delta = dt.timedelta(hours=hours, minutes=minutes)
    return dt.timezone(-delta if text[0] == "-" else delta)


def iso(ms: int | None) -> str | None:
    """2026-11-02T09:00:00+08:00 (whole seconds), or None."""
    if ms is None:
        return None
    return dt.datetime.fromtimestamp(ms // 1000, CHINA).isoformat()


def shown(ms: int) -> str:
    """2026-11-02 09:00 for messages."""
    return dt.datetime.fromtimestamp(ms / 1000, CHINA).strftime("%Y-%m-%d %H:%M")
