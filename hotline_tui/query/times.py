"""The filter language's terms about time: dates and periods (``registered:2026-11``), ages (``age>15d``) and
working days left before a deadline (``left<=1``), in China's time and on the holiday calendar. Mixed into the
compiler (compile.py), whose bound parameters, explanations and shares they use."""

from __future__ import annotations

import datetime as dt
import re

from hotline_tui.domain.calendar import CHINA, local_date
from hotline_tui.query import fields as F
from hotline_tui.query.literals import UNFINISHED, literal_list
from hotline_tui.query.syntax import QueryError, Term, Value

_DURATION = re.compile(r"^(\d{1,5})(d|h|w|天|日|小时|周)?$", re.IGNORECASE)
_DAY_MS = 86_400_000
_UNIT_MS = {"d": _DAY_MS, "天": _DAY_MS, "日": _DAY_MS, "h": 3_600_000, "小时": 3_600_000, "w": 7 * _DAY_MS, "周": 7 * _DAY_MS}


class TimeTerms:
    """``_date``, ``_age`` and ``_left`` for the compiler; needs ``self.sql``, ``self.scope``, ``self.explain``,
    ``self._shares`` and ``self._atomic`` (see _Compiler)."""

    def _date(self, f: F.FieldDef, t: Term) -> str:
        if len(t.values) > 1:
            raise QueryError(f"{f.name} takes one date or month", t.values[1].pos, t.values[-1].end)
        v = t.values[0]
        start, end = self.period(v)
        col, s = f"t.{f.column}", self.sql
        self.explain.append(f"{f.label} {t.op} {v.text}")
        if f.column == "registered_ms" and t.op in (":", "=", ">", ">="):
            self.registered_from(end if t.op == ">" else start)
        return {
            ":": f"{col} >= {s.p(start)} AND {col} < {s.p(end)}",
            "=": f"{col} >= {s.p(start)} AND {col} < {s.p(end)}",
            "!=": f"NOT ifnull(({col} >= {s.p(start)} AND {col} < {s.p(end)}), 0)",
            ">": f"{col} >= {s.p(end)}",
            ">=": f"{col} >= {s.p(start)}",
            "<": f"{col} < {s.p(start)}",
            "<=": f"{col} < {s.p(end)}",
        }[t.op]

    def period(self, v: Value) -> tuple[int, int]:
        """[start, end) in ms of a day, month or year in China's time; today/yesterday/this-month/last-month."""
        text, today = v.text.strip().lower(), local_date(self.scope.now_ms)
        named = {"today": (today, today + dt.timedelta(days=1)), "今天": (today, today + dt.timedelta(days=1)),
                 "yesterday": (today - dt.timedelta(days=1), today), "昨天": (today - dt.timedelta(days=1), today)}
        month = today.replace(day=1)
        last_month = (month - dt.timedelta(days=1)).replace(day=1)
        named.update({"this-month": (month, _next_month(month)), "本月": (month, _next_month(month)),
                      "last-month": (last_month, month), "上月": (last_month, month)})
        if text in named:
            a, b = named[text]
        else:
            try:
                if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
                    a = dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
                    b = a + dt.timedelta(days=1)
                elif re.fullmatch(r"\d{4}-\d{1,2}", text):
                    y, m = map(int, text.split("-"))
                    a = dt.date(y, m, 1)
                    b = _next_month(a)
                elif re.fullmatch(r"\d{4}", text):
                    a, b = dt.date(int(text), 1, 1), dt.date(int(text) + 1, 1, 1)
                else:
                    raise ValueError
            except (ValueError, OverflowError):
                raise QueryError(f"{v.text!r} is not a date: write 2026-11-25, 2026-11, 2026, today or this-month",
                                 v.pos, v.end) from None
        return _start_ms(a), _start_ms(b)

    def _age(self, f: F.FieldDef, t: Term) -> str:
        if t.op not in (">", ">=", "<", "<=") or len(t.values) > 1:
            raise QueryError("age compares with a duration: age>15d, age<=12h, age>2w", t.pos, t.end)
        v = t.values[0]
        m = _DURATION.match(v.text.strip())
        if not m:
            raise QueryError(f"{v.text!r} is not a duration: write 15d, 12h or 2w", v.pos, v.end)
        span = int(m.group(1)) * _UNIT_MS[(m.group(2) or "d").lower()]
        cut = self.scope.now_ms - span
        self.explain.append(f"{f.label} {t.op} {v.text}")
        flipped = {">": "<", ">=": "<=", "<": ">", "<=": ">="}[t.op]  # older than = registered before
        self._atomic = True
        sql = f"t.registered_ms {flipped} {self.sql.p(cut)}"
        if flipped.startswith(">"):
            self.registered_from(cut)
        span = self.scope.registered_span
        if span is not None and span[1] > span[0]:  # its share of the store, by time (a count would be biased)
            before = min(1.0, max(0.0, (cut - span[0]) / (span[1] - span[0])))
            self._shares[sql] = before if flipped.startswith("<") else 1.0 - before
        return sql

    def _left(self, f: F.FieldDef, t: Term) -> str:
        if t.op == "!=" or len(t.values) > 1:
            raise QueryError("left compares with a number of working days: left<=1, left<0, left:2", t.pos, t.end)
        v = t.values[0]
        try:
            n = int(v.text.strip())
        except ValueError:
            raise QueryError(f"{v.text!r} is not a whole number of working days", v.pos, v.end) from None
        if abs(n) > 365:
            raise QueryError("left counts at most 365 working days either way", v.pos, v.end)
        s = self.sql
        running = f"{UNFINISHED} AND t.state IN ({literal_list(F.RUNNING)}) AND t.due_ms IS NOT NULL"
        # left <= n  ⇔  due_ms < left_bound(n)   (deadlines end their day; see left_bound)
        at_most = {"<=": n, "<": n - 1, ":": n, "=": n}.get(t.op)
        at_least = {">=": n, ">": n + 1, ":": n, "=": n}.get(t.op)
        parts = [running]
        if at_most is not None:
            parts.append(_due_below(s.p(self.left_bound(at_most))))
        if at_least is not None:
            parts.append(_due_from(s.p(self.left_bound(at_least - 1))))
        self.explain.append(f"{f.label} {t.op} {n}")
        return " AND ".join(parts)

    def left_bound(self, n: int) -> int:
        """The ms before which a deadline leaves at most ``n`` working days (as the ticket screen counts them:
        0 on the due day, negative when overdue)."""
        cal, today = self.scope.calendar, local_date(self.scope.now_ms)
        day = today
        if n >= 0:  # the (n+1)-th working day after today
            left = n + 1
            while left:
                day += dt.timedelta(days=1)
                left -= cal.is_workday(day)[0]
        else:  # the |n|-th working day counting back from today (today included)
            left = -n
            day += dt.timedelta(days=1)
            while left:
                day -= dt.timedelta(days=1)
                left -= cal.is_workday(day)[0]
        return _start_ms(day)


def _due_below(mark: str) -> str:
    """due before ``mark``, stated on due_key too (due_ms where there is one), which the due indexes hold."""
    return f"t.due_ms < {mark} AND t.due_key < {mark}"


def _due_from(mark: str) -> str:
    return f"t.due_ms >= {mark} AND t.due_key >= {mark}"


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _start_ms(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), CHINA).timestamp() * 1000)
