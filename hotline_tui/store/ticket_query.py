"""Running a compiled filter over the ticket projection: one keyset page, the count, counts by group.

The condition and its parameters come from ``hotline_tui.query`` (every value bound, never pasted); this
module only frames them. Pages go by keyset in either direction (never OFFSET), so paging, Home and End
cost the same at any depth of a list of millions.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from hotline_tui.query.order import Sort

WALK_MS = 6.0  # how long SQLite's own plan for a page may run before the matches are found and sorted instead
ROW_COLUMNS = ("t.number, t.state, t.registered_ms, t.due_ms, t.lead_unit, t.place, t.channel, t.nature, t.category,"
               " t.flags, t.summary, t.caller_phone, t.urgency, t.call_count, t.return_count, t.urge_count, t.callback")


def page(conn: Connection, where: str, params: dict[str, Any], sort: Sort, *, after: tuple | None = None,
         before: tuple | None = None, limit: int = 100, walk_ms: float = WALK_MS,
         unfinished: bool = False, share: float | None = None, tickets: int | None = None) -> list[dict[str, Any]]:
    """Up to ``limit`` rows in ``sort``'s order: the first ones, those after the key ``after``, or (with
    ``before``) the last ones before that key, still returned in ``sort``'s order. ``before=()`` gives the
    list's last rows (End). ``tickets`` is how many the store holds (counted when not given).

    Three ways to a page. SQLite's own plan runs first, for at most ``walk_ms``: with the shares of the
    filter's conditions (``likelihood``) it is usually right. When it is not done by then, the filter's
    ``share`` of the store (its measured conditions together) says which of the others costs less: walking
    the sort's own index (of the unfinished tickets only, when the filter keeps to them: ``unfinished``) and
    testing each ticket reads about ``limit / share`` tickets; finding the matches by the filter's best index
    and sorting them here reads about ``share × tickets``. Without a share the walk gets ``walk_ms`` too
    before the matches are sorted."""
    key = before if before is not None else after
    backwards = before is not None
    index = sort.unfinished_index if unfinished and sort.unfinished_index else sort.index
    try:
        with _budget(conn, walk_ms):
            return _page(conn, where, params, sort, key, backwards, limit, "planned", index)
    except OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
    if share is not None:
        tickets = ticket_count(conn) if tickets is None else tickets
        way = "walked" if limit / max(share, 1e-9) < share * tickets else "sorted"
        return _page(conn, where, params, sort, key, backwards, limit, way, index)
    try:
        with _budget(conn, walk_ms):
            return _page(conn, where, params, sort, key, backwards, limit, "walked", index)
    except OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
    return _page(conn, where, params, sort, key, backwards, limit, "sorted", index)


@contextlib.contextmanager
def _budget(conn: Connection, ms: float):
    """Interrupt the statement run inside after ``ms`` (sqlite3 raises OperationalError "interrupted")."""
    raw = conn.connection.driver_connection
    deadline = time.perf_counter() + ms / 1000
    raw.set_progress_handler(lambda: time.perf_counter() > deadline, 1000)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)


def _page(conn: Connection, where: str, params: dict[str, Any], sort: Sort, key: tuple | None, backwards: bool,
          limit: int, way: str, index: str = "") -> list[dict[str, Any]]:
    params = dict(params)
    conditions = [f"({where})"]
    if key:
        marks = [f":k{i}" for i in range(len(key))]
        params.update({f"k{i}": v for i, v in enumerate(key)})
        conditions.append(sort.after(marks, backwards))
    params["limit"] = limit
    source = f"ticket AS t INDEXED BY {index or sort.index}" if way == "walked" else "ticket AS t"
    # the page's tickets are chosen from indexes alone (the filter and the sort keys are in them), and only
    # those few are read from the table: SQLite would otherwise read the row of every match it sorts
    chosen = (f"SELECT t.rowid FROM {source} WHERE {' AND '.join(conditions)}"
              f" ORDER BY {sort.order_by(backwards, sorted_here=way == 'sorted')} LIMIT :limit")
    sql = (f"SELECT {ROW_COLUMNS}, {sort.select_keys()} FROM ticket AS t WHERE t.rowid IN ({chosen})"
           f" ORDER BY {sort.order_by(backwards)}")
    rows = [dict(r._mapping) for r in conn.execute(text(sql), params)]
    return rows[::-1] if backwards else rows


def count(conn: Connection, where: str, params: dict[str, Any], stop: Callable[[], bool] | None = None) -> int | None:
    """How many tickets match; None when ``stop()`` turned true while counting (checked every few thousand of
    SQLite's steps, so a count a screen no longer wants gives its CPU back at once)."""
    sql = text(f"SELECT COUNT(*) FROM ticket AS t WHERE {where}")
    if stop is None:
        return int(conn.execute(sql, params).scalar() or 0)
    raw = conn.connection.driver_connection
    raw.set_progress_handler(lambda: 1 if stop() else 0, STOP_CHECK_STEPS)
    try:
        return int(conn.execute(sql, params).scalar() or 0)
    except OperationalError as exc:
        if "interrupted" in str(exc.orig).lower() and stop():
            return None
        raise
    finally:
        raw.set_progress_handler(None, 0)


STOP_CHECK_STEPS = 5_000  # SQLite virtual-machine steps between two looks at stop(): well under a millisecond


def ticket_count(conn: Connection) -> int:
    """How many tickets the store holds: from the planner's statistics when ANALYZE has taken them (the first
    number of any of the table's rows in sqlite_stat1), else counted."""
    try:
        stat = conn.execute(text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'ticket' LIMIT 1")).scalar()
    except OperationalError:  # no statistics yet
        stat = None
    if stat:
        head = stat.split(" ", 1)[0]
        if head.isdigit() and int(head) > 0:
            return int(head)
    return int(conn.execute(text("SELECT COUNT(*) FROM ticket")).scalar() or 0)


def selectivity(conn: Connection, condition: str, params: dict[str, Any], cap: int = 20_000,
                total: int | None = None) -> float:
    """Roughly what share of all ``total`` tickets ``condition`` (on one indexed column) holds: counted from its
    index when there are fewer than ``cap`` (exact), else counted among the newest ``cap`` tickets (a sample)."""
    total = ticket_count(conn) if total is None else total
    if not total:
        return 1.0
    n = conn.execute(text(f"SELECT COUNT(*) FROM (SELECT 1 FROM ticket AS t WHERE {condition} LIMIT :cap)"),
                     {**params, "cap": cap}).scalar() or 0
    if n < cap:
        return max(n, 0.5) / total
    # the newest ``cap`` tickets, read from the registration index alone (it holds every filtered column)
    since = conn.execute(text("SELECT min(registered_ms) FROM (SELECT registered_ms FROM ticket INDEXED BY"
                              " ix_ticket_registered ORDER BY registered_ms DESC LIMIT :cap)"), {"cap": cap}).scalar()
    sampled = conn.execute(text(f"SELECT COUNT(*) FROM ticket AS t INDEXED BY ix_ticket_registered"
                                f" WHERE t.registered_ms >= :since AND {condition}"), {**params, "since": since or 0}).scalar() or 0
    return max(sampled, 1) / cap


def text_share(conn: Connection, match: str, total: int | None = None) -> float:
    """The share of tickets a full-text MATCH expression holds, roughly: its documents over the tickets."""
    from hotline_tui.store.search_index import TABLE

    total = ticket_count(conn) if total is None else total
    docs = conn.execute(text(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH :m"), {"m": match}).scalar() or 0
    return 1.0 if not total else min(1.0, max(docs, 0.5) / total)


def registered_span(conn: Connection) -> tuple[int, int] | None:
    """The first and last registration times of the store (from the index's two ends)."""
    # two sub-selects: SQLite reads a lone min() or max() from the index's end, but not both in one
    row = conn.execute(text("SELECT (SELECT min(registered_ms) FROM ticket), (SELECT max(registered_ms) FROM ticket)")).one()
    return None if row[0] is None else (int(row[0]), int(row[1]))


GROUP_EXPRESSIONS = {
    "district": "substr(t.place, 1, 6)",
    "unit": "t.lead_unit",
    "category": "t.category",
}


def group_counts(conn: Connection, where: str, params: dict[str, Any], by: str) -> list[tuple[Any, int]]:
    """(value, count) of the matching tickets grouped by ``by`` (district, unit or category), largest first."""
    expr = GROUP_EXPRESSIONS[by]
    sql = f"SELECT {expr} AS g, COUNT(*) AS n FROM ticket AS t WHERE {where} GROUP BY g ORDER BY n DESC"
    return [(r.g, int(r.n)) for r in conn.execute(text(sql), params)]
