"""The monthly report as an xlsx workbook (openpyxl): one sheet per table, the header row frozen, rates in a
percentage format, column widths that fit Chinese names (counted in display cells, a Chinese character two)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from hotline_tui.domain.calendar import CHINA
from hotline_tui.reports.columns import COUNT_COLUMNS, HEAD, RATE_COLUMNS, width
from hotline_tui.reports.render_md import ytd_note

RANK_SHEET = ("rank", "rank_change", "unit", "name", *COUNT_COLUMNS,
              *(c for r in RATE_COLUMNS for c in (r, r + "_change")), "deduction", "deduction_ytd")
TOTAL_SHEET = ("name", "registered", *COUNT_COLUMNS, *RATE_COLUMNS)
SUPERVISION_SHEET = (("at", "日期"), ("number", "工单"), ("action_name", "督办"), ("target", "移交至"),
                     ("unit_name", "承办单位"), ("category", "分类"), ("state_name", "现状态"))
PERCENT, POINTS = "0.0%", "+0.0%;-0.0%;0.0%"


def _head(column: str) -> str:
    if column.endswith("_change") and column[:-7] in RATE_COLUMNS:
        return HEAD[column[:-7]] + "变化"
    return HEAD.get(column, column)


def _sheet(wb, title: str, heads: list[str], rows: list[list[Any]], formats: dict[int, str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append(heads)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    for i, head in enumerate(heads, 1):
        fmt = formats.get(i)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
        cells = [width(head)] + [width(_shown(r[i - 1])) for r in rows]
        ws.column_dimensions[get_column_letter(i)].width = min(max(cells) + 2, 60)


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value * 100:.1f}%"
    return "" if value is None else str(value)


def _rank_rows(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[list[Any]]:
    out = []
    for r in rows:
        changes = r.get("changes") or {}
        out.append([changes.get(c[:-7]) if c.endswith("_change") and c[:-7] in RATE_COLUMNS else r.get(c) for c in columns])
    return out


def _formats(columns: tuple[str, ...]) -> dict[int, str]:
    out = {}
    for i, c in enumerate(columns, 1):
        if c in RATE_COLUMNS:
            out[i] = PERCENT
        elif c.endswith("_change") and c[:-7] in RATE_COLUMNS:
            out[i] = POINTS
        elif c.startswith("deduction"):
            out[i] = "0.00"
    return out


def _as_text(value: Any) -> str:
    """A person's text as a cell's text: never read as a formula (a name typed as =HYPERLINK(...))."""
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def render_xlsx(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    heads = [_head(c) for c in RANK_SHEET]
    _sheet(wb, "区市排名", heads, _rank_rows(report["districts"], RANK_SHEET), _formats(RANK_SHEET))
    _sheet(wb, "部门排名", heads, _rank_rows(report["units"], RANK_SHEET), _formats(RANK_SHEET))
    totals = [_head(c) for c in TOTAL_SHEET]
    _sheet(wb, "全市合计", totals, _rank_rows([report["totals"]], TOTAL_SHEET), _formats(TOTAL_SHEET))
    _sheet(wb, "按渠道", ["渠道", *totals[1:]], _rank_rows(report["channels"], TOTAL_SHEET), _formats(TOTAL_SHEET))
    _sheet(wb, "按性质", ["性质", *totals[1:]], _rank_rows(report["natures"], TOTAL_SHEET), _formats(TOTAL_SHEET))
    sup = [[dt.datetime.fromtimestamp(s["at_ms"] / 1000, CHINA).strftime("%Y-%m-%d %H:%M") if k == "at" else s.get(k)
            for k, _ in SUPERVISION_SHEET] for s in report.get("supervision") or []]
    _sheet(wb, "督办清单", [h for _, h in SUPERVISION_SHEET], sup, {})
    if "commitments" in report:  # reports published before commitments were counted have none
        rows = [[_as_text(r.get("unit_name") or r.get("unit")), r["made"], r["due"], r["kept"], r["unkept"], r["open"],
                 _as_text("、".join(r.get("cadres") or []))] for r in report["commitments"]]
        _sheet(wb, "不解决找我", ["单位", "本月承诺", "本月到期", "已兑现", "未兑现", "承诺中", "承诺干部"], rows, {})
    formulas = [[k, v if isinstance(v, str) else str(v)] for k, v in report.get("formulas", {}).items()]
    _sheet(wb, "计算口径", ["项目", "口径"], [["month", report["month"]], ["published", str(report.get("published"))], *formulas,
                                         ["deduction_ytd", ytd_note(report)]], {})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
