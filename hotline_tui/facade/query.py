"""Filtered ticket lists for the supervisors' workbench (F5), F4's recent list and ``hotline query``: one
parser, one compiler and one query path for the screen and the command, rows out as plain dicts.

A cadre sees only their own unit's tickets (lead or assist, sub-units included): that condition is added
here to every filter, so no screen or command can forget it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from hotline_tui.domain.permissions import role_may
from hotline_tui.errors import DomainError, InputError
from hotline_tui.query.compile import Compiled, Scope, Unit, compile_filter
from hotline_tui.query.order import SORTS, Sort, decode_cursor, encode_cursor, sort_named

MAX_PAGE = 500
SELECTIVITY_S = 600.0
SPAN_S = 60.0
FLOOR_S = 86400.0  # the full-text search's floor for a day: it stays a floor as tickets are added (see _text_floor)
KEY_COLUMNS = frozenset(f"k{i}" for i in range(8))  # a page's sort keys, selected beside the row


class QueryPart:
    """Mixed into ``services.Desk``. Every method reads the store: call it from a worker, not the UI thread."""

    # --- reading a filter ----------------------------------------------------------------------------
    def filter_scope(self) -> Scope:
        from hotline_tui.routing.taxonomy import load_taxonomy

        try:
            paths = [c.path for c in load_taxonomy().categories]
        except (OSError, ValueError):  # without the taxonomy a category is given as its full path
            paths = []
        return Scope(now_ms=self._now(), calendar=self.policy.calendar, resolve_unit=self.filter_unit,
                     category_paths=paths, text_condition=self._text_condition(), selectivity=self._selectivity,
                     registered_span=self._registered_span(), text_share=self._text_share,
                     text_floor=self._text_floor)

    def _text_share(self, match: object) -> float:
        """How many of the store's tickets a full-text match expression holds, roughly (its documents, counted
        from the index alone, over the tickets)."""
        from hotline_tui.store.ticket_query import text_share

        total = self._ticket_count()
        return self._remembered(("text", match), SELECTIVITY_S, lambda conn: text_share(conn, str(match), total), 1.0)

    def _text_floor(self, since_ms: int) -> int | None:
        """The search's rowid floor for tickets registered since ``since_ms``, taken from the start of that day
        in China's time (a lower floor is still a floor), so one reading serves a day of ``age<60d``; kept a
        day (a floor stays a floor as tickets are added)."""
        from hotline_tui.domain.calendar import CHINA
        from hotline_tui.store.search_index import rowid_floor

        moment = dt.datetime.fromtimestamp(since_ms / 1000, CHINA)
        day = int(moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp() * 1000)
        return self._remembered(("text-floor", day), FLOOR_S, lambda conn: rowid_floor(conn, day), None)

    def _ticket_count(self) -> int:
        """How many tickets the store holds, roughly (for the shares; remembered for a minute)."""
        from hotline_tui.store.ticket_query import ticket_count

        return self._remembered(("tickets",), SPAN_S, ticket_count, 0)

    def _registered_span(self) -> tuple[int, int] | None:
        """The store's first and last registration times (a hint, not a fact: remembered for a minute)."""
        from hotline_tui.store.ticket_query import registered_span

        return self._remembered(("span",), SPAN_S, registered_span, None)

    def _selectivity(self, condition: str, params: dict[str, Any]) -> float:
        """What share of the store's tickets ``condition`` holds."""
        from hotline_tui.store.ticket_query import selectivity

        used = {k: v for k, v in params.items() if f":{k}" in condition}
        return self._remembered((condition, tuple(sorted(used.items()))), SELECTIVITY_S,
                                lambda conn: selectivity(conn, condition, used, total=self._ticket_count()), 1.0)

    def _remembered(self, key: tuple, seconds: float, read, default):
        """``read(conn)`` of the store, remembered for ``seconds`` under ``key``; ``default`` without a store."""
        memo = self.__dict__.setdefault("_query_memo", {})
        hit = memo.get(key)
        if hit is not None and time.monotonic() - hit[0] < seconds:
            return hit[1]
        if not self.settings.store_path.exists():
            return default
        with self.store.read() as conn:
            value = read(conn)
        if len(memo) > 4096:
            memo.clear()
        memo[key] = (time.monotonic(), value)
        return value

    def _text_condition(self):
        return text_condition

    def filter_unit(self, value: str) -> Unit | None:
        """A unit named in a filter: its code, or the directory's best match for a name; with its subtree."""
        d = self.directory
        v = value.strip()
        unit = d.get(v) or d.get(v.upper())
        if unit is None:
            found = d.lookup(v, limit=1)
            if not found or not found[0].good:  # nothing matches well: never a look-alike in its place
                return None
            unit = d.get(found[0].code)
        codes = None if unit.parent is None else d.subtree(unit.code)
        return Unit(unit.code, unit.name, d.path_text(unit.code), codes)

    def compile_filter(self, text: str, sort: str | None = None) -> Compiled:
        """The filter read (QueryError at the fault), with the viewer's own limits added."""
        compiled = compile_filter(text, self.filter_scope())
        if sort is not None:
            sort_named(sort)
            compiled.sort = sort
        limit = self._viewer_limit(compiled)
        if limit:
            compiled.where = f"({compiled.where}) AND ({limit})"
        return compiled

    def viewer_units(self) -> tuple[str, ...] | None:
        """The units whose requests this desk's person may see (a cadre: their own unit and its sub-units),
        or None for all (permissions ``see_all_units``)."""
        if role_may(self.settings.role, "see_all_units"):
            return None
        own = self.settings.unit
        unit = self.filter_unit(own) if own else None
        if unit is None:
            raise DomainError("挂职干部只能查看本单位的工单, 配置中未设置本单位 (desk.unit)" if not own else
                              f"挂职干部的本单位 {own} 不在单位目录中")
        return tuple(unit.codes or (unit.code,))

    def _viewer_limit(self, compiled: Compiled) -> str:
        codes = self.viewer_units()
        if codes is None:
            return ""
        marks = []
        for i, code in enumerate(codes):
            compiled.params[f"own{i}"] = code
            marks.append(f":own{i}")
        joined = ", ".join(marks)
        return (f"t.lead_unit IN ({joined}) OR t.number IN (SELECT number FROM ticket_unit WHERE unit IN ({joined}))")

    def explain_filter(self, text: str) -> list[str]:
        return self.compile_filter(text).explain

    # --- pages, counts, groups -----------------------------------------------------------------------
    def query_page(self, text: str, *, sort: str | None = None, after: str | tuple | None = None,
                   before: str | tuple | None = None, last: bool = False, limit: int = 100) -> dict[str, Any]:
        """One page of the filter's tickets: {rows, sort, next, prev}. ``after``/``before`` are cursors (text,
        as ``next`` and ``prev`` give them) or keys; ``last`` gives the list's last page (End). ``next`` is the
        cursor to page on from, None at the end of the list; ``prev`` the cursor to page back from, None at
        its start. Each row carries its own ``cursor``."""
        from hotline_tui.store.ticket_query import page

        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
            raise InputError(f"limit must be between 1 and {MAX_PAGE}")
        compiled = self.compile_filter(text, sort)
        order = sort_named(compiled.sort)
        after_key, before_key = self._key(after, order), self._key(before, order)
        backwards = last or before_key is not None
        if last:
            after_key, before_key = None, ()
        rows: list[dict[str, Any]] = []
        if self.settings.store_path.exists():
            with self.store.read() as conn:
                rows = page(conn, compiled.where, compiled.params, order, after=after_key, before=before_key, limit=limit,
                            unfinished=compiled.unfinished, share=compiled.share, tickets=self._ticket_count())
        full = len(rows) == limit
        out = [self.list_row(r, order) for r in rows]
        more_after = (not last) if backwards else full
        more_before = full if backwards else after_key is not None
        return {"rows": out, "sort": order.name,
                "next": out[-1]["cursor"] if out and more_after else None,
                "prev": out[0]["cursor"] if out and more_before else None}

    @staticmethod
    def _key(cursor: str | tuple | None, order: Sort) -> tuple | None:
        if cursor is None or isinstance(cursor, tuple):
            return cursor
        return decode_cursor(cursor, order)

    def query_count(self, text: str, *, stop: Callable[[], bool] | None = None) -> int | None:
        """How many tickets the filter matches; None if ``stop()`` turned true meanwhile (a screen that moved on
        to another filter), the count abandoned at once."""
        from hotline_tui.store.ticket_query import count

        compiled = self.compile_filter(text)
        if not self.settings.store_path.exists():
            return 0
        with self.store.read() as conn:
            return count(conn, compiled.where, compiled.params, stop)

    def query_groups(self, text: str, by: str) -> list[dict[str, Any]]:
        """The filter's tickets counted by district (of the place), unit (the lead unit's district or municipal
        unit) or category (its first two levels), largest first: [{key, label, count, filter}], where
        ``filter`` is the term that drills into the group."""
        from hotline_tui.query.groups import roll_up
        from hotline_tui.store.ticket_query import group_counts

        if by not in ("district", "unit", "category"):
            raise InputError("group by district, unit or category")
        compiled = self.compile_filter(text)
        if not self.settings.store_path.exists():
            return []
        with self.store.read() as conn:
            counted = group_counts(conn, compiled.where, compiled.params, by)
        return roll_up(counted, by, self.directory)

    # --- one row as the lists show it ----------------------------------------------------------------
    def list_row(self, row: dict[str, Any], order: Sort | None = None) -> dict[str, Any]:
        from hotline_tui.domain.phone import mask_phone
        from hotline_tui.query.fields import RUNNING

        due, now = row.get("due_ms"), self._now()
        running = row.get("state") in RUNNING and due is not None
        out = {k: v for k, v in row.items() if k not in KEY_COLUMNS}
        out["caller_phone"] = mask_phone(row.get("caller_phone") or "")
        out["flags"] = (row.get("flags") or "").split()
        out["overdue"] = bool(running and due < now)
        out["workdays_left"] = self.workdays_left(due) if running else None
        out["unit_path"] = self.unit_path(row.get("lead_unit"))
        out["lead_name"] = self.unit_name(row.get("lead_unit"))
        out["place_name"] = self.unit_name(row.get("place"))
        if order is not None:
            out["cursor"] = encode_cursor(order, order.key_of(row))
            out["key"] = order.key_of(row)
        return out

    def unit_path(self, code: str | None) -> str:
        if not code:
            return ""
        try:
            return self.directory.path_text(code) or code
        except Exception:  # the directory is optional for showing a list
            return code


    # --- the filter line: completion, saved filters ----------------------------------------------------
    def filter_completion(self, text: str, cursor: int):
        """What may be typed at ``cursor`` (query.complete.Completion): fields, keywords, then a field's values,
        units and places through the directory."""
        import datetime as dt

        from hotline_tui.domain.calendar import local_date
        from hotline_tui.query.complete import complete
        from hotline_tui.routing.taxonomy import load_taxonomy

        def units(typed: str) -> list[tuple[str, str]]:
            out = []
            for m in self.directory.lookup(typed, limit=6):
                top = self.directory.lookup(m.name, limit=1)
                value = m.name if top and top[0].code == m.code else m.code
                out.append((value, m.path))
            return out

        try:
            categories = [c.path for c in load_taxonomy().categories]
        except (OSError, ValueError):
            categories = []
        today: dt.date = local_date(self._now())
        return complete(text, cursor, units=units, categories=categories, today=today)

    def saved_filters(self):
        from hotline_tui.query.saved import filters_path, load

        return load(filters_path(self.settings.config_file))

    def save_filter(self, name: str, text: str):
        from hotline_tui.query.saved import filters_path, save_named

        self.compile_filter(text)  # only a filter that reads is kept
        return save_named(filters_path(self.settings.config_file), name, text)

    def delete_filter(self, name: str):
        from hotline_tui.query.saved import delete_named, filters_path

        return delete_named(filters_path(self.settings.config_file), name)

    def remember_filter(self, text: str) -> None:
        """The filter the workbench shows, to come back with on the next start."""
        from hotline_tui.query.saved import filters_path, save_last

        save_last(filters_path(self.settings.config_file), text)


SORT_NAMES = tuple(SORTS)


def text_condition(words: str) -> list[tuple[str, object]]:
    """The full-text index's conditions for ``words``, one per word, to bind: each word a substring of some
    text of the ticket (its description, a reply, a note …), all of the words, not necessarily in one text."""
    from hotline_tui.store import search_index
    from hotline_tui.store.search_text import match_expression, query_words

    return [(search_index.condition("{param}"), match_expression(word)) for word in query_words(words)]
