"""The operator's live draft (``live_draft``, migration 0010): what is being typed on the intake screen, for the
cadre beside them on a shadow shift. Not an event: local to the store, never synced, one row per desk and
operator, replaced as the operator types and deleted on save or cancel. The number is stored masked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

FIELDS = ("phone", "nature", "category", "place", "summary")

PUT = text("INSERT OR REPLACE INTO live_draft (desk, operator, updated_ms, phone, nature, category, place, summary)"
           " VALUES (:desk, :operator, :updated_ms, :phone, :nature, :category, :place, :summary)")


def put(conn: Connection, desk: str, operator: str, now_ms: int, values: dict[str, str]) -> None:
    row = {k: str(values.get(k) or "") for k in FIELDS}
    row.update(desk=desk, operator=operator, updated_ms=now_ms)
    conn.execute(PUT, row)


def clear(conn: Connection, desk: str, operator: str) -> int:
    return conn.execute(text("DELETE FROM live_draft WHERE desk = :d AND operator = :o"), {"d": desk, "o": operator}).rowcount


def get(conn: Connection, desk: str, operator: str) -> dict[str, Any] | None:
    row = conn.execute(text("SELECT updated_ms, phone, nature, category, place, summary FROM live_draft"
                            " WHERE desk = :d AND operator = :o"), {"d": desk, "o": operator}).first()
    return dict(row._mapping) if row else None
