"""The ranking's columns as every format shows them (Markdown, CSV, xlsx, F6), and how a value is written."""

from __future__ import annotations

import unicodedata
from typing import Any

from hotline_tui.reports.formulas import COUNTS, RATE_TEXT

DASH = "—"
COUNT_COLUMNS = tuple(COUNTS)
RATE_COLUMNS = ("claim_rate", "completion_rate", "feedback_rate", "satisfaction_rate", "on_time_rate")
HEAD = {**COUNTS, **RATE_TEXT, "rank": "名次", "rank_change": "升降", "unit": "代码", "name": "单位",
        "deduction": "扣分", "deduction_ytd": "年累计扣分", "registered": "受理", "channel": "渠道", "nature": "性质"}

# the ranking tables, in order; a rate's change since last month follows it in CSV and xlsx
RANK_COLUMNS = ("rank", "rank_change", "unit", "name", *COUNT_COLUMNS, *RATE_COLUMNS, "deduction", "deduction_ytd")
# the columns the Markdown table and F6 show (the other counts are in CSV, xlsx and JSON)
SHORT_COLUMNS = ("rank", "rank_change", "name", "dispatched", "claimed_in_time", "returned", "due", "closed",
                 "replied_in_time", "overdue", "claim_rate", "completion_rate", "feedback_rate", "satisfaction_rate",
                 "deduction", "deduction_ytd")
TOTAL_COLUMNS = ("name", "registered", "dispatched", "claimed_in_time", "due", "closed", "replied_in_time",
                 "claim_rate", "completion_rate", "feedback_rate", "satisfaction_rate")


def width(text: str) -> int:
    """Display width in terminal cells (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cells: int, right: bool = False) -> str:
    gap = " " * max(cells - width(text), 0)
    return gap + text if right else text + gap


def rate_text(value: float | None) -> str:
    return DASH if value is None else f"{value * 100:.1f}%"


def change_text(value: float | None) -> str:
    """A rate's change in percentage points: +1.2, −0.5, 0.0; — when either month has none."""
    if value is None:
        return DASH
    points = value * 100
    return "0.0" if abs(points) < 0.05 else f"{points:+.1f}".replace("-", "−")


def rank_change_text(value: int | None) -> str:
    if value is None:
        return DASH
    return "↑" + str(value) if value > 0 else ("↓" + str(-value) if value < 0 else "=")


def cell_text(row: dict[str, Any], column: str) -> str:
    """What Markdown and F6 show for one cell."""
    value = row.get(column)
    if column in RATE_COLUMNS:
        text = rate_text(value)
        change = (row.get("changes") or {}).get(column)
        return text if change is None else f"{text} ({change_text(change)})"
    if column == "rank":
        return DASH if value is None else str(value)
    if column == "rank_change":
        return rank_change_text(value)
    if column in ("deduction", "deduction_ytd"):
        return f"{value:.2f}" if value else "0"
    return DASH if value is None else str(value)
