"""The month's commitments (不解决找我) by the cadres' units: how many were made in the month, and of those whose
promised day fell in the month how many were kept (closed by the end of that day), unkept (the day is over and
the request was not closed by then) and still open (the day is yet to come); with the cadres' names.

Read from the commitments' partial index alone (schema 0011): the projection holds each request's latest
commitment, so a commitment replaced by a later one counts once, as the later one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from hotline_tui.domain.ticket import commitment_status

ROWS = text("SELECT commit_unit, commit_by, commit_ms, commit_due_ms, closed_ms FROM ticket"
            " WHERE commit_due_ms IS NOT NULL AND ((commit_ms >= :s AND commit_ms < :e)"
            " OR (commit_due_ms >= :s AND commit_due_ms < :e))")


def commitments_by_unit(conn, start_ms: int, end_ms: int, now_ms: int, unit_name) -> list[dict[str, Any]]:
    """[{unit, unit_name, made, due, kept, unkept, open, cadres}] by unit code; units with most unkept first."""
    units: dict[str, dict[str, Any]] = {}
    for unit, by, made_ms, due_ms, closed_ms in conn.execute(ROWS, {"s": start_ms, "e": end_ms}):
        unit = unit or ""
        row = units.setdefault(unit, {"unit": unit, "unit_name": unit_name(unit) if unit else "", "made": 0, "due": 0,
                                      "kept": 0, "unkept": 0, "open": 0, "cadres": []})
        if by and by not in row["cadres"]:
            row["cadres"].append(by)
        if made_ms is not None and start_ms <= made_ms < end_ms:
            row["made"] += 1
        if start_ms <= due_ms < end_ms:
            row["due"] += 1
            row[commitment_status(due_ms, closed_ms, now_ms)] += 1
    for row in units.values():
        row["cadres"] = sorted(row["cadres"])
    return sorted(units.values(), key=lambda r: (-r["unkept"], -r["due"], -r["made"], r["unit"]))
