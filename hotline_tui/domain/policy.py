"""The hotline's time limits and rule thresholds (data/time_limits.toml), and deadlines from them."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from hotline_tui.domain.calendar import CHINA, WorkCalendar, end_of_day_ms, local_date, parse_overrides
from hotline_tui.errors import InputError

DEFAULT_RULES = {
    "frequent_return": 3,
    "bounce_units": 3,
    "similar_days": 30,
    "urge_requires_overdue": False,
}


@dataclass(frozen=True)
class Deadline:
    ms: int
    working_days: int
    estimated: bool  # computed past the holiday calendar's data: Monday-Friday assumed

    @property
    def date(self) -> dt.date:
        return local_date(self.ms)


@dataclass
class Policy:
    claim: dict[str, int]
    handling: dict[str, int]
    urgency: dict[str, int]
    extension: dict[str, int]
    rules: dict[str, object] = field(default_factory=lambda: dict(DEFAULT_RULES))
    calendar: WorkCalendar = field(default_factory=WorkCalendar)

    def handling_days(self, nature: str, urgency: str = "normal") -> int:
        days = int(self.handling.get(nature, 5))
        cap = self.urgency.get(urgency)
        return min(days, int(cap)) if cap is not None else days

    def _due(self, now_ms: int, days: int, urgency: str) -> Deadline:
        today = local_date(now_ms)
        if urgency == "emergency":
            return Deadline(end_of_day_ms(today), 0, False)
        day, estimated = self.calendar.add_workdays(today, days)
        return Deadline(end_of_day_ms(day), days, estimated)

    def claim_due(self, now_ms: int, urgency: str = "normal") -> Deadline:
        return self._due(now_ms, int(self.claim.get(urgency, 1)), urgency)

    def handling_due(self, now_ms: int, nature: str, urgency: str = "normal") -> Deadline:
        return self._due(now_ms, self.handling_days(nature, urgency), urgency)

    def extended_due(self, current_due_ms: int, days: int) -> Deadline:
        day, estimated = self.calendar.add_workdays(local_date(current_due_ms) + dt.timedelta(days=1), days - 1)
        return Deadline(end_of_day_ms(day), days, estimated)

    def workdays_left(self, now_ms: int, due_ms: int) -> int:
        """Working days from today to the due date: 0 on the due day, negative when overdue."""
        today, due = local_date(now_ms), local_date(due_ms)
        if now_ms > due_ms and today == due:
            return -1
        return self.calendar.workdays_between(today, due)

    def rule(self, name: str):
        return self.rules.get(name, DEFAULT_RULES.get(name))


def _load_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path.name} is not valid TOML: {exc}") from None


def load_policy(extra_holidays: dict[str, bool] | None = None, rules: dict | None = None, limits_file: Path | None = None) -> Policy:
    from hotline_tui.resources import data_dir

    raw = _load_toml(limits_file or data_dir() / "time_limits.toml")
    hol = _load_toml(data_dir() / "holidays.toml")
    overrides = parse_overrides(hol.get("off", []), hol.get("work", []), "data/holidays.toml")
    for day, off in (extra_holidays or {}).items():
        overrides.update(parse_overrides([day] if off else [], [] if off else [day], "config [holidays]"))
    merged_rules = dict(DEFAULT_RULES)
    merged_rules.update(raw.get("rules", {}))
    merged_rules.update(rules or {})
    return Policy(
        claim={k: int(v) for k, v in raw.get("claim", {}).items()},
        handling={k: int(v) for k, v in raw.get("handling", {}).items()},
        urgency={k: int(v) for k, v in raw.get("urgency", {}).items()},
        extension={k: int(v) for k, v in raw.get("extension", {}).items()},
        rules=merged_rules,
        calendar=WorkCalendar(overrides),
    )


def format_local(ms: int, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return dt.datetime.fromtimestamp(ms / 1000, CHINA).strftime(fmt)
