"""A ticket as the F4 screen shows it: built in a worker thread from the Desk's TicketView, plain values only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text

from hotline_tui.domain.policy import format_local
from hotline_tui.domain.vocabulary import ACTIONS, CHANNELS, FLAGS, NATURES, STATES, URGENCIES, label

from screens.describe import describe
from screens.text import fit, one_line

TIME_W, DESK_W, ACTOR_W, ACTION_W = 11, 6, 12, 12


@dataclass(frozen=True)
class TicketPage:
    number: str
    state: str
    header: Text
    timeline: list[Text]
    allowed: dict[str, str | None]  # action -> None if allowed, else why not


def deadline_text(t: Any, left: int | None) -> Text:
    if not t.due_ms:
        return Text("时限 未定 (未派单)", style="dim")
    due = format_local(t.due_ms, "%Y-%m-%d") + (" (估算)" if t.due_estimated else "")
    if left is None:  # not running: closed, transferred, merged, waiting for callback
        return Text(f"时限 {due}", style="dim")
    if left < 0:
        return Text(f"时限 {due} · 超期 {-left} 个工作日", style="bold red")
    if left == 0:
        return Text(f"时限 {due} · 今日到期", style="bold red")
    style = "yellow" if left <= 2 else "green"
    return Text(f"时限 {due} · 剩余 {left} 个工作日", style=style)


COMMITMENT_STYLE = {"open": "bold cyan", "kept": "green", "unkept": "bold red"}
COMMITMENT_TEXT = {"open": "承诺中", "kept": "已兑现", "unkept": "未兑现"}


def commitment_text(t: Any, status: str | None, unit_name) -> Text:
    """不解决找我: who committed, by when, the contact they published, and whether it was kept."""
    out = Text(no_wrap=True, overflow="ellipsis")
    if status is None:
        return out
    out.append("不解决找我 ", style="bold")
    out.append(one_line(f"{t.commit_by} ({unit_name(t.commit_unit) or '-'}) 承诺 {t.commit_due} 前办结 · 联系 {t.commit_contact}"))
    out.append(f"  {COMMITMENT_TEXT[status]}", style=COMMITMENT_STYLE[status])
    return out


def build_header(view: Any, unit_name, left: int | None, commitment: str | None = None) -> Text:
    t = view.ticket
    h = Text(no_wrap=True, overflow="ellipsis")
    h.append(t.number, style="bold")
    h.append("  ")
    h.append(label(STATES, t.state), style="bold reverse" if t.is_open else "bold")
    if t.urgency != "normal":
        h.append("  " + label(URGENCIES, t.urgency), style="bold red")
    h.append("    主办 ", style="dim")
    h.append(one_line(unit_name(t.lead_unit) or "-"))
    h.append("  协办 ", style="dim")
    h.append(one_line(", ".join(unit_name(c) for c in t.assist_units) or "-"))
    h.append("\n")
    category = " › ".join(t.category) or "未分类"
    caller = " ".join(x for x in (view.caller_name, view.caller_phone) if x) or "匿名"
    h.append(one_line(f"{label(NATURES, t.nature)} · {category} · {t.address or '-'} · {label(CHANNELS, t.channel)} · {caller}"))
    h.append("\n")
    h.append_text(deadline_text(t, left))
    for flag in t.flags:
        h.append("   ⚑ " + label(FLAGS, flag), style="bold magenta")
    if t.call_count > 1:
        h.append(f"   来电 {t.call_count} 次", style="magenta")
    h.append("\n")
    if commitment is not None:
        h.append_text(commitment_text(t, commitment, unit_name))
        h.append("\n")
    h.append(one_line(t.description), style="italic")
    return h


def timeline_line(e: Any, unit_name) -> Text:
    line = Text(no_wrap=True)
    line.append(fit(format_local(e.hlc >> 16, "%m-%d %H:%M"), TIME_W) + " ", style="cyan")
    line.append(fit(one_line(e.desk), DESK_W), style="dim")
    line.append(fit(one_line(e.actor), ACTOR_W))
    line.append(fit(label(ACTIONS, e.kind), ACTION_W), style="bold")
    line.append(describe(e.kind, e.payload, unit_name))
    return line


def build_page(view: Any, desk: Any) -> TicketPage:
    """Runs in a worker: may look units up in the directory and count working days."""
    names: dict[str, str] = {}

    def unit_name(code: str | None) -> str:
        if not code:
            return ""
        if code not in names:
            names[code] = desk.unit_name(code)
        return names[code]

    t = view.ticket
    left = desk.workdays_left(t.due_ms) if t.due_ms and t.is_open else None
    return TicketPage(
        number=t.number,
        state=t.state,
        header=build_header(view, unit_name, left, getattr(view, "commitment", None)),
        timeline=[timeline_line(e, unit_name) for e in view.events],
        allowed=dict(view.allowed),
    )
