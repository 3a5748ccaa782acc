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

_BY_REGISTRATION = text(
    "SELECT count(*) AS dispatched,"
    " coalesce(sum(claimed_ms IS NOT NULL AND claimed_ms <= claim_due_ms), 0) AS claimed_in_time"
    " FROM ticket WHERE registered_ms >= :a AND registered_ms < :b AND lead_unit IS NOT NULL")
_BY_DUE = text(
    "SELECT count(*) AS due,"
    " coalesce(sum(closed_ms IS NOT NULL AND closed_ms < :b), 0) AS closed,"
    " coalesce(sum(replied_ms IS NOT NULL AND replied_ms <= due_ms), 0) AS replied_in_time"
    " FROM ticket WHERE due_key >= :a AND due_key < :b")  # due_key: due_ms, indexed (ix_ticket_due)


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def month_rates(conn, start_ms: int, end_ms: int) -> dict[str, Any]:
    """{dispatched, claimed_in_time, due, closed, replied_in_time, claim_rate, completion_rate, feedback_rate}."""
    p = {"a": start_ms, "b": end_ms}
    out: dict[str, Any] = dict(conn.execute(_BY_REGISTRATION, p).mappings().one())
    out.update(conn.execute(_BY_DUE, p).mappings().one())
    out = {k: int(v or 0) for k, v in out.items()}
    for name, (num, den) in RATES.items():
        out[name] = rate(out[num], out[den])
    return out
