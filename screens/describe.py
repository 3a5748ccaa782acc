"""What each timeline event says, in the hotline's words (plain strings, no markup)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hotline_tui.domain.phone import mask_phone
from hotline_tui.domain.policy import format_local
from hotline_tui.domain.vocabulary import (
    CHANNELS,
    ESCALATION_TARGETS,
    FLAGS,
    NATURES,
    RETURN_REASONS,
    SATISFACTIONS,
    TRANSFER_TARGETS,
    label,
)

from screens.text import one_line

UnitName = Callable[[str], str]
HIDDEN = {"due_ms", "claim_due_ms", "due_estimated", "rule"}


def _yes(value: Any) -> str:
    return "是" if value else "否"


def _units(p: dict, unit: UnitName) -> str:
    parts = []
    if p.get("lead"):
        parts.append(f"{unit(p['lead'])} (主办)")
    if p.get("assist"):
        parts.append(" + ".join(f"{unit(c)} (协办)" for c in p["assist"]))
    return " + ".join(parts)


def describe(kind: str, p: dict[str, Any], unit: UnitName) -> str:
    """One line of details for an event of ``kind`` with payload ``p``."""
    out: list[str] = []
    if kind == "register":
        out.append(f"{label(NATURES, p.get('nature'))} · {label(CHANNELS, p.get('channel'))}")
        if p.get("taken_by"):
            out.append(f"我当接线员 {p['taken_by']} (接线员 {p.get('operator', '')} 确认)")
        if p.get("description"):
            out.append(str(p["description"]))
    elif kind in ("dispatch", "reassign", "return_accept"):
        out.append("派单至 " + _units(p, unit))
        if p.get("due_ms"):
            out.append("时限 " + format_local(p["due_ms"], "%Y-%m-%d"))
    elif kind == "return":
        out.append(label(RETURN_REASONS, p.get("reason")))
    elif kind == "extend":
        out.append(f"延长 {p.get('days')} 个工作日")
        if p.get("due_ms"):
            out.append("至 " + format_local(p["due_ms"], "%Y-%m-%d"))
    elif kind == "reply":
        out.append(f"办理情况 {p.get('handling', '')}")
        out.append(f"答复 {p.get('answer', '')}")
        out.append(f"已解决 {_yes(p.get('resolved'))}")
    elif kind == "callback":
        out.append(f"{label(SATISFACTIONS, p.get('satisfaction'))} · 是否解决 {_yes(p.get('resolved'))}")
    elif kind == "reopen" and p.get("lead"):
        out.append(f"承办 {unit(p['lead'])}")
    elif kind == "transfer":
        out.append("转至 " + label(TRANSFER_TARGETS, p.get("to")))
    elif kind == "escalate":
        out.append("移交 " + label(ESCALATION_TARGETS, p.get("target")))
    elif kind == "merge":
        out.append(f"并入 {p.get('into', '')}")
    elif kind == "merged_in":
        out.append(f"并入来自 {p.get('from', '')}")
    elif kind == "renumber" and p.get("side") == "moved":
        out.append(f"原单号 {p.get('number', '')} 重复，本单改为 {p.get('to', '')}")
    elif kind == "renumber":
        out.append(f"另一张同号工单改为 {p.get('to', '')}")
    elif kind == "flag":
        out.append("⚑ " + label(FLAGS, p.get("flag")))
    elif kind == "commit":
        out.append(f"{p.get('by', '')} ({unit(p.get('unit')) or '-'}) 承诺 {p.get('due', '')} 前办结 · 联系 {p.get('contact', '')}")
    elif kind == "add_call" and p.get("caller_phone"):
        out.append("来电 " + mask_phone(str(p["caller_phone"])))
    for key in ("answer", "text", "reason", "detail", "note"):
        if key == "reason" and kind == "return":
            continue
        if key == "answer" and kind == "reply":
            continue
        if p.get(key):
            out.append(str(p[key]))
    return one_line("  ".join(x for x in out if x))
