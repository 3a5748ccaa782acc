"""F6's tables as lines of text for a ``LineView``: the ranking (compact at 80 columns, every count and the
rates' changes when wide), the supervision list, and the month's status line. Chinese names are padded by display
width so the columns stay aligned."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text

from hotline_tui.domain.calendar import CHINA
from hotline_tui.reports.columns import DASH, HEAD, change_text, pad, rank_change_text, rate_text, width

from screens.text import one_line

NARROW = (("rank", 4), ("rank_change", 4), ("name", 18), ("dispatched", 5), ("claim_rate", 7),
          ("completion_rate", 7), ("feedback_rate", 7), ("satisfaction_rate", 7), ("deduction", 5))
WIDE = (("rank", 4), ("rank_change", 4), ("name", 22), ("dispatched", 5), ("claimed_in_time", 8), ("returned", 4),
        ("due", 8), ("closed", 4), ("replied_in_time", 8), ("overdue", 4), ("claim_rate", 14),
        ("completion_rate", 14), ("feedback_rate", 14), ("satisfaction_rate", 14), ("deduction", 5),
        ("deduction_ytd", 10))
MEDIUM = (("rank", 4), ("rank_change", 4), ("name", 20), ("dispatched", 5), ("claimed_in_time", 8), ("due", 8),
          ("closed", 4), ("overdue", 4), ("claim_rate", 7), ("completion_rate", 7), ("feedback_rate", 7),
          ("satisfaction_rate", 7), ("deduction", 5), ("deduction_ytd", 10))
RATES = ("claim_rate", "completion_rate", "feedback_rate", "satisfaction_rate")


def columns_for(cells: int) -> tuple[tuple[str, int], ...]:
    return WIDE if cells >= 150 else (MEDIUM if cells >= 112 else NARROW)


def _shorten(text: str, cells: int) -> str:
    if width(text) <= cells:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > cells - 1:
            break
        out += ch
    return out + "…"


def _cell(row: dict[str, Any], column: str, cells: int, wide: bool) -> str:
    value = row.get(column)
    if column == "name":
        return pad(_shorten(str(value or ""), cells), cells)
    if column == "rank":
        text = DASH if value is None else str(value)
    elif column == "rank_change":
        text = rank_change_text(value)
    elif column in RATES:
        text = rate_text(value)
        change = (row.get("changes") or {}).get(column)
        if wide and change is not None:
            text += f" {change_text(change)}"
    elif column.startswith("deduction"):
        text = f"{value:.2f}" if value else "0"
    else:
        text = DASH if value is None else str(value)
    return pad(text, cells, right=True)


def ranking_header(cells: int) -> Text:
    cols = columns_for(cells)
    return Text(" ".join(pad(HEAD[c], w) if c == "name" else pad(HEAD[c], w, right=True) for c, w in cols),
                style="bold", no_wrap=True)


def ranking_lines(rows: list[dict[str, Any]], cells: int) -> list[Text]:
    cols = columns_for(cells)
    wide = cols is WIDE
    out = []
    for r in rows:
        line = Text(" ".join(_cell(r, c, w, wide) for c, w in cols), no_wrap=True)
        if r.get("rank") is None:
            line.stylize("dim")
        elif r.get("deduction"):
            line.stylize("yellow", len(line.plain) - sum(w + 1 for c, w in cols if c.startswith("deduction")) + 1)
        out.append(line)
    return out or [Text("本月没有数据。", style="dim")]


def _day(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, CHINA).strftime("%m-%d %H:%M")


def supervision_header(cells: int) -> Text:
    return Text(" ".join((pad("日期", 11), pad("工单", 21), pad("督办", 12), pad("承办单位", 16), "现状态")),
                style="bold", no_wrap=True)


def supervision_lines(items: list[dict[str, Any]], cells: int) -> list[Text]:
    out = []
    for s in items:
        action = s["action_name"] + (f"·{s['target']}" if s.get("target") else "")
        out.append(Text(" ".join((pad(_day(s["at_ms"]), 11), pad(s["number"], 21), pad(_shorten(action, 12), 12),
                                  pad(_shorten(s.get("unit_name") or DASH, 16), 16), s["state_name"])), no_wrap=True))
    return out or [Text("本月没有挂牌督办或移交的工单。", style="dim")]


def commitment_lines(rows: list[dict[str, Any]]) -> list[Text]:
    """不解决找我 by unit, under the supervision list: only when the month has commitments."""
    if not rows:
        return []
    out = [Text(""), Text("不解决找我 (挂职干部承诺)   承诺 到期 兑现 未兑现 承诺中  干部", style="bold", no_wrap=True)]
    for r in rows:
        counts = f"{r['made']:>4} {r['due']:>4} {r['kept']:>4} {r['unkept']:>6} {r['open']:>6}"
        cadres = "、".join(one_line(c) for c in r.get("cadres") or [])
        style = "bold red" if r["unkept"] else ""
        out.append(Text(f"{pad(_shorten(one_line(r.get('unit_name') or r.get('unit') or DASH), 24), 24)}  {counts}  {cadres}",
                        style=style, no_wrap=True, overflow="ellipsis"))
    return out


def status_text(report: dict[str, Any] | None, month: str, note: str = "") -> Text:
    out = Text(no_wrap=True, overflow="ellipsis")
    if report is None:
        out.append(note)
        return out
    if report.get("published"):
        pub = report.get("publication") or {}
        out.append("已发布 ", style="bold green")
        out.append(f"{_day(pub.get('published_ms', 0))} {pub.get('actor', '')}", style="green")
    else:
        out.append("未发布", style="bold yellow")
        out.append(" (按当前数据)", style="yellow")
    totals = report.get("totals") or {}
    out.append(f"  全市: 受理 {totals.get('registered', 0)} 派单 {totals.get('dispatched', 0)}"
               f" 认领率 {rate_text(totals.get('claim_rate'))} 办结率 {rate_text(totals.get('completion_rate'))}"
               f" 反馈率 {rate_text(totals.get('feedback_rate'))}")
    if note:
        out.append(f"  {note}", style="dim")
    return out


def formulas_text(formulas: dict[str, Any], ytd: dict[str, list[str]] | None = None) -> Text:
    """One line: the three ranked rates' formulas in words (认领率 = 按时签收 ÷ 派单 …), and how many of the
    year's earlier months the year's deduction could add (only published months count)."""
    parts = []
    for name in ("claim_rate", "completion_rate", "feedback_rate"):
        num, _, den = str(formulas.get(name, "")).partition(" / ")
        if den:
            parts.append(f"{HEAD.get(name, name)}={HEAD.get(num, num)}÷{HEAD.get(den, den)}")
    tail = "   —: 无数据"
    if ytd and ytd.get("unpublished"):
        tail += f"   年累计扣分未计入未发布的 {len(ytd['unpublished'])} 个月"
    return Text("  ".join(parts) + tail, style="dim", no_wrap=True, overflow="ellipsis")
