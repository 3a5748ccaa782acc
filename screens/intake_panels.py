"""What the intake screen shows beside the form, rendered from plain values (no store, no widgets).

Everything that comes from the store or the directory is shown as plain text, never as markup.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from hotline_tui.domain.intake_form import FIELD_LABELS
from hotline_tui.domain.policy import format_local
from hotline_tui.domain.vocabulary import OPEN_STATES

from screens.text import one_line

PHONE_MARKS = {
    "ok": ("✓", "green"), "typing": ("…", "yellow"), "bad": ("✗", "bold red"), "empty": ("", ""), "anonymous": ("匿名", "dim"),
}


def phone_mark(status: str, label: str = "") -> Text:
    mark, style = PHONE_MARKS.get(status, ("", ""))
    return Text(f"{mark} {label}".strip(), style=style)


def history_text(history: dict[str, Any] | None, repeats: list[dict[str, Any]], loading: bool = False) -> Text:
    """The caller's earlier requests: how many, which are open, how the last one ended; a repeat warning."""
    out = Text()
    if loading:
        return Text("查询来电历史…", style="dim")
    if not history:
        return Text("输入完整号码后显示来电历史", style="dim")
    count, open_count = history.get("count", 0), history.get("open_count", 0)
    if not count:
        return Text("首次来电, 无历史诉求", style="dim")
    out.append(f"共 {count} 件 · 未办结 {open_count}", style="bold")
    last = one_line(history.get("last_outcome") or "")
    if last:
        out.append(f" · 上次 {last}")
    out.append("\n")
    for item in history.get("items", [])[:6]:
        when = format_local(item["registered_ms"], "%Y-%m-%d") if item.get("registered_ms") else ""
        out.append(f"{when} {one_line(item.get('number', ''))[-13:]} ", style="dim")
        state = one_line(item.get("state_text") or item.get("state") or "")
        out.append(state, style="yellow" if item.get("state") in OPEN_STATES else "")
        outcome = one_line(item.get("outcome") or "")
        if outcome:
            out.append(f" {outcome}")
        out.append("\n  " + one_line(item.get("summary") or "")[:34] + "\n")
    if repeats:
        first = repeats[0]
        out.append(f"⚠ 同一事项未办结: {one_line(first.get('number', ''))}", style="bold yellow")
        out.append("\n  重复件? alt+r 补充到该件", style="yellow")
    return out



def similar_row(item: dict[str, Any]) -> Text:
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(one_line(item.get("number", ""))[-13:], style="dim")
    row.append(f" {one_line(item.get('summary') or '')[:24]}")
    score = item.get("score")
    if score is not None:
        row.append(f" {int(score)}%", style="bold")
    place = one_line(item.get("place_name") or "")
    if place:
        row.append(f" {place}", style="dim")
    return row


def suggestion_text(suggestions: list[dict[str, Any]], chosen: str, loading: bool = False) -> Text:
    out = Text()
    if not suggestions:
        return Text("建议承办: 记录诉求、地点或分类后给出" if not loading else "建议承办: 计算中…", style="dim")
    for i, s in enumerate(suggestions[:3], 1):
        mark = "✓" if s.get("code") == chosen else " "
        out.append(f"{mark}{i} ", style="bold")
        out.append(one_line(s.get("name", "")), style="bold" if s.get("code") == chosen else "")
        out.append(f"  {one_line(s.get('path', ''))}", style="dim")
        reason = one_line(s.get("reason") or "")
        if reason:
            out.append(f"  {reason}", style="italic")
        out.append("\n")
    out.append("alt+1/2/3 采用", style="dim")
    return out


def deadline_text(deadline: dict[str, Any] | None, mode: str) -> Text:
    if mode == "answer":
        return Text("时限 当场答复, 登记后办结待回访", style="dim")
    if mode == "transfer":
        return Text("时限 转办即结束, 记录转至何处", style="dim")
    if not deadline:
        return Text("时限 选择性质后计算", style="dim")
    out = Text("时限 ")
    days = deadline.get("days", 0)
    out.append(f"{days} 个工作日 → " if days else "当日 → ", style="bold")
    out.append(f"{deadline['date']} (周{deadline['weekday']})")
    if deadline.get("estimated"):
        out.append(" 估算", style="yellow")
    return out


def check_text(problems: dict[str, str], shown: set[str], all_shown: bool) -> Text:
    """Problems of fields already visited (or all, after a save was tried) in red; what is still to fill, dim."""
    out = Text()
    todo = []
    for name, message in problems.items():
        if all_shown or name in shown:
            out.append(f"{FIELD_LABELS.get(name, name)}: {one_line(message)}\n", style="bold red")
        else:
            todo.append(FIELD_LABELS.get(name, name))
    if todo:
        out.append("待填: " + " · ".join(todo), style="dim")
    if not problems:
        out.append("可以保存: ctrl+s 或 F8", style="green")
    return out


def done_text(number: str, how: str, note: str = "") -> Text:
    out = Text()
    out.append(f" {how} ", style="bold reverse green")
    out.append(f"  {one_line(number)}  ", style="bold")
    if note:
        out.append(f"{one_line(note)}  ")
    out.append("请向来电人复述编号", style="dim")
    return out
