"""The city's three rates for a month, from the ticket table's columns, with the default formulas:

- claim rate (认领率) = claimed in time ÷ dispatched: of the requests registered in the month and given to a
  unit (``lead_unit``), those claimed by their claim deadline (``claimed_ms <= claim_due_ms``);
- completion rate (办结率) = closed ÷ due in the month: of the requests whose handling deadline (``due_ms``)
  falls in the month, those closed before the month's end;
- feedback rate (反馈率) = replied in time ÷ due in the month: of the same, those replied by the deadline.

A rate whose denominator is 0 is None (shown as "—"). One small function, so the monthly ranking can share it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

RATES = {  # name: (numerator, denominator)
    "claim_rate": ("claimed_in_time", "dispatched"),
    "completion_rate": ("closed", "due"),
    "feedback_rate": ("replied_in_time", "due"),
}
COUNTS = ("dispatched", "claimed_in_time", "due", "closed", "replied_in_time")

# the conditions, once: the single month's queries and the twelve months' pass are made from them
DISPATCHED = "lead_unit IS NOT NULL"
CLAIMED_IN_TIME = "claimed_ms <= claim_due_ms"  # NULL (not claimed, or no claim deadline) counts as no
REPLIED_IN_TIME = "replied_ms <= due_ms"


def closed_by(end: str) -> str:
    return f"closed_ms < {end}"


_BY_REGISTRATION_SQL = (
    f"SELECT count(*) AS dispatched, total({CLAIMED_IN_TIME}) AS claimed_in_time"
    f" FROM ticket WHERE registered_ms >= :a AND registered_ms < :b AND {DISPATCHED}")
_BY_DUE_SQL = (
    f"SELECT count(*) AS due, total({closed_by(':b')}) AS closed, total({REPLIED_IN_TIME}) AS replied_in_time"
    " FROM ticket WHERE due_key >= :a AND due_key < :b")  # due_key: due_ms, indexed (ix_ticket_due)
_BY_REGISTRATION, _BY_DUE = text(_BY_REGISTRATION_SQL), text(_BY_DUE_SQL)
_COUNT = text("SELECT count(*) FROM ticket WHERE registered_ms >= :a AND registered_ms < :b")


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def with_rates(counts: dict[str, Any]) -> dict[str, Any]:
    out = {k: int(v or 0) for k, v in counts.items()}
    for name, (num, den) in RATES.items():
        out[name] = rate(out[num], out[den])
    return out


def month_rates(conn, start_ms: int, end_ms: int) -> dict[str, Any]:
    """{dispatched, claimed_in_time, due, closed, replied_in_time, claim_rate, completion_rate, feedback_rate}."""
    p = {"a": start_ms, "b": end_ms}
    out: dict[str, Any] = dict(conn.execute(_BY_REGISTRATION, p).mappings().one())
    out.update(conn.execute(_BY_DUE, p).mappings().one())
    return with_rates(out)


def indexes_cover_rates(conn) -> bool:
    """Whether indexes hold every column the month's rates read (so ``month_rates`` reads no table row).
    Schema 0006 has none; asked of SQLite's planner, so an index a later migration adds is used at once."""
    for sql in (_BY_REGISTRATION_SQL, _BY_DUE_SQL):
        plan = conn.execute(text("EXPLAIN QUERY PLAN " + sql), {"a": 0, "b": 1}).all()
        if not any("COVERING INDEX" in str(row[-1]) for row in plan):
            return False
    return True


def months_rates(conn, bounds: list[int]) -> list[dict[str, Any]]:
    """``month_rates`` of consecutive months, with each month's requests (``tickets``): ``bounds`` are the
    months' starts and the last one's end. When indexes cover the rates' columns, two index-only queries a
    month (on a 1M store, twelve months in 0.22 s); else ``one_pass``."""
    if indexes_cover_rates(conn):
        out = []
        for a, b in zip(bounds, bounds[1:]):
            row = month_rates(conn, a, b)
            out.append({"tickets": int(conn.execute(_COUNT, {"a": a, "b": b}).scalar() or 0), **row})
        return out
    return one_pass(conn, bounds)


def one_pass(conn, bounds: list[int]) -> list[dict[str, Any]]:
    """``months_rates`` reading each ticket's row once: one pass over the tickets registered in those months, in
    registration order (a ticket's deadline is never before its registration, so every ticket due in them is
    among these but for the few registered earlier, which the deadline index finds). Two passes, one in
    registration and one in deadline order, took 1.3x as long without covering indexes (each ticket's row is
    read once here); with them, this pass is 6x slower than the index-only queries (its CASEs and GROUP BY)."""
    n = len(bounds) - 1
    start, end = bounds[0], bounds[-1]

    def bucket(col: str) -> str:
        return "CASE " + " ".join(f"WHEN {col} < {b} THEN {i}" for i, b in enumerate(bounds[1:])) + " END"

    def bucket_end(col: str) -> str:
        return "CASE " + " ".join(f"WHEN {col} < {b} THEN {b}" for b in bounds[1:]) + " END"

    in_due = f"(due_ms >= {start} AND due_ms < {end})"
    main = text(
        f"SELECT {bucket('registered_ms')} AS rb, CASE WHEN {in_due} THEN {bucket('due_ms')} END AS db, count(*) AS n,"
        f" total({DISPATCHED}) AS dispatched, total({DISPATCHED} AND {CLAIMED_IN_TIME}) AS claimed_in_time,"
        f" total({in_due} AND {closed_by(bucket_end('due_ms'))}) AS closed,"
        f" total({in_due} AND {REPLIED_IN_TIME}) AS replied_in_time"
        " FROM ticket WHERE registered_ms >= :a AND registered_ms < :b GROUP BY rb, db")
    early = text(
        f"SELECT {bucket('due_ms')} AS db, count(*) AS n, total({closed_by(bucket_end('due_ms'))}) AS closed,"
        f" total({REPLIED_IN_TIME}) AS replied_in_time FROM ticket"
        " WHERE due_key >= :a AND due_key < :b AND registered_ms < :a GROUP BY db")
    rows = [{"tickets": 0, **dict.fromkeys(COUNTS, 0)} for _ in range(n)]
    for r in conn.execute(main, {"a": start, "b": end}):
        reg = rows[r.rb]
        reg["tickets"] += r.n
        reg["dispatched"] += r.dispatched
        reg["claimed_in_time"] += r.claimed_in_time
        if r.db is not None:
            due = rows[r.db]
            due["due"] += r.n
            due["closed"] += r.closed
            due["replied_in_time"] += r.replied_in_time
    for r in conn.execute(early, {"a": start, "b": end}):
        due = rows[r.db]
        due["due"] += r.n
        due["closed"] += r.closed
        due["replied_in_time"] += r.replied_in_time
    return [with_rates(r) for r in rows]
