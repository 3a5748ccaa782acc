"""Reads for call intake: a caller's earlier requests and the unfinished requests around a place.

Every query goes through an index: ``ix_ticket_caller_key (caller_key, registered_ms)`` for a caller (the keyed
hash of the number, migration 0009: ``caller`` below is that hash, never a number),
``ix_ticket_place_open`` (the unfinished requests by place and time, migration 0004) for a place. Lists
are newest first with a LIMIT, never OFFSET. The SQL is fixed text run on the driver's own connection (no
SQLAlchemy compile step or row objects: these run while the operator types, and cost more than the query).
"Unfinished" (未办结) is every state but the final ones (closed, transferred, merged): a request waiting for
its callback is still one a caller may call about again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from hotline_tui.domain.vocabulary import FINAL_STATES, OPEN_STATES

_FINAL = ", ".join(f"'{s}'" for s in sorted(FINAL_STATES))
_OPEN = ", ".join(f"'{s}'" for s in sorted(OPEN_STATES))
UNFINISHED = f"state NOT IN ({_FINAL})"  # word for word the WHERE of ix_ticket_place_open (migration 0004)
# a confidential (保密) request is left out for a viewer who may not see callers
NOT_CONFIDENTIAL = "COALESCE(json_extract(data, '$.confidential'), 0) = 0"
ITEM_COLUMNS = "number, registered_ms, state, summary, place, lead_unit, category"
# what says how a request ended: its callback, and how it was handled
OUTCOME_COLUMNS = (
    "json_extract(data, '$.callback.satisfaction') AS satisfaction, json_extract(data, '$.callback.resolved') AS resolved,"
    " json_extract(data, '$.mode') AS mode, json_extract(data, '$.transfer_to') AS transfer_to,"
    " json_extract(data, '$.merged_into') AS merged_into"
)
ITEM_NAMES = ("number", "registered_ms", "state", "summary", "place", "lead_unit", "category")
PLACE_COLUMNS = "number, registered_ms, state, summary, place, category"
PLACE_NAMES = ("number", "registered_ms", "state", "summary", "place", "category")
OUTCOME_NAMES = ("satisfaction", "resolved", "mode", "transfer_to", "merged_into")


def _where_caller(hide_confidential: bool) -> str:
    return "caller_key = ?" + (f" AND {NOT_CONFIDENTIAL}" if hide_confidential else "")


def _dicts(names: tuple[str, ...], rows) -> list[dict[str, Any]]:
    return [dict(zip(names, r)) for r in rows]


def _fetch(conn: Connection, sql: str, params: tuple) -> list[tuple]:
    """All rows as plain tuples from the driver's own cursor, inside ``conn``'s open transaction (a few
    hundred rows per key press: SQLAlchemy's per-row fetch cost more than SQLite's read)."""
    return conn.connection.driver_connection.execute(sql, params).fetchall()


def caller_counts(conn: Connection, phone: str, hide_confidential: bool = False) -> tuple[int, int]:
    """(all requests ever, unfinished ones) of one caller."""
    sql = (f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {UNFINISHED} THEN 1 ELSE 0 END), 0)"
           f" FROM ticket INDEXED BY ix_ticket_caller_key WHERE {_where_caller(hide_confidential)}")
    row = _fetch(conn, sql, (phone,))[0]
    return int(row[0] or 0), int(row[1] or 0)


def caller_items(conn: Connection, phone: str, limit: int, hide_confidential: bool = False) -> list[dict[str, Any]]:
    """A caller's newest requests with what says how each ended."""
    sql = (f"SELECT {ITEM_COLUMNS}, {OUTCOME_COLUMNS} FROM ticket INDEXED BY ix_ticket_caller_key"
           f" WHERE {_where_caller(hide_confidential)} ORDER BY registered_ms DESC, number DESC LIMIT ?")
    return _dicts(ITEM_NAMES + OUTCOME_NAMES, _fetch(conn, sql, (phone, limit)))


def caller_last_ended(conn: Connection, phone: str, hide_confidential: bool = False) -> dict[str, Any] | None:
    """The caller's newest request that is no longer being handled (for "how the last one ended")."""
    sql = (f"SELECT {ITEM_COLUMNS}, {OUTCOME_COLUMNS} FROM ticket INDEXED BY ix_ticket_caller_key"
           f" WHERE {_where_caller(hide_confidential)} AND state NOT IN ({_OPEN})"
           " ORDER BY registered_ms DESC LIMIT 1")
    rows = _dicts(ITEM_NAMES + OUTCOME_NAMES, _fetch(conn, sql, (phone,)))
    return rows[0] if rows else None


def caller_unfinished(conn: Connection, phone: str, hide_confidential: bool = False, cap: int = 200) -> list[dict[str, Any]]:
    """A caller's unfinished requests, newest first (at most ``cap``)."""
    sql = (f"SELECT {ITEM_COLUMNS} FROM ticket INDEXED BY ix_ticket_caller_key"
           f" WHERE {_where_caller(hide_confidential)} AND {UNFINISHED} ORDER BY registered_ms DESC LIMIT ?")
    return _dicts(ITEM_NAMES, _fetch(conn, sql, (phone, cap)))


def unfinished_in_places(conn: Connection, places: list[str], since_ms: int, cap: int = 400) -> list[tuple]:
    """Unfinished requests registered at any of ``places`` since ``since_ms``, newest first (at most ``cap``):
    tuples of PLACE_NAMES (number, registered_ms, state, summary, place, category).

    Read from ``ix_ticket_place_open`` alone: a partial index of the unfinished requests only (a few
    percent of the store) that holds every column asked for. ``ix_ticket_place`` would visit every
    request of the window, most of them long closed, and read each from the table (measured on 1M
    tickets: p95 15 ms for the busiest streets before any scoring; 1-2 ms from the partial index)."""
    if not places:
        return []
    marks = ", ".join("?" * len(places))
    sql = (f"SELECT {PLACE_COLUMNS} FROM ticket INDEXED BY ix_ticket_place_open"
           f" WHERE place IN ({marks}) AND registered_ms >= ? AND {UNFINISHED}"
           " ORDER BY registered_ms DESC LIMIT ?")
    return _fetch(conn, sql, (*places, since_ms, cap))
