"""One CSV row → one ticket's events, made through the domain's own rules.

Every step is ``domain.actions.decide`` on the ticket as folded so far, with the clock set to the step's date
from the row (as the demo lives its tickets), so an imported history is one the desk itself could have recorded:
deadlines come from the calendar of the day it was dispatched (or from 办理时限), and the reports count each step
in the month it happened. A row is refused with the first thing wrong with it, named by its column.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from hotline_tui.domain.actions import Context, Decision, decide
from hotline_tui.domain.clock import make_hlc
from hotline_tui.domain.events import Event
from hotline_tui.domain.fold import apply
from hotline_tui.domain.intake import parse_intake
from hotline_tui.domain.text import clean_text
from hotline_tui.domain.ticket import Ticket
from hotline_tui.domain.vocabulary import SATISFACTIONS, STATES, TRANSFER_TARGETS
from hotline_tui.errors import HotlineError, InputError
from hotline_tui.exchange import categories
from hotline_tui.exchange.csv_format import BY_NAME
from hotline_tui.exchange.when import parse_when, shown

NUMBER = re.compile(r"^(?=(?:[^0-9]*[0-9]){4})[A-Z0-9][A-Z0-9-]{3,39}$")  # as facade/bulk.py takes them
EARLIEST = parse_when("1990-01-01")
IMPORTABLE = ("registered", "dispatched", "claimed", "reply_review", "awaiting_callback", "visited", "closed", "transferred")
# the steps a state implies, after dispatch, in order; and the dates each needs
AFTER_DISPATCH = {"dispatched": (), "claimed": ("claim",), "reply_review": ("claim", "reply"),
                  "awaiting_callback": ("claim", "reply", "reply_approve"),
                  "visited": ("claim", "reply", "reply_approve", "callback"),
                  "closed": ("claim", "reply", "reply_approve", "callback?", "close")}
DATE_OF = {"claim": "claimed", "reply": "replied", "reply_approve": "replied", "callback": "callback_at", "close": "closed"}
_STATE_OF = {**{k: k for k in STATES}, **{v: k for k, v in STATES.items()}}
_SATISFACTION_OF = {**{k: k for k in SATISFACTIONS}, **{v: k for k, v in SATISFACTIONS.items()}}
_TRANSFER_OF = {**{k: k for k in TRANSFER_TARGETS}, **{v: k for k, v in TRANSFER_TARGETS.items()},
                **{v.split()[-1]: k for k, v in TRANSFER_TARGETS.items()}}


class RowError(InputError):
    """What is wrong with one row (the line is added by the caller)."""


@dataclass
class Built:
    number: str
    ticket: Ticket
    events: list[Event]


@dataclass
class Setting:
    """What every row needs: the directory's resolvers, the policy, the desk and the clock."""

    unit_code: Callable[[str], str | None]  # code or exact name → code, None if unknown; raises if ambiguous
    unit_name: Callable[[str], str]
    unit_exists: Callable[[str], bool]
    policy: object
    desk: str
    operator: str
    now_ms: int
    source: str  # the file's name, kept in each register event with the line
    seal: Callable[[dict], dict]  # the caller sealed before it is written (privacy/seal.py Sealer.seal_caller)


def _h(key: str) -> str:
    c = BY_NAME[key]
    return f"{c.header} ({c.key})"


def _when(row: dict, key: str, s: Setting, *, end_of_day: bool = False) -> int | None:
    value = (row.get(key) or "").strip()
    if not value:
        return None
    ms = parse_when(value, end_of_day=end_of_day)
    if ms is None:
        raise RowError(f"{_h(key)} {value[:30]!r} is not a date-time like 2023-05-12 08:30")
    if ms > s.now_ms and key != "due":
        raise RowError(f"{_h(key)} {shown(ms)} is in the future")
    if ms < EARLIEST:
        raise RowError(f"{_h(key)} {shown(ms)} is before 1990")
    return ms


def _unit(row: dict, key: str, s: Setting) -> str | None:
    value = clean_text(row.get(key), _h(key), kind="line")
    if not value:
        return None
    code = s.unit_code(value)
    if code is None:
        raise RowError(f"{_h(key)} {value[:40]!r} is not a unit of the directory (look it up with `hotline lookup`)")
    return code


def build(line: int, row: dict[str, str], s: Setting) -> Built:
    """The ticket of one row, or RowError (any HotlineError from the domain is turned into one)."""
    try:
        return _build(line, row, s)
    except RowError:
        raise
    except HotlineError as exc:
        raise RowError(str(exc)) from None


def _build(line: int, row: dict[str, str], s: Setting) -> Built:
    number = (row.get("number") or "").strip().upper()
    if not NUMBER.match(number):
        raise RowError(f"{_h('number')} {number[:40]!r} must be 4-40 letters, digits or -, at least 4 of them digits, starting with a letter or digit")
    registered = _when(row, "registered", s)
    if registered is None:
        raise RowError(f"{_h('registered')} is required")
    state_text = (row.get("state") or "").strip()
    state = _STATE_OF.get(state_text) or _STATE_OF.get(state_text.lower())
    if state not in IMPORTABLE:
        raise RowError(f"{_h('state')} {state_text[:20]!r} is not one of: {' '.join(STATES[k] for k in IMPORTABLE)}")
    category = None
    if (row.get("category") or "").strip():
        category = categories.resolve(clean_text(row["category"], _h("category"), kind="line"))
        if category is None:
            raise RowError(f"{_h('category')} {row['category'].strip()[:40]!r} is not a category of the taxonomy (a path or a code)")
    phone = (row.get("caller_phone") or "").strip()
    intake = {"caller_phone": phone, "caller_name": row.get("caller_name") or "", "anonymous": not phone,
              "channel": (row.get("channel") or "").strip(), "nature": (row.get("nature") or "").strip(),
              "category": category or [], "place": _unit(row, "place", s) or "", "address": row.get("address") or "",
              "description": row.get("description") or "", "urgency": (row.get("urgency") or "").strip()}
    draft = parse_intake(intake)
    dates = {k: _when(row, k, s) for k in ("dispatched", "claimed", "replied", "callback_at", "closed")}
    due = _when(row, "due", s, end_of_day=True)
    reply = clean_text(row.get("reply"), _h("reply"), kind="text")
    resolved = _yes_no(row.get("resolved"))
    sat_text = (row.get("callback") or "").strip()
    satisfaction = _SATISFACTION_OF.get(sat_text) if sat_text else None
    if sat_text and satisfaction is None:
        raise RowError(f"{_h('callback')} {sat_text[:20]!r} is not one of: {' '.join(SATISFACTIONS.values())}")
    lead_text = (row.get("lead_unit") or "").strip()

    if (satisfaction or due is not None) and (state in ("registered", "transferred") or (state == "closed" and not lead_text)):
        raise RowError(f"{_h('callback' if satisfaction else 'due')} is given but the request was never dispatched")
    life = _Life(number, s)
    register = s.seal({**draft.register, "imported": f"{s.source}:{line}"})
    life.record(Decision([(number, "register", register)]), registered, s.operator)
    if state == "transferred":
        to = _TRANSFER_OF.get(lead_text)
        if to is None:
            raise RowError(f"{_h('lead_unit')} of a transferred request must be one of: {' '.join(TRANSFER_TARGETS)}")
        _unused(dates, ("dispatched", "claimed", "replied", "callback_at"), state)
        if reply:
            raise RowError(f"{_h('reply')} is given but the request was transferred")
        life.act("transfer", {"to": to}, dates["closed"] or registered, s.operator)
        return life.done(state)
    lead = _unit(row, "lead_unit", s)
    if state == "closed" and lead is None:  # answered on the call (直接答复)
        if not reply:
            raise RowError(f"a closed request without {_h('lead_unit')} was answered on the call: it needs {_h('reply')}")
        _unused(dates, ("dispatched", "claimed", "replied", "callback_at"), state)
        life.act("answer", {"answer": reply}, dates["closed"] or registered, s.operator)
        return life.done(state)
    if state == "registered":
        _unused(dates, tuple(dates), state)
        if reply:
            raise RowError(f"{_h('reply')} is given but the state is {STATES[state]}: give the state it reached")
        if lead:
            raise RowError(f"{_h('lead_unit')} is given but the state is {STATES[state]}: give {_h('dispatched')} and the state it reached")
        return life.done(state)
    if lead is None or dates["dispatched"] is None:
        raise RowError(f"a request that is {STATES[state]} needs {_h('lead_unit')} and {_h('dispatched')}")
    steps = [st.rstrip("?") for st in AFTER_DISPATCH[state] if not st.endswith("?") or satisfaction]
    wanted = {DATE_OF[st] for st in steps} - {"callback_at"}
    _unused(dates, tuple(k for k in ("claimed", "replied", "closed") if k not in wanted), state)
    if reply and "reply" not in steps:
        raise RowError(f"{_h('reply')} is given but the state is {STATES[state]}: give the state it reached")
    if satisfaction and "callback" not in steps:
        raise RowError(f"{_h('callback')} is given but the state is {STATES[state]}")
    if due is not None and due < dates["dispatched"]:
        raise RowError(f"{_h('due')} {shown(due)} is before {_h('dispatched')} {shown(dates['dispatched'])}")
    if "callback" in steps and not satisfaction:
        raise RowError(f"a request that is {STATES[state]} needs {_h('callback')}")
    if dates["callback_at"] is not None and not satisfaction:
        raise RowError(f"{_h('callback_at')} is given without {_h('callback')}")
    life.check_order(dates["dispatched"], "dispatched")
    dispatch = decide(life.t, "dispatch", {"lead": lead}, life.context(dates["dispatched"]))
    if due is not None:
        dispatch.events[0][2].update(due_ms=due, due_estimated=False)
    life.record(dispatch, dates["dispatched"], s.operator)
    unit = s.unit_name(lead)
    for step in steps:
        key = DATE_OF[step]
        at = dates[key] if key != "callback_at" else (dates["callback_at"] or dates["closed"])
        if at is None:
            raise RowError(f"a request that is {STATES[state]} needs {_h(key)}")
        if step == "reply":
            if not reply:
                raise RowError(f"a request that is {STATES[state]} needs {_h('reply')}")
            life.act("reply", {"handling": reply, "answer": reply, "resolved": resolved}, at, unit, key)
        elif step == "callback":
            life.act("callback", {"satisfaction": satisfaction, "resolved": resolved}, at, s.operator, key)
        else:
            life.act(step, {}, at, unit if step == "claim" else s.operator, key)
    return life.done(state)


def _yes_no(value: str | None) -> bool:
    v = (value or "").strip().lower()
    if v in ("", "是", "yes", "y", "1", "true", "已解决"):
        return True
    if v in ("否", "no", "n", "0", "false", "未解决"):
        return False
    raise RowError(f"{_h('resolved')} {v[:10]!r} must be 是 or 否")


def _unused(dates: dict, keys: tuple[str, ...], state: str) -> None:
    for k in keys:
        if dates.get(k) is not None:
            raise RowError(f"{_h(k)} is given but the state is {STATES[state]}: give the state it reached")


class _Life:
    """The ticket as its events are made: each at its own date, never before the one before it."""

    def __init__(self, number: str, s: Setting) -> None:
        self.number, self.s = number, s
        self.t = Ticket(number=number)
        self.events: list[Event] = []
        self.ms, self.key = 0, "registered"
        self.rand = int.from_bytes(os.urandom(10), "big")  # the random part of its events' ids (UUIDv7)

    def context(self, at: int) -> Context:
        return Context(now_ms=at, policy=self.s.policy, role="operator", unit_exists=self.s.unit_exists)

    def act(self, action: str, fields: dict, at: int, actor: str, key: str = "closed") -> None:
        self.check_order(at, key)
        self.record(decide(self.t, action, fields, self.context(at)), at, actor)

    def check_order(self, at: int, key: str) -> None:
        if at < self.ms:
            raise RowError(f"{_h(key)} {shown(at)} is before {_h(self.key)} {shown(self.ms)}")
        self.key = key

    def record(self, decision: Decision, at: int, actor: str) -> None:
        for number, kind, payload in decision.events:
            if number != self.number:
                raise RowError(f"{kind} would touch another ticket ({number})")
            e = Event(id=_uuid7(at, self.rand + len(self.events) * 0x9E3779B97F4A7C15), ticket=number, hlc=make_hlc(at, len(self.events)), desk=self.s.desk,
                      actor=actor, kind=kind, payload=payload)
            apply(self.t, e)
            self.events.append(e)
        self.ms = at

    def done(self, state: str) -> Built:
        if self.t.state != state or self.t.conflicts:
            raise RowError(f"its history could not be rebuilt as {STATES[state]} (it came out {STATES.get(self.t.state, self.t.state)})")
        return Built(self.number, self.t, self.events)


def _uuid7(ms: int, rand: int) -> str:
    """domain.clock.uuid7 with its 74 random bits given (one draw per ticket, stepped per event): the same
    layout, a third of the cost, which counted in an import of 100k tickets."""
    value = ((ms & 0xFFFFFFFFFFFF) << 80 | 0x7 << 76 | ((rand >> 62) & 0xFFF) << 64 | 0x2 << 62
             | (rand & ((1 << 62) - 1)))
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
