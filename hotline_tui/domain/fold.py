"""The fold: a ticket's state from its events, the same on every desk.

Events are applied in ``(hlc, id)`` order. Every event is kept; one that the state at its point does not
allow (two desks acted at once while apart) is recorded as a conflict: its effect is skipped the same
way everywhere and the ticket is flagged ``conflict`` for a supervisor.
All deadlines and rule outcomes were decided when the action was taken and travel in the payload, so
the fold needs no calendar and no configuration.
"""

from __future__ import annotations

from collections.abc import Iterable

from hotline_tui.domain.clock import hlc_ms
from hotline_tui.domain.events import Event
from hotline_tui.domain.ticket import Ticket
from hotline_tui.domain.vocabulary import OPEN_STATES

ANY = None  # allowed in every state
NOT_MERGED = frozenset({"registered", "dispatched", "claimed", "return_review", "reply_review", "awaiting_callback", "visited", "closed", "transferred"})
HANDLING = frozenset({"dispatched", "claimed", "return_review", "reply_review"})

ALLOWED: dict[str, frozenset[str] | None] = {
    "add_call": NOT_MERGED,
    "answer": frozenset({"registered"}),
    "transfer": frozenset({"registered"}),
    "dispatch": frozenset({"registered"}),
    "claim": frozenset({"dispatched"}),
    "return": frozenset({"dispatched", "claimed"}),
    "return_accept": frozenset({"return_review"}),
    "return_reject": frozenset({"return_review"}),
    "reassign": frozenset({"dispatched", "claimed", "return_review"}),
    "extend": frozenset({"dispatched", "claimed"}),
    "extend_approve": HANDLING,
    "extend_refuse": HANDLING,
    "progress": frozenset({"claimed"}),
    "reply": frozenset({"claimed"}),
    "reply_approve": frozenset({"reply_review"}),
    "reply_reject": frozenset({"reply_review"}),
    "callback": frozenset({"awaiting_callback"}),
    "close": frozenset({"awaiting_callback", "visited"}),
    "reopen": frozenset({"awaiting_callback", "visited", "closed"}),
    "urge": HANDLING,
    "supervise": NOT_MERGED,
    "list": NOT_MERGED,
    "escalate": NOT_MERGED,
    "merge": OPEN_STATES,
    "merged_in": NOT_MERGED,
    "note": ANY,
    "flag": ANY,
    "commit": OPEN_STATES,
    "renumber": ANY,  # a second registration of this number moved to another (store/collisions.py): timeline only
}


def allowed_in(kind: str, state: str) -> bool:
    allowed = ALLOWED.get(kind, frozenset())
    return allowed is ANY or state in allowed


def _dispatch_to(t: Ticket, p: dict, record: bool = True) -> None:
    t.lead_unit = p["lead"]
    t.assist_units = list(p.get("assist", []))
    if record:
        t.units_dispatched.append(p["lead"])
    t.claim_due_ms = p.get("claim_due_ms")
    t.due_ms = p.get("due_ms")
    t.due_estimated = bool(p.get("due_estimated", False))
    t.claimed_ms = None
    t.extension_pending = None
    t.state = "dispatched"


def _register(t: Ticket, e: Event) -> None:
    p = e.payload
    t.desk = e.desk
    t.registered_ms = hlc_ms(e.hlc)
    t.registered_by = e.actor
    for name in ("caller_phone", "caller_name", "caller_key", "caller_phone_enc", "caller_name_enc", "anonymous", "confidential", "channel", "nature", "place", "address", "description", "urgency"):
        if name in p:
            setattr(t, name, p[name])
    t.category = list(p.get("category", []))
    t.state = "registered"
    if p.get("repeat_of"):
        t.set_flag("repeat")


# --- what each kind of event does, once the state allows it ---------------------------------------------
# One small function per kind, found by a dict look-up: the chain of comparisons it replaced cost a
# quarter of folding a pulled page (a reply_approve was the fifteenth test).

def _add_call(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.call_count += 1
    t.set_flag("repeat")


def _answer(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.mode, t.answer, t.state, t.closed_ms = "answer", p.get("answer", ""), "closed", ms


def _transfer(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.mode, t.transfer_to, t.state, t.closed_ms = "transfer", p.get("to"), "transferred", ms


def _dispatch(t: Ticket, p: dict, ms: int, kind: str) -> None:  # dispatch, reassign, return_accept
    if kind == "dispatch":
        t.mode = "dispatch"
        t.dispatched_ms = ms
    t.return_pending = None
    _dispatch_to(t, p)


def _claim(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.state, t.claimed_ms = "claimed", ms


def _return(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.return_count += 1
    t.return_pending = {"unit": t.lead_unit, "reason": p.get("reason"), "detail": p.get("detail", ""), "prev_state": t.state}
    t.state = "return_review"


def _return_reject(t: Ticket, p: dict, ms: int, kind: str) -> None:
    prev = (t.return_pending or {}).get("prev_state", "dispatched")
    t.state, t.return_pending = prev, None


def _extend(t: Ticket, p: dict, ms: int, kind: str) -> None:
    if t.extension_pending is None:
        t.extension_pending = {"days": p.get("days"), "reason": p.get("reason", ""), "due_ms": p.get("due_ms"),
                               "due_estimated": bool(p.get("due_estimated", False))}
    else:
        t.conflicts += 1
        t.set_flag("conflict")


def _extend_decided(t: Ticket, p: dict, ms: int, kind: str) -> None:  # extend_approve, extend_refuse
    if t.extension_pending is None:
        t.conflicts += 1
        t.set_flag("conflict")
        return
    if kind == "extend_approve":
        t.due_ms = t.extension_pending.get("due_ms") or t.due_ms
        t.due_estimated = t.extension_pending.get("due_estimated", t.due_estimated)
        t.extension_count += 1
    t.extension_pending = None


def _reply(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.reply = {"handling": p.get("handling", ""), "answer": p.get("answer", ""), "resolved": bool(p.get("resolved", True)), "unit": t.lead_unit}
    t.replied_ms, t.state = ms, "reply_review"


def _reply_approve(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.state = "awaiting_callback"


def _reply_reject(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.state = "claimed"


def _callback(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.callback = {"satisfaction": p.get("satisfaction"), "resolved": bool(p.get("resolved"))}
    t.state = "visited"


def _close(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.state, t.closed_ms = "closed", ms


def _reopen(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.reopen_count += 1
    t.closed_ms = None
    t.callback = None
    new_unit = p.get("lead") not in (None, t.lead_unit)  # back to the same unit is not a new unit
    _dispatch_to(t, {"lead": t.lead_unit, "assist": t.assist_units, **p}, record=new_unit)


def _urge(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.urge_count += 1
    t.set_flag("urged")


def _supervise(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.set_flag("supervised")


def _list(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.set_flag("listed")


def _escalate(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.escalations.append(p.get("target"))
    t.set_flag("escalated")


def _merge(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.merged_into, t.state = p.get("into"), "merged"
    t.set_flag("merged")


def _merged_in(t: Ticket, p: dict, ms: int, kind: str) -> None:
    if p.get("from") not in t.merged_from:
        t.merged_from.append(p.get("from"))
    t.set_flag("merged")


def _flag(t: Ticket, p: dict, ms: int, kind: str) -> None:
    t.set_flag(p.get("flag", "conflict"))


def _commit(t: Ticket, p: dict, ms: int, kind: str) -> None:
    """不解决找我: the latest commitment replaces an earlier one. Closing keeps it when closed by ``due_ms`` (the
    last millisecond of the promised day); a reopen clears ``closed_ms``, so it is open or unkept again."""
    t.commit_by, t.commit_unit = p.get("by", ""), p.get("unit")
    t.commit_due, t.commit_due_ms = p.get("due", ""), p.get("due_ms")
    t.commit_contact, t.commit_note, t.commit_ms = p.get("contact", ""), p.get("note", ""), ms


EFFECTS = {
    "add_call": _add_call, "answer": _answer, "transfer": _transfer,
    "dispatch": _dispatch, "reassign": _dispatch, "return_accept": _dispatch,
    "claim": _claim, "return": _return, "return_reject": _return_reject,
    "extend": _extend, "extend_approve": _extend_decided, "extend_refuse": _extend_decided,
    "reply": _reply, "reply_approve": _reply_approve, "reply_reject": _reply_reject,
    "callback": _callback, "close": _close, "reopen": _reopen,
    "urge": _urge, "supervise": _supervise, "list": _list, "escalate": _escalate,
    "merge": _merge, "merged_in": _merged_in, "flag": _flag, "commit": _commit,
    # note: timeline only
}
_NOWHERE: frozenset[str] = frozenset()


def apply(t: Ticket, e: Event) -> None:
    """Apply one event to ``t`` in place."""
    t.event_count += 1
    hlc, kind = e.hlc, e.kind
    if hlc > t.last_hlc:
        t.last_hlc = hlc
    if kind == "register":
        if t.registered_ms:  # a second registration of one number: keep the first
            t.conflicts += 1
            t.set_flag("conflict")
        else:
            _register(t, e)
        return
    allowed = ALLOWED.get(kind, _NOWHERE)  # allowed_in, inline: it runs for every event folded
    if allowed is not ANY and t.state not in allowed:
        t.conflicts += 1
        t.set_flag("conflict")
        return
    effect = EFFECTS.get(kind)
    if effect is not None:
        effect(t, e.payload, hlc_ms(hlc), kind)


def fold(number: str, events: Iterable[Event]) -> Ticket:
    """The state of ticket ``number`` from its events, whatever order they arrived in."""
    t = Ticket(number=number)
    for e in sorted(events, key=lambda e: e.order):
        apply(t, e)
    return t
