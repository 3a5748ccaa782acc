"""Deciding an action: check it against the state, the role and the rules, and say which events it makes.

``decide`` is pure: it is given the ticket, the fields the person filled in and a context (clock, policy,
directory check, role), and returns the events to record, or raises DomainError/InputError with a clear
reason, in which case nothing is written. The same specs drive the command line's options and the
screens' modals, so an action asks for exactly the fields it needs everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hotline_tui.domain.calendar import end_of_day_ms, local_date
from hotline_tui.domain.fold import allowed_in
from hotline_tui.domain.permissions import refused
from hotline_tui.domain.policy import Policy
from hotline_tui.domain.text import clean_text
from hotline_tui.domain.ticket import Ticket
from hotline_tui.domain.vocabulary import (
    ACTIONS,
    ESCALATION_TARGETS,
    RETURN_REASONS,
    SATISFACTIONS,
    STATES,
    TRANSFER_TARGETS,
)
from hotline_tui.errors import DomainError, InputError


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # text | line | unit | units | choice | int | bool | ticket | date
    label: str
    required: bool = True
    choices: dict[str, str] | None = None


@dataclass(frozen=True)
class ActionSpec:
    name: str
    fields: tuple[FieldSpec, ...] = ()
    key: str = ""  # the key on the ticket screen

    @property
    def label(self) -> str:
        return ACTIONS[self.name]


_REASON = FieldSpec("reason", "text", "理由")
_NOTE = FieldSpec("note", "text", "说明", required=False)
_WHY = FieldSpec("note", "text", "理由")  # a supervisor's action always says why (催办、督办、挂牌、移交)
YES_NO = {"yes": "是", "no": "否"}

SPECS: dict[str, ActionSpec] = {s.name: s for s in (
    ActionSpec("dispatch", (FieldSpec("lead", "unit", "主办单位"), FieldSpec("assist", "units", "协办单位", required=False), _NOTE), "d"),
    ActionSpec("answer", (FieldSpec("answer", "text", "答复内容"),), "w"),
    ActionSpec("transfer", (FieldSpec("to", "choice", "转至", choices=TRANSFER_TARGETS), _NOTE), "t"),
    ActionSpec("claim", (_NOTE,), "c"),
    ActionSpec("return", (FieldSpec("reason", "choice", "退单原因", choices=RETURN_REASONS), FieldSpec("detail", "text", "说明", required=False)), "b"),
    ActionSpec("return_accept", (FieldSpec("lead", "unit", "改派至"), FieldSpec("assist", "units", "协办单位", required=False), _NOTE), "g"),
    ActionSpec("return_reject", (_REASON,), "r"),
    ActionSpec("reassign", (FieldSpec("lead", "unit", "改派至"), FieldSpec("assist", "units", "协办单位", required=False), _REASON), "x"),
    ActionSpec("extend", (_REASON, FieldSpec("days", "int", "延长工作日")), "e"),
    ActionSpec("extend_approve", (_NOTE,), "k"),
    ActionSpec("extend_refuse", (_REASON,), "y"),
    ActionSpec("progress", (FieldSpec("text", "text", "进展"),), "p"),
    ActionSpec("reply", (FieldSpec("handling", "text", "办理情况"), FieldSpec("answer", "text", "答复内容"), FieldSpec("resolved", "bool", "已解决", choices=YES_NO)), "a"),
    ActionSpec("reply_approve", (_NOTE,), "o"),
    ActionSpec("reply_reject", (_REASON,), "q"),
    ActionSpec("callback", (FieldSpec("satisfaction", "choice", "满意度", choices=SATISFACTIONS), FieldSpec("resolved", "bool", "是否解决", choices=YES_NO), _NOTE), "v"),
    ActionSpec("close", (_NOTE,), "z"),
    ActionSpec("reopen", (_REASON, FieldSpec("lead", "unit", "承办单位", required=False)), "f"),
    ActionSpec("urge", (_WHY,), "u"),
    ActionSpec("supervise", (_WHY,), "s"),
    ActionSpec("list", (_WHY,), "l"),
    ActionSpec("escalate", (FieldSpec("target", "choice", "移交至", choices=ESCALATION_TARGETS), _WHY), "j"),
    ActionSpec("merge", (FieldSpec("into", "ticket", "并入工单"),), "m"),
    ActionSpec("note", (FieldSpec("text", "text", "备注"),), "n"),
    ActionSpec("add_call", (FieldSpec("text", "text", "本次来电内容"), FieldSpec("caller_phone", "line", "来电号码", required=False)), "i"),
    # 不解决找我: a cadre's name on a request of their unit (their own form on F4's w, screens/commit_form.py)
    ActionSpec("commit", (FieldSpec("due", "date", "承诺办结日期"), FieldSpec("contact", "line", "联系方式"), _NOTE), "w"),
)}
COMMIT_MAX_DAYS = 60  # how far on a commitment's date may be
COMMIT_CONTACT_MAX = 100  # characters of the contact a cadre publishes


@dataclass
class Context:
    now_ms: int
    policy: Policy
    role: str = "operator"
    unit_exists: Callable[[str], bool] = lambda code: True
    get_ticket: Callable[[str], Ticket | None] = lambda number: None
    viewer_unit: str | None = None  # a cadre's own unit
    unit_within: Callable[[str, str], bool] = lambda code, own: code == own  # code is own or under it
    actor: str = ""  # who acts (the name a commitment carries)


@dataclass
class Decision:
    """Events to record: (ticket number, kind, payload), in order."""

    events: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def add(self, ticket: str, kind: str, payload: dict[str, Any]) -> None:
        self.events.append((ticket, kind, payload))


def parse_fields(spec: ActionSpec, raw: dict[str, Any]) -> dict[str, Any]:
    """Check and convert what was typed for each field; unknown fields are refused."""
    known = {f.name for f in spec.fields}
    unknown = sorted(set(raw) - known)
    if unknown:
        allowed = ", ".join(f"--{n}" for n in sorted(known)) or "none"
        raise InputError(f"{spec.name} does not take {', '.join('--' + u for u in unknown)} (it takes: {allowed})")
    out: dict[str, Any] = {}
    for f in spec.fields:
        value = raw.get(f.name)
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            if f.required:
                raise InputError(f"{spec.name} needs --{f.name} ({f.label})")
            continue
        out[f.name] = _convert(spec.name, f, value)
    return out


def _convert(action: str, f: FieldSpec, value: Any) -> Any:
    where = f"{action} --{f.name}"
    if f.kind == "text":
        return clean_text(value, where, kind="text", required=f.required)
    if f.kind in ("line", "unit", "ticket"):
        return clean_text(value, where, kind="line", required=f.required)
    if f.kind == "date":
        v = clean_text(value, where, kind="line", required=f.required)
        try:
            return dt.date.fromisoformat(v.replace("/", "-"))
        except ValueError:
            raise InputError(f"{where} must be a date like 2026-12-10, not {v[:20]!r}") from None
    if f.kind == "units":
        items = value if isinstance(value, list) else str(value).replace("，", ",").split(",")
        return [clean_text(v, where, kind="line") for v in items if str(v).strip()]
    if f.kind == "choice":
        v = clean_text(value, where, kind="line")
        if v in f.choices:
            return v
        by_label = {label: code for code, label in f.choices.items()}
        if v in by_label:
            return by_label[v]
        raise InputError(f"{where} must be one of: {', '.join(f.choices)}")
    if f.kind == "bool":
        if isinstance(value, bool):
            return value
        v = str(value).strip().lower()
        if v in ("yes", "y", "true", "1", "是"):
            return True
        if v in ("no", "n", "false", "0", "否"):
            return False
        raise InputError(f"{where} must be yes or no")
    if f.kind == "int":
        if isinstance(value, bool):
            raise InputError(f"{where} must be a whole number")
        try:
            return int(str(value).strip())
        except ValueError:
            raise InputError(f"{where} must be a whole number, not {str(value)[:20]!r}") from None
    raise AssertionError(f.kind)


def refusal(ticket: Ticket, action: str, ctx: Context) -> str | None:
    """Why ``action`` is not allowed on ``ticket`` now (state or role), or None if it is."""
    if action not in SPECS:
        return f"unknown action {action!r}"
    why = refused(ctx.role, action)
    if why:
        return why
    if ticket.state == "merged" and action != "note":
        return f"{ticket.number} was merged into {ticket.merged_into}; act on that ticket"
    if not allowed_in(action, ticket.state):
        return f"cannot {action} ({ACTIONS[action]}) a ticket that is {ticket.state} ({STATES.get(ticket.state, ticket.state)})"
    if action in ("extend_approve", "extend_refuse") and not ticket.extension_pending:
        return "no extension has been asked for"
    if action == "extend":
        if ticket.extension_pending:
            return "an extension is already waiting for the centre's decision"
        if ticket.due_ms is not None and ctx.now_ms > ticket.due_ms:
            return "the deadline has passed: an extension must be asked before it"
        if ticket.extension_count >= ctx.policy.extension.get("max_times", 2):
            return f"already extended {ticket.extension_count} times, the most allowed"
    if action == "urge" and ctx.policy.rule("urge_requires_overdue"):
        if ticket.due_ms is None or ctx.now_ms <= ticket.due_ms:
            return "only an overdue ticket can be urged"
    if action == "reopen" and not ticket.lead_unit:
        return None  # allowed, but needs --lead (checked in decide)
    if action == "commit":
        return _not_own_unit(ticket, ctx)
    return None


def _not_own_unit(ticket: Ticket, ctx: Context) -> str | None:
    """Why a cadre may not put their name on ``ticket`` (不解决找我): it must be with their unit or one under it."""
    own = ctx.viewer_unit
    if not own:
        return "a cadre's own unit is not set (desk.unit): a commitment names the unit"
    units = [u for u in (ticket.lead_unit, *ticket.assist_units) if u]
    if not any(ctx.unit_within(u, own) for u in units):
        return f"{ticket.number} is not with your unit {own} (lead or assisting): only its own cadre commits to it"
    return None


def _dispatch_payload(t: Ticket, fields: dict, ctx: Context) -> dict[str, Any]:
    lead = fields["lead"]
    assist = [u for u in dict.fromkeys(fields.get("assist", [])) if u != lead]
    for code in [lead, *assist]:
        if not ctx.unit_exists(code):
            raise InputError(f"unknown unit {code!r}: look it up with `hotline lookup`")
    claim = ctx.policy.claim_due(ctx.now_ms, t.urgency)
    due = ctx.policy.handling_due(ctx.now_ms, t.nature, t.urgency)
    payload = {"lead": lead, "assist": assist, "claim_due_ms": claim.ms, "due_ms": due.ms, "due_estimated": due.estimated}
    if fields.get("note"):
        payload["note"] = fields["note"]
    if fields.get("reason"):
        payload["reason"] = fields["reason"]
    return payload


def decide(ticket: Ticket, action: str, raw_fields: dict[str, Any], ctx: Context) -> Decision:
    why = refusal(ticket, action, ctx)
    if why:
        raise DomainError(why)
    spec = SPECS[action]
    fields = parse_fields(spec, raw_fields)
    d = Decision()
    n = ticket.number
    rules = ctx.policy

    if action in ("dispatch", "reassign", "return_accept"):
        payload = _dispatch_payload(ticket, fields, ctx)
        if action == "reassign" and payload["lead"] == ticket.lead_unit:
            raise DomainError(f"{n} is already with {ticket.lead_unit}")
        d.add(n, action, payload)
        units = set(ticket.units_dispatched) | {payload["lead"]}
        if len(units) >= int(rules.rule("bounce_units")) and not ticket.has("bounced"):
            d.add(n, "flag", {"flag": "bounced", "reason": f"dispatched to {len(units)} different units"})
    elif action == "return":
        d.add(n, "return", fields)
        if ticket.return_count + 1 >= int(rules.rule("frequent_return")) and not ticket.has("frequent_return"):
            d.add(n, "flag", {"flag": "frequent_return", "reason": f"returned {ticket.return_count + 1} times"})
    elif action == "extend":
        max_days = ctx.policy.extension.get("max_days", 15)
        if not 1 <= fields["days"] <= max_days:
            raise InputError(f"extend --days must be between 1 and {max_days} working days")
        base = ticket.due_ms if ticket.due_ms is not None else ctx.now_ms
        due = ctx.policy.extended_due(base, fields["days"])
        d.add(n, "extend", {**fields, "due_ms": due.ms, "due_estimated": due.estimated})
    elif action == "callback":
        d.add(n, "callback", fields)
        unit_says_solved = bool((ticket.reply or {}).get("resolved"))
        if unit_says_solved and not fields["resolved"]:
            d.add(n, "flag", {"flag": "disputed_callback", "reason": "unit says solved, caller says not"})
            if not ticket.has("supervised"):
                d.add(n, "supervise", {"note": "回访不一致", "rule": "disputed_callback"})
            d.add(n, "reopen", _reopen_payload(ticket, ctx, "回访不一致", "disputed_callback"))
        elif ticket.has("listed") and fields["satisfaction"] == "unsatisfied":
            d.add(n, "reopen", _reopen_payload(ticket, ctx, "挂牌督办件回访不满意", "listed_unsatisfied"))
    elif action == "reopen":
        lead = fields.get("lead") or ticket.lead_unit
        if not lead:
            raise InputError("reopen needs --lead: this ticket was never dispatched")
        if not ctx.unit_exists(lead):
            raise InputError(f"unknown unit {lead!r}: look it up with `hotline lookup`")
        d.add(n, "reopen", {**_reopen_payload(ticket, ctx, fields["reason"], None), "lead": lead})
    elif action == "merge":
        into = fields["into"]
        if into == n:
            raise DomainError("a ticket cannot be merged into itself")
        original = ctx.get_ticket(into)
        if original is None:
            raise InputError(f"no ticket {into}")
        if original.state == "merged":
            raise DomainError(f"{into} was itself merged into {original.merged_into}; merge into that one")
        if original.state in ("transferred",):
            raise DomainError(f"{into} was transferred; it cannot take a merge")
        d.add(n, "merge", {"into": into})
        d.add(into, "merged_in", {"from": n})
    elif action == "add_call":
        d.add(n, "add_call", fields)
    elif action == "commit":
        d.add(n, "commit", _commit_payload(fields, ctx))
    else:
        d.add(n, action, fields)
    return d


def _commit_payload(fields: dict, ctx: Context) -> dict[str, Any]:
    today = local_date(ctx.now_ms)
    due: dt.date = fields["due"]
    last = today + dt.timedelta(days=COMMIT_MAX_DAYS)
    if due < today:
        raise InputError(f"commit --due {due.isoformat()} has passed: promise today ({today.isoformat()}) or later")
    if due > last:
        raise InputError(f"commit --due must be within {COMMIT_MAX_DAYS} days, by {last.isoformat()}")
    contact = fields["contact"]
    if len(contact) > COMMIT_CONTACT_MAX:
        raise InputError(f"commit --contact is {len(contact)} characters long; at most {COMMIT_CONTACT_MAX} are allowed")
    if not ctx.actor.strip():
        raise InputError("a commitment carries the cadre's name: set desk.operator")
    payload = {"by": ctx.actor, "unit": ctx.viewer_unit, "due": due.isoformat(), "due_ms": end_of_day_ms(due),
               "contact": contact}
    if fields.get("note"):
        payload["note"] = fields["note"]
    return payload


def _reopen_payload(ticket: Ticket, ctx: Context, reason: str, rule: str | None) -> dict[str, Any]:
    claim = ctx.policy.claim_due(ctx.now_ms, ticket.urgency)
    due = ctx.policy.handling_due(ctx.now_ms, ticket.nature, ticket.urgency)
    payload: dict[str, Any] = {"reason": reason, "claim_due_ms": claim.ms, "due_ms": due.ms, "due_estimated": due.estimated}
    if rule:
        payload["rule"] = rule
    return payload
