"""The month's counts per lead unit, channel and nature, from the ticket table's columns by SQL aggregates.

Two cohorts, each one grouped query over an index range (never a fold of events):

- the month's requests (``registered_ms`` in the month): dispatched (a lead unit was given), claimed,
  claimed in time (``claimed_ms <= claim_due_ms``: the claim deadline the dispatch computed on the working-day
  calendar; a reassignment gives a fresh one to the new unit);
- the requests due in the month (``due_ms`` in the month, extensions included): replied and closed before the
  month ended, replied in time (``replied_ms <= due_ms``), the callback's satisfaction. A reply counts while it
  stands (the request is in review, awaiting or past its callback, or closed): one sent back, or a request
  reopened (重办, with a fresh deadline), is not answered until it is replied to again.

A request counts for the unit that leads it now (for a month just ended: the unit holding it at the month's
end; a published report keeps that). Returns are the exception: the few requests of the month that were ever
returned have their dispatch/return events read (by the event index, a handful each) to find the unit that
returned them, which counts the request as dispatched to it and returned, never claimed in time.
Several months at once come from the same two queries, bucketed by month (the report asks one at a time:
the months before it are taken from their publications when published).
"""

from __future__ import annotations

from collections import defaultdict
from sqlalchemy import text

from hotline_tui.store.tables import REPORTED  # the WHERE of schema 0007's partial indexes, stated word for word


MONTH_KEYS = ("registered", "dispatched", "claimed", "claimed_in_time")
DUE_KEYS = ("due", "replied", "replied_in_time", "closed", "callbacks", "satisfied")
SATISFIED = ("satisfied", "basically_satisfied")
# a reply stands while the request is past it: a reply sent back (答复退回) or a reopened request (重办) keeps its
# old replied_ms in the row but is not answered
ANSWERED = ("reply_review", "awaiting_callback", "visited", "closed")
HOLDER_KINDS = ("dispatch", "reassign", "return_accept", "reopen")


def _bucket(column: str, bounds: list[int], alias: str) -> str:
    """CASE giving the index of the month ``column`` falls in (bounds are the months' starts, then the last end)."""
    if len(bounds) == 2:
        return f"0 AS {alias}"
    whens = " ".join(f"WHEN {column} < {b} THEN {i}" for i, b in enumerate(bounds[1:]))
    return f"CASE {whens} END AS {alias}"


def _month_ends(column: str, bounds: list[int]) -> str:
    if len(bounds) == 2:
        return str(bounds[1])
    whens = " ".join(f"WHEN {column} < {b} THEN {b}" for b in bounds[1:])
    return f"CASE {whens} END"


def month_sql(bounds: list[int]) -> str:
    return (f"SELECT {_bucket('registered_ms', bounds, 'm')}, lead_unit, channel, nature, count(*),"
            " sum(lead_unit IS NOT NULL), sum(claimed_ms IS NOT NULL), sum(claimed_ms <= claim_due_ms)"
            f" FROM ticket WHERE registered_ms >= :start AND registered_ms < :end AND {REPORTED}"
            " GROUP BY m, lead_unit, channel, nature")


def due_sql(bounds: list[int]) -> str:
    sat = ", ".join(f"'{s}'" for s in SATISFIED)
    answered = f"state IN ({', '.join(repr(s) for s in ANSWERED)})"
    return (f"SELECT m, lead_unit, channel, nature, count(*), sum({answered} AND replied_ms < mend),"
            f" sum({answered} AND replied_ms <= due_ms),"
            f" sum(closed_ms < mend), sum(callback != ''), sum(callback IN ({sat}))"
            f" FROM (SELECT {_bucket('due_key', bounds, 'm')}, {_month_ends('due_key', bounds)} AS mend,"
            " lead_unit, channel, nature, state, replied_ms, due_ms, closed_ms, callback FROM ticket"
            f" WHERE due_key >= :start AND due_key < :end AND {REPORTED} AND lead_unit IS NOT NULL)"
            " GROUP BY m, lead_unit, channel, nature")


def _raw(conn):
    """The sqlite3 connection under ``conn`` (inside its transaction): rows straight into tuples."""
    return conn.connection.driver_connection


def month_facts(conn, bounds: list[int]) -> list[dict[tuple, dict[str, int]]]:
    """For each month (bounds: the months' starts then the last month's end), counts keyed by
    (lead_unit, channel, nature)."""
    out: list[dict[tuple, dict[str, int]]] = [defaultdict(dict) for _ in bounds[1:]]
    raw = _raw(conn)
    span = {"start": bounds[0], "end": bounds[-1]}
    for m, unit, channel, nature, *values in raw.execute(month_sql(bounds), span).fetchall():
        out[m][(unit, channel, nature)].update(zip(MONTH_KEYS, (v or 0 for v in values)))
    for m, unit, channel, nature, *values in raw.execute(due_sql(bounds), span).fetchall():
        out[m][(unit, channel, nature)].update(zip(DUE_KEYS, (v or 0 for v in values)))
    return out


def returns_sql() -> str:
    """Each return of a returned request of the span, with the unit that held the request then (the lead of the
    last dispatch, reassignment, accepted return or reopening before it), found by the event index."""
    holders = ", ".join(f"'{k}'" for k in HOLDER_KINDS)
    return ("SELECT DISTINCT t.number, t.lead_unit, t.registered_ms,"
            " (SELECT json_extract(h.payload, '$.lead') FROM event h WHERE h.ticket = t.number"
            f"  AND h.kind IN ({holders}) AND json_extract(h.payload, '$.lead') IS NOT NULL"
            "  AND (h.hlc < r.hlc OR (h.hlc = r.hlc AND h.id < r.id)) ORDER BY h.hlc DESC, h.id DESC LIMIT 1)"
            " FROM ticket t JOIN event r ON r.ticket = t.number AND r.kind = 'return'"
            " WHERE t.return_count > 0 AND t.registered_ms >= :start AND t.registered_ms < :end"
            " AND t.state != 'merged'")


def returns(conn, bounds: list[int]) -> list[list[tuple[str, str, bool]]]:
    """For each month: (returning unit, lead unit now, whether it still leads it) for each request of the month
    and each unit that returned it (a unit that returned one request twice returned it once)."""
    out: list[list[tuple[str, str, bool]]] = [[] for _ in bounds[1:]]
    rows = _raw(conn).execute(returns_sql(), {"start": bounds[0], "end": bounds[-1]}).fetchall()
    for _number, lead_now, registered_ms, returner in rows:
        if returner:
            out[_index(registered_ms, bounds)].append((returner, lead_now, returner == lead_now))
    return out


def _index(ms: int, bounds: list[int]) -> int:
    for i, b in enumerate(bounds[1:]):
        if ms < b:
            return i
    return len(bounds) - 2


def first_registered(conn) -> int | None:
    return conn.execute(text("SELECT min(registered_ms) FROM ticket")).scalar()
