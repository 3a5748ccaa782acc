"""Read queries by unit: a unit's open tickets (lead or assist) and how often the store's tickets use each unit.

Both go through ``ticket_unit`` (one row per ticket and unit, lead and assist alike) and stay bounded on a
store of millions of tickets: the open list is keyset-paged (never OFFSET) and the usage count reads only
the newest tickets of a window, from indexes alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

OPEN_COLUMNS = ("t.number, t.state, t.registered_ms, t.caller_phone, t.nature, t.category, t.place, t.lead_unit,"
                " t.due_ms, t.flags, t.summary, tu.role")


def _states(open_states: list[str]) -> tuple[str, dict[str, Any]]:
    marks = ", ".join(f":s{i}" for i in range(len(open_states)))
    return marks, {f"s{i}": s for i, s in enumerate(open_states)}


# The partial index of unfinished tickets (migration 0004, made for intake): when the store has it, the open
# tickets are a scan of that index alone, no table reads, so it drives unless the unit has few tickets at all.
# SQLite uses a partial index only for a query that states its WHERE, hence the condition repeated here.
OPEN_INDEX = "ix_ticket_place_open"
UNFINISHED = "t.state NOT IN ('closed', 'merged', 'transferred')"
UNIT_ROW_COST = 10  # reading a ticket by its key costs about this many entries of the open index


def _has_index(conn: Connection, name: str) -> bool:
    return conn.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :n"), {"n": name}).first() is not None


def _source(conn: Connection, unit: str, marks: str, params: dict[str, Any]) -> str:
    """FROM … WHERE for a unit's open tickets, driven by the cheaper side, counted first from indexes alone:
    the unit's rows (ix_ticket_unit_unit), each ticket then read by its key, or the open tickets (the open
    index when the store has it, else ix_ticket_state_due), each checked against the ticket_unit key. Every
    open ticket of the unit has to be seen to sort or count them; a busy bureau has tens of thousands of
    tickets but few open, a street has few tickets at all."""
    # CROSS JOIN: SQLite keeps the left table as the outer loop, the one that drives
    unit_side = ("ticket_unit AS tu INDEXED BY ix_ticket_unit_unit CROSS JOIN ticket AS t ON t.number = tu.number"
                 f" WHERE tu.unit = :unit AND t.state IN ({marks})")
    open_n = None
    if _has_index(conn, OPEN_INDEX):
        try:
            open_n = conn.execute(text(f"SELECT COUNT(*) FROM ticket AS t INDEXED BY {OPEN_INDEX} WHERE {UNFINISHED}")).scalar() or 0
        except OperationalError:  # the index's WHERE is no longer this one: go the other way
            open_n = None
    if open_n is not None:
        cap = open_n // UNIT_ROW_COST + 1
        open_side = (f"ticket AS t INDEXED BY {OPEN_INDEX} CROSS JOIN ticket_unit AS tu ON tu.number = t.number"
                     f" AND tu.unit = :unit WHERE {UNFINISHED} AND t.state IN ({marks})")
    else:
        open_n = conn.execute(text(f"SELECT COUNT(*) FROM ticket INDEXED BY ix_ticket_state_due WHERE state IN ({marks})"),
                              params).scalar() or 0
        cap = open_n + 1
        open_side = ("ticket AS t INDEXED BY ix_ticket_state_due CROSS JOIN ticket_unit AS tu"
                     f" ON tu.number = t.number AND tu.unit = :unit WHERE t.state IN ({marks})")
    unit_n = conn.execute(text("SELECT COUNT(*) FROM (SELECT 1 FROM ticket_unit INDEXED BY ix_ticket_unit_unit"
                               " WHERE unit = :unit LIMIT :cap)"), {"unit": unit, "cap": cap}).scalar() or 0
    return unit_side if unit_n < cap else open_side


def unit_open_tickets(conn: Connection, unit: str, open_states: list[str], limit: int = 50,
                      before: tuple[int, str] | None = None) -> list[dict[str, Any]]:
    """Open tickets the unit leads or assists, newest first (keyset: ``before`` is the (registered_ms,
    number) of the last row of the previous page)."""
    marks, params = _states(open_states)
    params.update(unit=unit, limit=limit)
    source = _source(conn, unit, marks, params)
    keyset = ""
    if before is not None:
        keyset = " AND (t.registered_ms, t.number) < (:ms, :num)"
        params.update(ms=before[0], num=before[1])
    sql = f"SELECT {OPEN_COLUMNS} FROM {source}{keyset} ORDER BY t.registered_ms DESC, t.number DESC LIMIT :limit"
    return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def unit_open_count(conn: Connection, unit: str, open_states: list[str], now_ms: int) -> dict[str, int]:
    """{open, lead, overdue}: the unit's open tickets (lead or assist), those it leads, those past due."""
    marks, params = _states(open_states)
    params.update(unit=unit, now=now_ms)
    source = _source(conn, unit, marks, params)
    row = conn.execute(text(
        "SELECT COUNT(*) AS open, COALESCE(SUM(CASE WHEN tu.role = 'lead' THEN 1 ELSE 0 END), 0) AS lead,"
        " COALESCE(SUM(CASE WHEN t.due_ms IS NOT NULL AND t.due_ms < :now THEN 1 ELSE 0 END), 0) AS overdue"
        f" FROM {source}"), params).one()
    return {"open": int(row.open or 0), "lead": int(row.lead or 0), "overdue": int(row.overdue or 0)}


def unit_usage_counts(conn: Connection, since_ms: int, max_tickets: int) -> tuple[dict[str, int], int]:
    """{unit: tickets it led or assisted} over the newest ``max_tickets`` tickets registered since
    ``since_ms``, and how many tickets were read. Index-only: ix_ticket_registered (registered_ms, number)
    gives the numbers, the ticket_unit primary key (number, unit) the units."""
    sql = ("SELECT tu.unit AS unit, COUNT(*) AS n FROM"
           " (SELECT number FROM ticket WHERE registered_ms >= :since ORDER BY registered_ms DESC LIMIT :cap) AS t"
           " JOIN ticket_unit AS tu ON tu.number = t.number GROUP BY tu.unit")
    counts = {r.unit: int(r.n) for r in conn.execute(text(sql), {"since": since_ms, "cap": max_tickets})}
    read = conn.execute(text("SELECT COUNT(*) FROM (SELECT 1 FROM ticket WHERE registered_ms >= :since"
                             " ORDER BY registered_ms DESC LIMIT :cap)"), {"since": since_ms, "cap": max_tickets}).scalar()
    return counts, int(read or 0)


def unit_open_by_due(conn: Connection, unit: str, open_states: list[str], limit: int = 50,
                     after: tuple[int, str] | None = None) -> list[dict[str, Any]]:
    """The unit's open tickets (lead or assist) by deadline, the earliest first: the overdue come first, most
    overdue on top, then those due soonest, those without a deadline last. Keyset: ``after`` is the (due_key,
    number) of the last row of the previous page."""
    marks, params = _states(open_states)
    params.update(unit=unit, limit=limit)
    source = _source(conn, unit, marks, params)
    keyset = ""
    if after is not None:
        keyset = " AND (t.due_key, t.number) > (:due, :num)"
        params.update(due=after[0], num=after[1])
    sql = (f"SELECT {OPEN_COLUMNS}, t.due_key FROM {source}{keyset} ORDER BY t.due_key, t.number LIMIT :limit")
    return [dict(r._mapping) for r in conn.execute(text(sql), params)]
