"""The cadre's shadow shift (接线体悟) for ``hotline shift`` and F7: start and end a shift, what it heard, the
operator's live draft beside it, and 我当接线员 (a call the cadre takes on the intake screen).

Who may: only a cadre (``shift`` and ``take_call`` in domain/permissions.py), checked here, not only in a screen.
The person is ``settings.operator`` (their role ``settings.role``, their unit ``settings.unit``)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hotline_tui.domain.permissions import role_may
from hotline_tui.domain.shift import Shift, desk_code, person_name
from hotline_tui.errors import DomainError, InputError

LIVE_STALE_MS = 10 * 60_000  # a draft untouched this long is an abandoned form, not a live call
SUMMARY_CHARS = 60
MAX_PAGE = 500


def _hm(ms: int) -> str:
    from hotline_tui.domain.policy import format_local

    return format_local(ms, "%m-%d %H:%M")


def parse_since(value: object) -> int:
    """``--since YYYY-MM-DD``: the start of that day in China's time (ms); refused when not such a date."""
    from hotline_tui.domain.calendar import CHINA

    if not isinstance(value, str):
        raise InputError(f"--since must be a date YYYY-MM-DD, not {type(value).__name__}")
    shown = " ".join(value.split())[:20].encode("ascii", "backslashreplace").decode()
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"--since {shown!r} is not a date: give it as YYYY-MM-DD, e.g. 2026-11-01") from None
    return int(dt.datetime.combine(day, dt.time(), CHINA).timestamp() * 1000)


class ShiftsPart:
    """Mixed into ``services.Desk``; every method but ``may_shift`` reads or writes the store (call it from a worker)."""

    # --- who may ----------------------------------------------------------------------------------
    def may_shift(self) -> str | None:
        """None when this desk's person may sit a shadow shift, else why not (one line)."""
        if not role_may(self.settings.role, "shift"):
            return (f"接线体悟 (F7) 是挂职干部的: 本台角色为 {self.settings.role}, 不能开始或结束体悟"
                    " (the shadow shift is the visiting cadre's)")
        if not self.settings.unit:
            return "挂职干部的本单位未设置 (配置 [desk] unit 或 HOTLINE_UNIT): 不能开始体悟"
        return None

    def _need_cadre(self) -> None:
        why = self.may_shift()
        if why:
            raise DomainError(why)

    # --- the shift ----------------------------------------------------------------------------------
    def start_shift(self, operator: object, desk: object = None) -> dict[str, Any]:
        """Start this cadre's shift beside ``operator`` at ``desk`` (default: this desk); refused while one is open."""
        from hotline_tui.domain.clock import uuid7
        from hotline_tui.store import shifts

        self._need_cadre()
        name = person_name(operator, "operator")
        code = self.settings.desk if desk in (None, "") else desk_code(desk)
        if name == self.settings.operator:
            raise InputError("the operator is the person you sit beside, not yourself")
        now = self._now()
        with self.store.write() as w:
            current = shifts.open_of(w.conn, self.settings.operator, now)
            if current is not None:
                raise DomainError(f"已在体悟中: 陪同 {current.operator} ({current.desk}) 自 {_hm(current.started_ms)} 起;"
                                  " 先结束 (F7 E 或 hotline shift end) 再开始新的")
            shift_id = uuid7(now)
            shifts.record_start(w, shift_id, cadre=self.settings.operator, unit=self.settings.unit or "", desk=code,
                                operator=name, by_desk=self.settings.desk)
            shift = shifts.get(w.conn, shift_id)
        return shift.to_dict(now)

    def end_shift(self) -> dict[str, Any]:
        """End this cadre's open shift; refused when none is open (an expired one counts as ended already)."""
        from hotline_tui.store import shifts

        self._need_cadre()
        now = self._now()
        with self.store.write() as w:
            current = shifts.open_of(w.conn, self.settings.operator, now)
            if current is None:
                last = shifts.latest_of(w.conn, self.settings.operator)
                if last is not None and last.status(now) == "expired":
                    raise DomainError(f"没有进行中的体悟: {_hm(last.started_ms)} 开始的体悟未结束, 已于"
                                      f" {_hm(last.expires_ms())} 超时, 按超时结束计")
                raise DomainError("没有进行中的体悟可结束 (no open shift)")
            shifts.record_end(w, current, by_desk=self.settings.desk)
            ended = shifts.get(w.conn, current.id)
        return ended.to_dict(now)

    def _open_shift(self) -> Shift | None:
        from hotline_tui.store import shifts

        if not role_may(self.settings.role, "shift") or not self.settings.store_path.exists():
            return None
        with self.store.read() as conn:
            return shifts.open_of(conn, self.settings.operator, self._now())

    def current_shift(self) -> dict[str, Any] | None:
        """This cadre's open shift as plain values, or None (none open, or not a cadre)."""
        shift = self._open_shift()
        return shift.to_dict(self._now()) if shift is not None else None

    def shift_list(self, since: object = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Shifts started since ``since`` (YYYY-MM-DD; all when None), newest first, each with its calls heard and
        taken. A cadre sees their own shifts; supervisors and operators see everyone's."""
        from hotline_tui.store import shifts

        since_ms = parse_since(since) if since is not None else None
        if not self.settings.store_path.exists():
            return []
        now = self._now()
        cadre = self.settings.operator if self.settings.role == "cadre" else None
        out = []
        with self.store.read() as conn:
            for s in shifts.listed(conn, since_ms=since_ms, cadre=cadre, limit=limit):
                row = s.to_dict(now)
                row.update(shifts.call_counts(conn, s, row["ended_ms"] if row["ended_ms"] is not None else now + 1))
                out.append(row)
        return out

    def shift_calls(self, limit: int = 50, before: tuple[int, str] | None = None) -> list[dict[str, Any]]:
        """The calls of this cadre's open shift, newest first, one keyset page (``before``: (registered_ms,
        number)); callers' numbers masked, a confidential caller shown as 保密. Empty without an open shift."""
        from hotline_tui.domain.phone import mask_phone
        from hotline_tui.store import shifts

        if not 1 <= int(limit) <= MAX_PAGE:
            raise InputError(f"limit must be between 1 and {MAX_PAGE}")
        shift = self._open_shift()
        if shift is None:
            return []
        now = self._now()
        with self.store.read() as conn:
            rows = shifts.heard(conn, shift, now + 1, limit=int(limit), before=before)
        for row in rows:
            data = row.pop("data", "") or "{}"
            try:
                confidential = bool(json.loads(data).get("confidential"))
            except (ValueError, AttributeError):
                confidential = True  # unreadable: show nothing of the caller
            row["caller_phone"] = "保密" if confidential else mask_phone(row["caller_phone"])
            row["taken"] = row.get("registered_by") == shift.cadre
            due = row.get("due_ms")
            row["overdue"] = due is not None and due < now
            row["workdays_left"] = self.workdays_left(due) if due is not None else None
        return rows

    # --- the operator's live draft --------------------------------------------------------------------
    def publish_live_draft(self, values: dict[str, Any]) -> bool:
        """The intake form as it is now, for a cadre sitting beside this desk's operator: the number masked, the
        category, the place's name and a summary of the description. Written only while a cadre's open shift
        is beside this operator at this desk (else any old draft is cleared); returns whether it was written."""
        from hotline_tui.domain.phone import mask_phone, parse_phone
        from hotline_tui.domain.text import printable
        from hotline_tui.store import live_drafts, shifts

        if not self.settings.store_path.exists():
            return False
        desk, operator, now = self.settings.desk, self.settings.operator, self._now()
        raw_phone = str(values.get("caller_phone") or "")
        parsed = parse_phone(raw_phone) if raw_phone.strip() else None
        if values.get("confidential"):
            phone = "保密"
        elif parsed is not None:
            phone = mask_phone(parsed.number)
        else:
            phone = "…" if raw_phone.strip() else ""  # a number being typed is never shown, not even in part
        category = values.get("category") or []
        draft = {
            "phone": phone,
            "nature": printable(values.get("nature") or "")[:20],
            "category": printable(" › ".join(category) if isinstance(category, list) else category)[:80],
            "place": printable(self.unit_name(values.get("place")) if values.get("place") else values.get("place_typed") or "")[:60],
            "summary": printable(values.get("description") or "")[:SUMMARY_CHARS],
        }
        keep = any(draft.values())
        with self.store.read() as conn:  # most desks are shadowed by no one: then nothing is written
            shadowed = bool(shifts.sitting_with(conn, desk, operator, now))
            held = live_drafts.get(conn, desk, operator) is not None
        if not (keep and shadowed) and not held:
            return False
        with self.store.write(durable=False) as w:
            if keep and shadowed:
                live_drafts.put(w.conn, desk, operator, now, draft)
            else:
                live_drafts.clear(w.conn, desk, operator)
        return keep and shadowed

    def clear_live_draft(self) -> None:
        """The form was saved or emptied: nothing is being typed at this desk any more."""
        from hotline_tui.store import live_drafts

        if not self.settings.store_path.exists():
            return
        with self.store.write(durable=False) as w:
            live_drafts.clear(w.conn, self.settings.desk, self.settings.operator)

    def shift_live_draft(self) -> dict[str, Any] | None:
        """What the operator of this cadre's open shift is typing now (read-only), or None."""
        from hotline_tui.store import live_drafts, shifts

        if not role_may(self.settings.role, "shift") or not self.settings.store_path.exists():
            return None
        now = self._now()
        with self.store.read() as conn:
            shift = shifts.open_of(conn, self.settings.operator, now)
            if shift is None:
                return None
            draft = live_drafts.get(conn, shift.desk, shift.operator)
        if draft is None or now - draft["updated_ms"] > LIVE_STALE_MS:
            return None
        return draft

    def shadow_poll(self) -> dict[str, Any]:
        """For F7 about once a second, in one read: {shift (or None), draft (or None), heard, taken}."""
        from hotline_tui.store import live_drafts, shifts

        out: dict[str, Any] = {"shift": None, "draft": None, "heard": 0, "taken": 0}
        if not role_may(self.settings.role, "shift") or not self.settings.store_path.exists():
            return out
        now = self._now()
        with self.store.read() as conn:
            shift = shifts.open_of(conn, self.settings.operator, now)
            if shift is None:
                return out
            out["shift"] = shift.to_dict(now)
            out.update(shifts.call_counts(conn, shift, now + 1))
            draft = live_drafts.get(conn, shift.desk, shift.operator)
        if draft is not None and now - draft["updated_ms"] <= LIVE_STALE_MS:
            out["draft"] = draft
        return out

    # --- 我当接线员 -------------------------------------------------------------------------------------
    def confirm_take_call(self, name: object, password: object = None) -> dict[str, Any]:
        """The operator beside this cadre confirms, by their name (and their own password once the store has
        users), that the cadre takes the next call; returns the open shift. Refused when not a cadre, no shift
        is open, the name is not the shift's operator's, or the password is wrong (audited as a failed
        sign-in and throttled like one)."""
        if not role_may(self.settings.role, "take_call"):
            raise DomainError(f"我当接线员 是挂职干部的: 本台角色为 {self.settings.role}")
        shift = self._open_shift()
        if shift is None:
            raise DomainError("没有进行中的体悟: 先在 F7 按 S 开始体悟, 再接听")
        given = person_name(name, "operator name")
        if given != shift.operator:
            raise DomainError(f"确认人应是陪同的接线员 {shift.operator}: 请由其本人输入姓名确认")
        if self.has_users():
            self.confirm_person(given, password, "我当接线员 confirmation")
        return shift.to_dict(self._now())

    def taken_call_fields(self, conn, taken_by: str) -> dict[str, str]:
        """The register payload's ``taken_by`` and ``operator`` for a call taken by the cadre ``taken_by``; refused
        unless this desk's person is that cadre, on an open shift (read in the caller's transaction ``conn``)."""
        from hotline_tui.store import shifts

        if not role_may(self.settings.role, "take_call"):
            raise DomainError(f"我当接线员 是挂职干部的: 本台角色为 {self.settings.role}")
        if not isinstance(taken_by, str) or taken_by != self.settings.operator:
            raise DomainError("taken_by must be the cadre at this desk")
        shift = shifts.open_of(conn, taken_by, self._now())
        if shift is None:
            raise DomainError(f"{taken_by} 不在进行中的体悟里: 不能以 我当接线员 登记 (the shift is not open)")
        return {"taken_by": taken_by, "operator": shift.operator}

    # --- the year's report ------------------------------------------------------------------------------
    def shift_year(self, value: object = None) -> int:
        """``--year``: a year from 2000 to this one (default: this year); refused otherwise."""
        from hotline_tui.domain.calendar import local_date

        this = local_date(self._now()).year
        if value is None or value == "":
            return this
        text = str(value).strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4) or not 2000 <= int(text) <= this:
            shown = " ".join(str(value).split())[:12].encode("ascii", "backslashreplace").decode()
            raise InputError(f"--year {shown!r} is not a year from 2000 to {this} (YYYY)")
        return int(text)

    def shift_report(self, year: int) -> dict[str, Any]:
        """The year's shifts with their calls and commitments, and the cadres against the city's figure."""
        from hotline_tui.reports.shifts import compute, reference

        if not self.settings.store_path.exists():
            return compute_empty(year, reference())
        with self.store.read() as conn:
            return compute(conn, year, self._now())


def compute_empty(year: int, ref: dict[str, Any]) -> dict[str, Any]:
    zero = dict.fromkeys(("shifts", "cadres", "minutes", "heard", "taken", "commitments", "kept"), 0)
    return {"year": year, "shifts": [], "totals": zero, "reference": ref}
