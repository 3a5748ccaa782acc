"""Shadow shifts on their streams: ``shift_start`` and ``shift_end`` events in ``~shift/<id>``, projected into the
``shift`` table (migration 0010) in the same transaction as the events.

Both events carry the whole shift (cadre, unit, desk, operator, started_ms), so the projection is the same
whatever order they arrive in (a pulled page, a rebuild): a row is made by whichever comes first, and an end
keeps the earliest end time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from hotline_tui.domain.clock import hlc_ms
from hotline_tui.domain.shift import EXPIRY_MS, Shift
from hotline_tui.store import streams

FAMILY = "shift"
START, END = "shift_start", "shift_end"
COLUMNS = "id, cadre, unit, desk, operator, started_ms, ended_ms"

UPSERT = text(
    "INSERT INTO shift (id, cadre, unit, desk, operator, started_ms, ended_ms)"
    " VALUES (:id, :cadre, :unit, :desk, :operator, :started_ms, :ended_ms)"
    " ON CONFLICT(id) DO UPDATE SET ended_ms = CASE WHEN shift.ended_ms IS NULL THEN excluded.ended_ms"
    " WHEN excluded.ended_ms IS NULL THEN shift.ended_ms ELSE min(shift.ended_ms, excluded.ended_ms) END")


def stream_of(shift_id: str) -> str:
    return streams.key(FAMILY, shift_id)


def _project(conn: Connection, events) -> None:
    for e in events:
        if e.kind not in (START, END):
            continue  # a kind of a newer desk: kept in the log only
        p = e.payload
        try:
            row = {"id": e.ticket[len(stream_of("")):], "cadre": str(p["cadre"]), "unit": str(p.get("unit") or ""),
                   "desk": str(p["desk"]), "operator": str(p["operator"]),
                   "started_ms": int(p["started_ms"]) if e.kind == END else hlc_ms(e.hlc),
                   "ended_ms": hlc_ms(e.hlc) if e.kind == END else None}
        except (KeyError, TypeError, ValueError):
            continue  # a malformed event (from a hub) is kept in the log, not projected
        conn.execute(UPSERT, row)


def _clear(conn: Connection) -> None:
    conn.execute(text("DELETE FROM shift"))


streams.register(FAMILY, _project, _clear)


def _shift(row) -> Shift:
    return Shift(*row)


def record_start(writer, shift_id: str, *, cadre: str, unit: str, desk: str, operator: str, by_desk: str):
    payload = {"cadre": cadre, "unit": unit, "desk": desk, "operator": operator}
    return writer.record_stream(stream_of(shift_id), START, payload, desk=by_desk, actor=cadre)


def record_end(writer, shift: Shift, *, by_desk: str):
    payload = {"cadre": shift.cadre, "unit": shift.unit, "desk": shift.desk, "operator": shift.operator,
               "started_ms": shift.started_ms}
    return writer.record_stream(stream_of(shift.id), END, payload, desk=by_desk, actor=shift.cadre)


def get(conn: Connection, shift_id: str) -> Shift | None:
    row = conn.execute(text(f"SELECT {COLUMNS} FROM shift WHERE id = :id"), {"id": shift_id}).first()
    return _shift(row) if row else None


def latest_of(conn: Connection, cadre: str) -> Shift | None:
    """The cadre's latest shift (open, ended or expired)."""
    row = conn.execute(text(f"SELECT {COLUMNS} FROM shift WHERE cadre = :c ORDER BY started_ms DESC, id DESC LIMIT 1"),
                       {"c": cadre}).first()
    return _shift(row) if row else None


def open_of(conn: Connection, cadre: str, now_ms: int) -> Shift | None:
    """The cadre's open shift (not ended, not expired), the latest if several."""
    row = conn.execute(text(f"SELECT {COLUMNS} FROM shift WHERE cadre = :c AND ended_ms IS NULL AND started_ms > :since"
                            " ORDER BY started_ms DESC, id DESC LIMIT 1"), {"c": cadre, "since": now_ms - EXPIRY_MS}).first()
    return _shift(row) if row else None


def sitting_with(conn: Connection, desk: str, operator: str, now_ms: int) -> list[Shift]:
    """Open shifts beside ``operator`` at ``desk``."""
    rows = conn.execute(text(f"SELECT {COLUMNS} FROM shift WHERE desk = :d AND operator = :o AND ended_ms IS NULL"
                             " AND started_ms > :since"), {"d": desk, "o": operator, "since": now_ms - EXPIRY_MS})
    return [_shift(r) for r in rows]


def listed(conn: Connection, since_ms: int | None = None, until_ms: int | None = None, cadre: str | None = None,
           limit: int = 1000) -> list[Shift]:
    """Shifts started in [since, until), newest first; one cadre's when ``cadre`` is given."""
    where, params = ["1 = 1"], {"limit": limit}
    if since_ms is not None:
        where.append("started_ms >= :since")
        params["since"] = since_ms
    if until_ms is not None:
        where.append("started_ms < :until")
        params["until"] = until_ms
    if cadre is not None:
        where.append("cadre = :cadre")
        params["cadre"] = cadre
    rows = conn.execute(text(f"SELECT {COLUMNS} FROM shift WHERE {' AND '.join(where)}"
                             " ORDER BY started_ms DESC, id DESC LIMIT :limit"), params)
    return [_shift(r) for r in rows]


HEARD_COLUMNS = "number, state, registered_ms, registered_by, caller_phone, nature, category, place, lead_unit, due_ms, summary, data"


def heard(conn: Connection, shift: Shift, end_ms: int, limit: int = 50,
          before: tuple[int, str] | None = None) -> list[dict[str, Any]]:
    """The calls of the shift, newest first (keyset ``before``: (registered_ms, number)): tickets the accompanied
    operator registered at the shift's desk, and those the cadre took (我当接线员), in [started, end]."""
    params: dict[str, Any] = {"lo": shift.started_ms, "hi": end_ms, "op": shift.operator, "desk": shift.desk,
                              "cadre": shift.cadre, "limit": limit}
    keyset = ""
    if before is not None:
        keyset = " AND (registered_ms, number) < (:ms, :num)"
        params.update(ms=before[0], num=before[1])
    sql = (f"SELECT {HEARD_COLUMNS} FROM ticket WHERE registered_ms >= :lo AND registered_ms <= :hi{keyset}"
           " AND ((registered_by = :op AND desk = :desk) OR registered_by = :cadre)"
           " ORDER BY registered_ms DESC, number DESC LIMIT :limit")
    return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def call_counts(conn: Connection, shift: Shift, end_ms: int) -> dict[str, int]:
    """{heard, taken}: the shift's calls (as ``heard``), and those of them the cadre took."""
    row = conn.execute(text(
        "SELECT COUNT(*) AS heard, COALESCE(SUM(CASE WHEN registered_by = :cadre THEN 1 ELSE 0 END), 0) AS taken"
        " FROM ticket WHERE registered_ms >= :lo AND registered_ms <= :hi"
        " AND ((registered_by = :op AND desk = :desk) OR registered_by = :cadre)"),
        {"lo": shift.started_ms, "hi": end_ms, "op": shift.operator, "desk": shift.desk, "cadre": shift.cadre}).one()
    return {"heard": int(row.heard or 0), "taken": int(row.taken or 0)}


def commitments(conn: Connection, actors: list[str], lo_ms: int, hi_ms: int) -> list[dict[str, Any]]:
    """The ``commit`` events (不解决找我) of ``actors`` in [lo, hi): ticket, actor, at_ms, due_ms, and the ticket's
    closed_ms. One read of the log by kind, for a report."""
    if not actors:
        return []
    from hotline_tui.domain.clock import make_hlc
    from hotline_tui.domain.events import load_payload

    marks = ", ".join(f":a{i}" for i in range(len(actors)))
    params = {f"a{i}": a for i, a in enumerate(actors)}
    params.update(lo=make_hlc(lo_ms), hi=make_hlc(hi_ms))
    rows = conn.execute(text(
        "SELECT e.ticket, e.actor, e.hlc, e.payload, t.closed_ms FROM event AS e LEFT JOIN ticket AS t ON t.number = e.ticket"
        f" WHERE e.kind = 'commit' AND e.actor IN ({marks}) AND e.hlc >= :lo AND e.hlc < :hi"), params)
    out = []
    for number, actor, hlc, payload, closed_ms in rows:
        try:
            p = load_payload(payload)
        except Exception:
            p = {}
        due = p.get("due_ms") if isinstance(p, dict) else None
        out.append({"ticket": number, "actor": actor, "at_ms": hlc_ms(hlc),
                    "due_ms": due if isinstance(due, int) and not isinstance(due, bool) else None, "closed_ms": closed_ms})
    return out
