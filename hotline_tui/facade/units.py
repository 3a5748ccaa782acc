"""A unit's tickets and this desk's use of units, for the lookup screen."""

from __future__ import annotations

import threading
import time
from typing import Any

from hotline_tui.domain.permissions import role_may
from hotline_tui.errors import DomainError, InputError

USAGE_DAYS = 90
USAGE_MAX_TICKETS = 50_000  # the newest tickets of the window: a bounded read on a store of millions
USAGE_MAX_AGE_S = 600.0
DAY_MS = 86_400_000
MAX_PAGE = 500

_LOCK = threading.Lock()


class UnitsPart:
    """Mixed into ``services.Desk``.

    ``unit_usage`` reads the store (call it from a worker); ``lookup_units_ranked`` only uses what the last
    ``unit_usage`` call left cached on the Desk, so it stays safe for every key press on the UI thread.
    """

    # --- how often this store's tickets use each unit -------------------------------------------
    def unit_usage(self, refresh: bool = False) -> dict[str, int]:
        """{unit code: tickets it led or assisted} over the last USAGE_DAYS days (at most the newest
        USAGE_MAX_TICKETS tickets of them); cached on the Desk for USAGE_MAX_AGE_S seconds."""
        cached = self.__dict__.get("_unit_usage")
        if cached is not None and not refresh and time.monotonic() - cached[0] < USAGE_MAX_AGE_S:
            return cached[1]
        with _LOCK:
            cached = self.__dict__.get("_unit_usage")
            if cached is not None and not refresh and time.monotonic() - cached[0] < USAGE_MAX_AGE_S:
                return cached[1]
            counts: dict[str, int] = {}
            if self.settings.store_path.exists():  # reading must not create the store
                from hotline_tui.store.unit_queries import unit_usage_counts

                with self.store.read() as conn:
                    counts, _read = unit_usage_counts(conn, self._now() - USAGE_DAYS * DAY_MS, USAGE_MAX_TICKETS)
            self.__dict__["_unit_usage"] = (time.monotonic(), counts)
            return counts

    def cached_unit_usage(self) -> dict[str, int] | None:
        """What the last ``unit_usage`` read, without reading the store (None before the first read)."""
        cached = self.__dict__.get("_unit_usage")
        return None if cached is None else cached[1]

    def lookup_units_ranked(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Like ``lookup_units``, with ties in quality and level broken by this desk's use of the units
        (the reason then says 本台常用 N 次). Uses only cached counts: never reads the store. When no unit
        matches well, the first row is not ``good`` or is a dispatch-catalogue ``route`` (Directory.answer)."""
        usage = self.cached_unit_usage()
        return [m.as_dict() for m in self.directory.answer(query, limit=limit, usage=usage)]

    def prime_lookups(self) -> int:
        """Work out ahead, with this desk's cached usage, the lookups of one or two latin letters (the first
        keys of most queries), so they are answered from memory. Call from a worker."""
        return self.directory.prime(self.cached_unit_usage())

    # --- a unit's open tickets -----------------------------------------------------------------------
    def may_see_unit_tickets(self, code: str) -> str | None:
        """None when this desk's person may list the unit's tickets, else why not (a cadre sees only their own)."""
        if not role_may(self.settings.role, "see_all_units") and code != (self.settings.unit or ""):
            own = self.settings.unit
            return (f"挂职干部只能查看本单位 ({own}) 的工单" if own else
                    "挂职干部只能查看本单位的工单, 配置中未设置本单位 (desk.unit)")
        return None

    def unit_open_count(self, code: str) -> dict[str, int]:
        """{open, lead, overdue}: open tickets the unit leads or assists (the rows ``o`` lists), how many of
        them it leads, and how many are past due. A store read: call it from a worker."""
        from hotline_tui.domain.vocabulary import OPEN_STATES
        from hotline_tui.store.unit_queries import unit_open_count

        if not self.settings.store_path.exists():
            return {"open": 0, "lead": 0, "overdue": 0}
        with self.store.read() as conn:
            return unit_open_count(conn, code, sorted(OPEN_STATES), self._now())

    def unit_open_tickets(self, code: str, limit: int = 50, before: tuple[int, str] | None = None,
                          order: str = "new") -> list[dict[str, Any]]:
        """Open tickets the unit leads or assists, one keyset page: ``order`` "new" is newest first (``before``
        is the (registered_ms, number) of the previous page's last row), "due" is by deadline, the overdue
        first (``before`` is then that row's (due_key, number)). Each row: number, state, registered_ms,
        caller_phone (masked), nature, category, place, lead_unit, due_ms, flags, summary, role
        (lead | assist), overdue (bool) and workdays_left (None without a deadline)."""
        from hotline_tui.domain.phone import mask_phone
        from hotline_tui.domain.vocabulary import OPEN_STATES
        from hotline_tui.store.unit_queries import unit_open_tickets

        if not isinstance(code, str) or not code.strip():
            raise InputError("give a unit code")
        if not 1 <= int(limit) <= MAX_PAGE:
            raise InputError(f"limit must be between 1 and {MAX_PAGE}")
        why_not = self.may_see_unit_tickets(code)
        if why_not:
            raise DomainError(why_not)
        if not self.settings.store_path.exists():
            return []
        now = self._now()
        if order not in ("new", "due"):
            raise InputError(f"order must be new or due, not {order!r}")
        with self.store.read() as conn:
            if order == "due":
                from hotline_tui.store.unit_queries import unit_open_by_due

                rows = unit_open_by_due(conn, code, sorted(OPEN_STATES), limit=int(limit), after=before)
            else:
                rows = unit_open_tickets(conn, code, sorted(OPEN_STATES), limit=int(limit), before=before)
        for row in rows:
            row["caller_phone"] = mask_phone(row["caller_phone"])
            due = row.get("due_ms")
            row["overdue"] = due is not None and due < now
            row["workdays_left"] = self.workdays_left(due) if due is not None else None
        return rows
