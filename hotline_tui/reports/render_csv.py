"""The monthly report as one CSV: a ``table`` column (districts, units, totals, channels, natures) then the same
columns for every row; rates as fractions (0.9231), empty where undefined; a rate's change since last month in
the column after it."""

from __future__ import annotations

import csv
import io
from typing import Any

from hotline_tui.reports.columns import COUNT_COLUMNS, RATE_COLUMNS

COLUMNS = ("table", "code", "name", "rank", "rank_change", "registered", *COUNT_COLUMNS,
           *(c for r in RATE_COLUMNS for c in (r, r + "_change")), "deduction", "deduction_ytd")


def csv_rows(report: dict[str, Any]) -> list[list[Any]]:
    out: list[list[Any]] = []
    groups = (("districts", "unit", report["districts"]), ("units", "unit", report["units"]),
              ("totals", None, [report["totals"]]), ("channels", "channel", report["channels"]),
              ("natures", "nature", report["natures"]))
    for table, key, rows in groups:
        for r in rows:
            changes = r.get("changes") or {}
            values: dict[str, Any] = {"table": table, "code": r.get(key, "") if key else "", **r}
            for rate in RATE_COLUMNS:
                values[rate + "_change"] = changes.get(rate)
            out.append([_plain(values.get(c)) for c in COLUMNS])
    return out


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 6)
    return value


def render_csv(report: dict[str, Any]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    w.writerows(csv_rows(report))
    return buf.getvalue()
