"""Read queries over the projection. Lists go by keyset (never OFFSET) so they stay fast at millions of rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

LIST_COLUMNS = "number, state, registered_ms, caller_phone, channel, nature, category, place, lead_unit, due_ms, flags, summary"


def recent_tickets(conn: Connection, limit: int = 50, before: tuple[int, str] | None = None,
                   units: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Newest first; ``before`` is the (registered_ms, number) of the last row of the previous page; ``units``
    keeps the tickets those units lead or assist (a cadre's view)."""
    terms: list[str] = []
    params: dict[str, Any] = {"limit": limit}
    if before is not None:
        terms.append("(registered_ms, number) < (:ms, :num)")
        params.update(ms=before[0], num=before[1])
    if units is not None:
        marks = ", ".join(f":u{i}" for i in range(len(units)))
        params.update({f"u{i}": u for i, u in enumerate(units)})
        terms.append(f"(lead_unit IN ({marks}) OR number IN (SELECT number FROM ticket_unit WHERE unit IN ({marks})))")
    where = f" WHERE {' AND '.join(terms)}" if terms else ""
    sql = f"SELECT {LIST_COLUMNS} FROM ticket{where} ORDER BY registered_ms DESC, number DESC LIMIT :limit"
    return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def open_count_for_unit(conn: Connection, unit: str, now_ms: int, open_states: list[str]) -> dict[str, int]:
    """Open tickets led by ``unit`` and how many of them are past their due time (ix_ticket_lead_state)."""
    marks = ", ".join(f":s{i}" for i in range(len(open_states)))
    sql = (f"SELECT COUNT(*) AS open, COALESCE(SUM(CASE WHEN due_ms IS NOT NULL AND due_ms < :now THEN 1 ELSE 0 END), 0)"
           f" AS overdue FROM ticket WHERE lead_unit = :unit AND state IN ({marks})")
    params: dict[str, Any] = {"unit": unit, "now": now_ms, **{f"s{i}": s for i, s in enumerate(open_states)}}
    row = conn.execute(text(sql), params).one()
    return {"open": int(row.open or 0), "overdue": int(row.overdue or 0)}
