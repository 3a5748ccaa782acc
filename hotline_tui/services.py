"""The facade the command line and the screens call: one place that opens the store, checks roles
and turns rows into plain values. Nothing here imports Textual."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from hotline_tui.config import Settings, load_settings
from hotline_tui.domain.actions import SPECS, Context, Decision, decide, refusal
from hotline_tui.domain.events import Event
from hotline_tui.domain.intake import parse_intake
from hotline_tui.domain.permissions import can_see_caller
from hotline_tui.domain.phone import mask_phone
from hotline_tui.domain.ticket import Ticket
from hotline_tui.privacy.shown import mask_name, shown_payload, shown_state
from hotline_tui.errors import DomainError, InputError, NotFound
from hotline_tui.facade.analysis import AnalysisPart
from hotline_tui.facade.bulk import BulkPart
from hotline_tui.facade.cards import CardsPart
from hotline_tui.facade.exchange import ExchangePart
from hotline_tui.facade.history import HistoryPart
from hotline_tui.facade.privacy import PrivacyPart
from hotline_tui.facade.query import QueryPart
from hotline_tui.facade.reports import ReportsPart
from hotline_tui.facade.routing import RoutingPart
from hotline_tui.facade.shifts import ShiftsPart
from hotline_tui.facade.syncing import SyncPart
from hotline_tui.facade.units import UnitsPart
from hotline_tui.facade.users import UsersPart


@dataclass(frozen=True)
class TicketView:
    """What a screen or `ticket show` needs about one ticket, with the caller masked as the viewer must see it."""

    ticket: Ticket
    events: list[Event]
    caller_phone: str
    caller_name: str
    allowed: dict[str, str | None]  # action -> None if allowed, else why not
    commitment: str | None = None  # 不解决找我 now: open | kept | unkept, None without one


    def to_json(self) -> dict[str, Any]:
        state = shown_state(self.ticket.to_dict())
        state["caller_phone"], state["caller_name"] = self.caller_phone, self.caller_name
        state["commitment"] = self.commitment
        return {
            "number": self.ticket.number,
            "state": state,
            "timeline": [
                {"id": e.id, "hlc": e.hlc, "at_ms": e.hlc >> 16, "desk": e.desk, "actor": e.actor, "kind": e.kind,
                 "payload": shown_payload(e.payload, self.caller_phone == "保密")}
                for e in self.events
            ],
        }


class Desk(AnalysisPart, BulkPart, CardsPart, ExchangePart, HistoryPart, PrivacyPart, QueryPart, ReportsPart, RoutingPart,
           ShiftsPart, SyncPart, UnitsPart, UsersPart):
    """One desk's view of its store, as one person (settings.operator, settings.role)."""

    def __init__(self, settings: Settings, clock_ms=None) -> None:
        self.settings = settings
        self._now = clock_ms or (lambda: time.time_ns() // 1_000_000)

    @classmethod
    def open(cls, db: str | None = None, **kw) -> Desk:
        return cls(load_settings(db), **kw)

    @cached_property
    def store(self):
        from hotline_tui.store.event_store import open_store

        return open_store(self.settings.store_path, wall=self._now)

    @cached_property
    def policy(self):
        from hotline_tui.domain.policy import load_policy

        return load_policy(self.settings.holidays, self.settings.rules)

    @cached_property
    def directory(self):
        from hotline_tui.directory import load_directory_for_store

        return load_directory_for_store(self.settings.store_path)

    def unit_exists(self, code: str) -> bool:
        return self.directory.get(code) is not None

    def unit_within(self, code: str, own: str) -> bool:
        """Whether unit ``code`` is ``own`` or one under it (a cadre's unit and its sub-units)."""
        if code == own:
            return True
        try:
            return any(u.code == own for u in self.directory.ancestors(code))
        except Exception:  # a unit the directory does not know is under no one
            return False

    def context(self, writer=None, actor: str | None = None) -> Context:
        get = writer.ticket if writer is not None else self.store.ticket
        return Context(now_ms=self._now(), policy=self.policy, role=self.settings.role,
                       unit_exists=self.unit_exists, get_ticket=get, viewer_unit=self.settings.unit,
                       unit_within=self.unit_within, actor=actor or self.settings.operator)

    # --- writing -------------------------------------------------------------------------------
    def register(self, data: Any, actor: str | None = None, merge_into: str | None = None,
                 taken_by: str | None = None) -> str:
        """Register a new request (and its handling, if given); returns its number. All or nothing.

        ``taken_by`` (我当接线员): the cadre at this desk took the call on their open shift; the registration
        records them (its actor) and the operator beside them (``operator``), and is refused without such a shift.

        ``merge_into`` (并单): the new request is registered and merged into that open ticket in the same
        transaction, so both timelines keep it; a request merged this way takes no handling of its own.
        """
        draft = parse_intake(data)
        for code in draft.units:
            if not self.unit_exists(code):
                raise InputError(f"unknown unit {code!r} for place: look it up with `hotline lookup`")
        if merge_into is not None and draft.handling:
            raise InputError("a request merged into another takes no handling of its own")
        actor = actor or self.settings.operator
        register = self.sealer.seal_caller(draft.register)  # the caller sealed before anything is written
        with self.store.write() as w:
            ctx = self.context(w)
            payload = register
            if taken_by is not None:
                payload = {**payload, **self.taken_call_fields(w.conn, taken_by)}
                actor = taken_by
                # the call's handling is the intake's, done with the operator beside them: as an operator's
                ctx = dataclasses.replace(ctx, role="operator")
            if merge_into is not None and w.ticket(merge_into) is None:
                raise NotFound(f"no ticket {merge_into} to merge into")
            number = w.next_number(self.settings.city_code, self.settings.desk, ctx.now_ms)
            w.new_ticket(number)
            w.record(Decision([(number, "register", payload)]), desk=self.settings.desk, actor=actor)
            if draft.handling:
                action, fields = draft.handling
                w.record(decide(w.ticket(number), action, fields, ctx), desk=self.settings.desk, actor=actor)
            if merge_into is not None:
                w.record(decide(w.ticket(number), "merge", {"into": merge_into}, ctx), desk=self.settings.desk, actor=actor)
        return number

    def add_call(self, number: str, text: str, caller_phone: str = "", actor: str | None = None) -> list[Event]:
        """A repeat call (重复件) added to an open request instead of opening a new one."""
        fields: dict[str, Any] = {"text": text}
        if caller_phone.strip():
            fields["caller_phone"] = caller_phone.strip()
        return self.act(number, "add_call", fields, actor=actor)

    def intake_deadline(self, nature: str, urgency: str = "normal") -> dict[str, Any]:
        """The handling deadline a request registered now would get: shown on the form before saving."""
        from hotline_tui.domain.calendar import local_date

        due = self.policy.handling_due(self._now(), nature, urgency)
        day = local_date(due.ms)
        return {"days": due.working_days, "due_ms": due.ms, "date": day.isoformat(),
                "weekday": "一二三四五六日"[day.weekday()], "estimated": due.estimated}

    def act(self, number: str, action: str, fields: dict[str, Any], actor: str | None = None) -> list[Event]:
        """Perform one action; refused with a clear reason (and nothing written) when not allowed."""
        if action not in SPECS:
            raise InputError(f"unknown action {action!r} (actions: {', '.join(SPECS)})")
        with self.store.write() as w:
            t = w.ticket(number)
            if t is None:
                raise NotFound(f"no ticket {number}")
            if t.state == "merged" and action != "note":
                raise DomainError(f"{number} was merged into {t.merged_into}; act on {t.merged_into}")
            actor = actor or self.settings.operator
            decision = self.seal_decision(decide(t, action, fields, self.context(w, actor)))  # a number added to a call, sealed
            self.check_own_unit(t)
            return w.record(decision, desk=self.settings.desk, actor=actor)

    def check_own_unit(self, t: Ticket) -> None:
        """A cadre reads and acts only on their own unit's (and sub-units') requests (permissions ``see_all_units``)."""
        units = self.viewer_units()
        if t.registered_by == self.settings.operator:  # a call the cadre took themselves (我当接线员): they heard it
            return
        if units is not None and not ({t.lead_unit, *t.assist_units} & set(units)):
            raise DomainError(f"{t.number} is not your unit's request: 挂职干部只能查看本单位的工单")

    # --- reading -------------------------------------------------------------------------------
    def show(self, number: str) -> TicketView:
        with self.store.read() as conn:
            from hotline_tui.store import projection

            t = projection.read_ticket(conn, number)
            if t is None:
                raise NotFound(f"no ticket {number}")
            events = self.store.ticket_events(conn, number)
        self.check_own_unit(t)
        # masked for everyone (the full number only with `reveal` and a reason); a confidential caller's
        # mask only to the operator who registered the call
        phone, name = mask_phone(t.caller_phone), mask_name(t.caller_name, t.anonymous)
        if t.confidential and not can_see_caller(self.settings.role, self.settings.operator, t):
            phone, name = "保密", ""
        ctx = self.context()
        allowed = {a: refusal(t, a, ctx) for a in SPECS}
        allowed["reveal"] = self.reveal_refusal(t)  # not an action on the ticket: an audited read
        return TicketView(t, events, phone, name, allowed, t.commitment(ctx.now_ms))

    def list_tickets(self, limit: int = 50, before: tuple[int, str] | None = None) -> list[dict[str, Any]]:
        from hotline_tui.store.queries import recent_tickets

        units = self.viewer_units()
        with self.store.read() as conn:
            rows = recent_tickets(conn, limit=limit, before=before, units=units)
        for row in rows:
            row["caller_phone"] = mask_phone(row["caller_phone"])
        return rows

    def rebuild(self) -> dict[str, int]:
        from hotline_tui.store.rebuild import rebuild

        return rebuild(self.store)

    # --- small reads for the screens (plain values out) ----------------------------------------
    def unit_name(self, code: str | None) -> str:
        """The unit's name as the directory knows it, or the code itself when it does not."""
        if not code:
            return ""
        try:
            unit = self.directory.get(code)
        except Exception:  # the directory is optional for showing a ticket
            return code
        return unit.name if unit is not None else code

    def workdays_left(self, due_ms: int) -> int:
        """Working days from now to ``due_ms``: 0 on the due day, negative when overdue."""
        return self.policy.workdays_left(self._now(), due_ms)

    def today(self) -> dict[str, Any]:
        """Today's date in China's time and whether it is a working day (调休 included)."""
        from hotline_tui.domain.calendar import local_date

        day = local_date(self._now())
        work, estimated = self.policy.calendar.is_workday(day)
        return {"date": day.isoformat(), "weekday": "一二三四五六日"[day.weekday()], "workday": work, "estimated": estimated}

    def sync_status(self) -> dict[str, Any]:
        """For the header: {hub (password hidden; None = sync off), last_sync_ms, pending_push}."""
        from hotline_tui.sync.engine import sync_status

        return sync_status(self.store, self.settings.hub)

    # --- unit lookup (F3 and the unit picker) ---------------------------------------------------
    def lookup_units(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Directory matches as plain dicts {code, name, path, kind, level, score, reason}; never raises on text."""
        return self.lookup_units_ranked(query, limit=limit)  # with this desk's usage, once cached

    def unit_card(self, code: str) -> dict[str, Any] | None:
        """The unit and its duty card as plain values (with ``updated`` / ``updated_by``: when and by whom the
        card was last updated); ``generic`` when the card is its level's shared one. A card the unit's cadre
        published (synced from any desk) wins over the shipped one: ``version`` is its number (0: the shipped
        card), ``published`` true, ``published_ms`` when."""
        from hotline_tui.directory.model import CARD_FIELDS, CARD_META, KIND_TEXT

        d = self.directory
        unit = d.get(code)
        if unit is None:
            return None
        parent = d.get(unit.parent) if unit.parent else None
        card = d.card(code)
        out: dict[str, Any] = {f: getattr(card, f) for f in CARD_FIELDS + CARD_META}
        dispatch = d.get(d.dispatch_code(code))
        out.update(code=unit.code, name=unit.name, full_name=unit.full_name or unit.name, path=d.path_text(code),
                   kind=KIND_TEXT.get(unit.kind, unit.kind), parent=parent.name if parent else "",
                   generic=unit.card.is_empty() and not card.is_empty(),
                   dispatch=dispatch.code, dispatch_name=dispatch.name, version=0, published=False)
        try:
            mine = self.published_card(code)
        except Exception:  # the store may still be opening: the shipped card still shows
            mine = None
        if mine is not None:
            from hotline_tui.domain.calendar import local_date

            out.update({f: mine[f] for f in CARD_FIELDS}, version=mine["version"], published=True, generic=False,
                       published_ms=mine["published_ms"], updated=local_date(mine["published_ms"]).isoformat(),
                       updated_by=mine["published_by"])
        return out

    def open_ticket_count(self, unit: str) -> dict[str, int]:
        """{open, overdue}: tickets this unit leads that are not finished, and those past due."""
        from hotline_tui.domain.vocabulary import OPEN_STATES
        from hotline_tui.store.queries import open_count_for_unit

        with self.store.read() as conn:
            return open_count_for_unit(conn, unit, self._now(), sorted(OPEN_STATES))
