"""Completion of the filter line: what may be typed at the cursor, field names and keywords, then a field's
values (enums, sorts, dates, and units, places and categories through the directory and the taxonomy).

``complete`` returns the span of text a choice replaces and the choices; the screen shows them under the
line and Tab takes one. Pure: units are looked up through the function it is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hotline_tui.query import fields as F
from hotline_tui.query.syntax import OPERATORS, normalise, quote_value

MAX = 8


@dataclass(frozen=True)
class Choice:
    insert: str  # replaces text[start:end]
    label: str  # shown beside it


@dataclass
class Completion:
    start: int
    end: int
    choices: list[Choice] = field(default_factory=list)

    def apply(self, text: str, choice: Choice) -> tuple[str, int]:
        """The text with ``choice`` put in, and where the cursor goes (after it)."""
        new = text[:self.start] + choice.insert + text[self.end:]
        return new, self.start + len(choice.insert)


Units = Callable[[str], list[tuple[str, str]]]  # typed text → [(value to insert, label)]


def complete(text: str, cursor: int, *, units: Units | None = None, categories: Iterable[tuple[str, ...]] = (),
             today: dt.date | None = None) -> Completion:
    narrow = normalise(text)
    cursor = max(0, min(cursor, len(narrow)))
    start = cursor
    while start > 0 and not narrow[start - 1].isspace() and narrow[start - 1] not in "()":
        start -= 1
    end = cursor
    while end < len(narrow) and not narrow[end].isspace() and narrow[end] not in "()":
        end += 1
    token = narrow[start:cursor]
    if token.startswith("-"):
        token, start = token[1:], start + 1
    op_at = min(((token.find(op), op) for op in OPERATORS if op in token), default=(-1, ""))
    if op_at[0] < 0:
        return Completion(start, end, _words(token))
    name, op = token[:op_at[0]], op_at[1]
    f = F.field_named(name)
    value_start = start + op_at[0] + len(op)
    typed = token[op_at[0] + len(op):]
    if "," in typed:
        value_start += typed.rindex(",") + 1
        typed = typed[typed.rindex(",") + 1:]
    if f is None:
        return Completion(value_start, end, [])
    return Completion(value_start, end, _values(f, typed, units, categories, today or dt.date.today()))


def _words(typed: str) -> list[Choice]:
    t = typed.lower()
    out: list[Choice] = []
    for f in F.FIELDS:
        names = (f.name, *f.aliases)
        if any(n.lower().startswith(t) for n in names):
            op = ">=" if f.kind == "count" else ">" if f.kind == "age" else "<=" if f.kind == "left" else ":"
            out.append(Choice(f"{f.name}{op}", f"{f.label} · {f.help}"))
    for word, label, aliases in F.KEYWORDS:
        if any(n.lower().startswith(t) for n in (word, label, *aliases)):
            out.append(Choice(word + " ", label))
    if not t:
        return out[:MAX]
    # what starts with the letters typed first, fields before keywords, then as listed
    return sorted(out, key=lambda c: (not c.insert.startswith(t), c.insert.endswith(" ")))[:MAX]


def _values(f: F.FieldDef, typed: str, units: Units | None, categories, today: dt.date) -> list[Choice]:
    t = typed.strip().lower()
    if f.kind in ("enum", "sort", "commitment"):
        hits = [(code, label) for code, label in f.values
                if code.lower().startswith(t) or label.startswith(typed.strip()) or (t and t in label.lower())]
        return [Choice(code, label) for code, label in hits][:MAX]
    if f.kind in ("unit", "place"):
        if not t or units is None:
            return []
        return [Choice(quote_value(insert), label) for insert, label in units(typed.strip())[:MAX]]
    if f.kind == "category":
        names: dict[str, str] = {}
        for path in categories:
            for level in range(len(path)):
                name = path[level]
                if typed.strip() in name and name not in names:
                    names[name] = " › ".join(path[:level + 1])
        return [Choice(quote_value(n), p) for n, p in sorted(names.items(), key=lambda kv: (len(kv[1]), kv[0]))][:MAX]
    if f.kind == "date":
        month = today.strftime("%Y-%m")
        options = [("today", "今天"), ("yesterday", "昨天"), ("this-month", "本月"), ("last-month", "上月"),
                   (month, "本月"), (today.isoformat(), "今天"), (str(today.year), "今年")]
        return [Choice(v, label) for v, label in options if v.startswith(t)][:MAX]
    if f.kind == "age":
        return [Choice(v, label) for v, label in (("7d", "7 天"), ("15d", "15 天"), ("30d", "30 天"), ("90d", "90 天"),
                                                   ("12h", "12 小时")) if v.startswith(t)]
    if f.kind == "left":
        return [Choice(v, label) for v, label in (("0", "今日到期"), ("1", "一个工作日"), ("-1", "已超期")) if v.startswith(t)]
    if f.kind == "count":
        return [Choice(v, f"{v} 次") for v in ("2", "3", "5") if v.startswith(t)]
    return []
