"""What F7 shows, as text: the header line, the operator's live draft, the unit's duty card in a few lines,
and the two lists' rows (the unit's open requests, overdue first; the calls heard on this shift)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from hotline_tui.domain.policy import format_local
from hotline_tui.domain.vocabulary import NATURES, STATES, label

from screens.text import fit, one_line
from screens.unit_tickets import ROLE_TEXT

CARD_LINES = ((("duties", "职责"), ("workflow", "流程")), (("materials", "材料"), ("time_limit", "时限")),
              (("contact", "联系"),))


def head_text(status: dict[str, Any], unit_name: str, cadre: str, why_not: str | None = None) -> Text:
    """接线体悟 · 单位 · 干部 · 陪同接线员 A03 王芳 · 09:00 起 (or how to start)."""
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append("接线体悟", style="bold")
    out.append(f" · {one_line(unit_name) or '本单位未设置'} · {one_line(cadre)}")
    shift = status.get("shift")
    if why_not:
        out.append(f" · {one_line(why_not)}", style="bold red")
    elif shift:
        out.append(f" · 陪同接线员 {one_line(shift['desk'])} {one_line(shift['operator'])}", style="bold")
        out.append(f" · {format_local(shift['started_ms'], '%H:%M')} 起")
        out.append(f" · 来电 {status.get('heard', 0)} 我接 {status.get('taken', 0)}", style="dim")
    else:
        out.append(" · 未开始体悟: 按 S 开始", style="yellow")
    return out


def live_text(status: dict[str, Any]) -> Text:
    """The operator's draft as they type it (read-only), or why there is none."""
    if not status.get("shift"):
        return Text("开始体悟后, 这里显示陪同接线员正在受理的来电 (只读)。", style="dim")
    draft = status.get("draft")
    if not draft:
        return Text(f"{one_line(status['shift']['operator'])} 当前没有正在受理的来电。", style="dim")
    out = Text()
    out.append(f"来电 {one_line(draft.get('phone') or '—')}", style="bold")
    if draft.get("nature"):
        out.append(f"  {label(NATURES, draft['nature'])}")
    out.append(f"\n{one_line(draft.get('category') or '分类 —')}")
    if draft.get("place"):
        out.append(f" · {one_line(draft['place'])}")
    out.append(f"\n{one_line(draft.get('summary') or '')}", style="italic")
    return out


def card_text(card: dict[str, Any] | None, unit: str) -> Text:
    if not unit:
        return Text("本单位未设置 (配置 [desk] unit)", style="dim")
    if card is None:
        return Text(f"目录中没有单位 {one_line(unit)}", style="dim")
    out = Text()
    for i, line in enumerate(CARD_LINES):
        if i:
            out.append("\n")
        for j, (key, name) in enumerate(line):
            if j:
                out.append("  ")
            out.append(f"{name} ", style="bold")
            out.append(one_line(card.get(key) or "") or "—")
    return out


def card_title(card: dict[str, Any] | None) -> str:
    if card is None:
        return "本处室职责清单"
    when = " · ".join(one_line(card.get(k) or "") for k in ("updated", "updated_by") if card.get(k))
    general = " (同级通用)" if card.get("generic") else ""
    return f"本处室职责清单{general}" + (f" ({when})" if when else "")


def due_text(row: dict) -> Text:
    """超期 N 工作日 (red) / 剩 N 工作日 / 今日到期 / — without a deadline, in 15 cells."""
    left = row.get("workdays_left")
    if row.get("due_ms") is None or left is None:
        return Text(fit("无时限", 15), style="dim")
    if row.get("overdue"):
        return Text(fit(f"超期 {-left} 工作日" if left < 0 else "已超期", 15), style="bold red")
    return Text(fit("今日到期" if left == 0 else f"剩 {left} 工作日", 15), style="yellow" if left <= 1 else "")


def unit_row(row: dict, width: int) -> Text:
    line = Text(no_wrap=True)
    line.append("⚠ " if row.get("overdue") else "  ", style="bold red")
    line.append_text(due_text(row))
    line.append(fit(row["number"], 24), style="bold")
    line.append(fit(label(STATES, row["state"]), 9))
    line.append(fit(ROLE_TEXT.get(row.get("role") or "", ""), 5))
    line.append(one_line(row.get("summary") or ""))
    return line


def call_row(row: dict, width: int) -> Text:
    line = Text(no_wrap=True)
    line.append("我接 " if row.get("taken") else "     ", style="bold magenta")
    line.append(fit(format_local(row["registered_ms"], "%H:%M"), 6), style="cyan")
    line.append(fit(row["number"], 24), style="bold")
    line.append(fit(one_line(row.get("caller_phone") or ""), 13), style="dim")
    line.append(fit(label(STATES, row["state"]), 9))
    line.append(one_line(row.get("summary") or ""))
    return line
