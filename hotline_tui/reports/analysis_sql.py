"""The analysis's SQL aggregates over the ticket table. Each reads a month's tickets by ``registered_ms`` from
``ix_ticket_registered``, which holds place, category and call_count, so the counts read no table row; the
hot spots read rows only for the few places and matters called about most."""

from __future__ import annotations

from sqlalchemy import text

# A month's requests are its tickets but the merged ones (并单: a call about a request already there), as the
# monthly ranking counts them (受理); its calls are every call, the merged ones and repeat calls included.
REQUEST = "state != 'merged'"

# (district, category, requests, calls) of the month; district is the place's first six digits (区市)
CELLS = text(
    f"SELECT substr(place, 1, 6) AS district, category, total({REQUEST}) AS tickets, sum(call_count) AS calls"
    " FROM ticket WHERE registered_ms >= :a AND registered_ms < :b GROUP BY 1, 2")

# category counts of a month (rises are measured against them)
CATEGORIES = text(
    "SELECT category, count(*) AS tickets FROM ticket"
    f" WHERE registered_ms >= :a AND registered_ms < :b AND {REQUEST} GROUP BY 1")

# the place and matter (category) called about most: candidates from the index, then their distinct callers.
# Grouped by ``place || ''``: by ``place`` itself the planner walks ix_ticket_place for its order and reads every
# row of the month (0.5 s on a 1M store) instead of ix_ticket_registered, which holds all it needs (0.17 s).
HOT_SPOTS = text(
    f"WITH g AS (SELECT place || '' AS place, category, total({REQUEST}) AS tickets, sum(call_count) AS calls FROM ticket"
    "           WHERE registered_ms >= :a AND registered_ms < :b AND place IS NOT NULL AND category != ''"
    "           GROUP BY 1, category HAVING calls >= :min_calls ORDER BY calls DESC, tickets DESC LIMIT :k)"
    " SELECT g.place, g.category, g.tickets, g.calls,"
    # distinct callers by the keyed hash of their number (caller_phone is a mask: 138****1234 stands for many);
    # a ticket of a store not yet sealed has no key, and its number stands for its caller
    "  (SELECT count(DISTINCT nullif(coalesce(nullif(t.caller_key, ''), t.caller_phone), ''))"
    "   + coalesce(sum(t.caller_phone = ''), 0) FROM ticket AS t"
    "   WHERE t.place = g.place AND t.registered_ms >= :a AND t.registered_ms < :b AND t.category = g.category) AS callers"
    " FROM g ORDER BY g.calls DESC, callers DESC, g.place, g.category")

# the tickets' own keys (tid) of the month: the full-text index's rowids carry them
TIDS = ("SELECT tid, substr(place, 1, 6), category FROM ticket"
        f" WHERE registered_ms >= ? AND registered_ms < ? AND tid IS NOT NULL AND {REQUEST}")

COUNT = text(f"SELECT count(*) FROM ticket WHERE registered_ms >= :a AND registered_ms < :b AND {REQUEST}")

FIRST = text("SELECT min(registered_ms) FROM ticket")


def month_params(start_ms: int, end_ms: int) -> dict[str, int]:
    return {"a": start_ms, "b": end_ms}


def cells(conn, start_ms: int, end_ms: int) -> list[tuple[str | None, str, int, int]]:
    return [(r.district, r.category or "", int(r.tickets), int(r.calls or 0))
            for r in conn.execute(CELLS, month_params(start_ms, end_ms))]


def category_counts(conn, start_ms: int, end_ms: int) -> dict[str, int]:
    return {r.category or "": int(r.tickets) for r in conn.execute(CATEGORIES, month_params(start_ms, end_ms))}


def hot_spots(conn, start_ms: int, end_ms: int, limit: int, min_calls: int, min_callers: int) -> list[dict]:
    rows = conn.execute(HOT_SPOTS, {**month_params(start_ms, end_ms), "k": limit * 3, "min_calls": min_calls})
    out = [{"place": r.place, "category": r.category, "tickets": int(r.tickets or 0), "calls": int(r.calls),
            "callers": int(r.callers)} for r in rows]
    return [r for r in out if r["callers"] >= min_callers][:limit]


def ticket_count(conn, start_ms: int, end_ms: int) -> int:
    return int(conn.execute(COUNT, month_params(start_ms, end_ms)).scalar() or 0)


def month_tids(conn, start_ms: int, end_ms: int) -> list[tuple[int, str | None, str]]:
    """(tid, district, category) of the month's tickets, on the sqlite3 connection under ``conn`` (16k rows
    through SQLAlchemy's Row took 0.15 s of 0.7 s)."""
    return conn.connection.driver_connection.execute(TIDS, (start_ms, end_ms)).fetchall()


def first_registered(conn) -> int | None:
    value = conn.execute(FIRST).scalar()
    return None if value is None else int(value)
