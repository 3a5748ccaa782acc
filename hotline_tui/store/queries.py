"""Read queries over the projection. Lists go by keyset (never OFFSET) so they stay fast at millions of rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

LIST_COLUMNS = "number, state, registered_ms, caller_phone, channel, nature, category, place, lead_unit, due_ms, flags, summary"


def recent_tickets(conn: Connection, limit: int = 50, before: tuple[int, str] | None = None) -> list[dict[str, Any]]:
    """Newest first; ``before`` is the (registered_ms, number) of the last row of the previous page."""
    if before is None:
        sql = f"SELECT {LIST_COLUMNS} FROM ticket ORDER BY registered_ms DESC, number DESC LIMIT :limit"
        params: dict[str, Any] = {"limit": limit}
    else:
        sql = (f"SELECT {LIST_COLUMNS} FROM ticket WHERE (registered_ms, number) < (:ms, :num)"
               " ORDER BY registered_ms DESC, number DESC LIMIT :limit")
        params = {"limit": limit, "ms": before[0], "num": before[1]}
    return [dict(r._mapping) for r in conn.execute(text(sql), params)]
