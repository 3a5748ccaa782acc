"""The city's claim, completion and feedback rates for the analysis's twelve months, counted as the monthly
ranking counts them (reports/facts.py: the same cohorts, the same conditions, imported from there) but for the
whole city at once, and turned into rates by the ranking's own totals and formulas (reports/monthly.city_totals,
reports/formulas.py with the desk's ``[report]`` rules). So the analysis's rates are the ranking's 全市
figures, month by month; tests/test_report_analysis.py checks that they are.

With the default formulas: claim rate = claimed in time ÷ dispatched (the month's requests given to a unit,
claimed by their claim deadline); completion rate = closed before the month's end ÷ due in the month; feedback
rate = replied by the deadline (a reply that stands) ÷ due in the month. Merged requests count in neither. A
rate whose denominator is 0 is None (shown as —).

Two queries a month, each answered from one of schema 0007's report indexes alone (their ``WHERE`` stated word
for word): the ranking's per-unit query grouped by unit, channel and nature took 5x as long for twelve months.
"""

from __future__ import annotations

from typing import Any

from hotline_tui.reports.facts import ANSWERED, DUE_KEYS, MONTH_KEYS, SATISFIED
from hotline_tui.store.tables import REPORTED

COUNTS = ("dispatched", "claimed_in_time", "due", "closed", "replied_in_time")
RATES = ("claim_rate", "completion_rate", "feedback_rate")

_ANSWERED = f"state IN ({', '.join(repr(s) for s in ANSWERED)})"
_MONTH = (  # MONTH_KEYS: registered, dispatched, claimed, claimed_in_time
    "SELECT count(*), total(lead_unit IS NOT NULL), total(claimed_ms IS NOT NULL), total(claimed_ms <= claim_due_ms)"
    f" FROM ticket WHERE registered_ms >= :a AND registered_ms < :b AND {REPORTED}")
_DUE = (  # DUE_KEYS: due, replied, replied_in_time, closed, callbacks, satisfied
    f"SELECT count(*), total({_ANSWERED} AND replied_ms < :b), total({_ANSWERED} AND replied_ms <= due_ms),"
    f" total(closed_ms < :b), total(callback != ''), total(callback IN ({', '.join(repr(s) for s in SATISFIED)}))"
    f" FROM ticket WHERE due_key >= :a AND due_key < :b AND {REPORTED} AND lead_unit IS NOT NULL")


def city_months(conn, bounds: list[int], rules=None) -> list[dict[str, Any]]:
    """For each month (``bounds``: the months' starts, then the last one's end) the city's requests
    (``tickets``: registered in it, merged ones left out, as the analysis counts a month's requests), COUNTS and
    RATES."""
    from hotline_tui.reports.formulas import Rules
    from hotline_tui.reports.monthly import city_totals

    rules = rules or Rules()
    raw = conn.connection.driver_connection  # the sqlite3 connection, in conn's read transaction
    out = []
    for a, b in zip(bounds, bounds[1:]):
        p = {"a": a, "b": b}
        counts = dict(zip(MONTH_KEYS, (int(v or 0) for v in raw.execute(_MONTH, p).fetchone())))
        counts.update(zip(DUE_KEYS, (int(v or 0) for v in raw.execute(_DUE, p).fetchone())))
        totals = city_totals({("", "", ""): counts}, rules)
        out.append({"tickets": counts["registered"], **{k: totals.get(k) for k in (*COUNTS, *RATES)}})
    return out
