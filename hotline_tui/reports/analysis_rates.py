"""The city's claim, completion and feedback rates for the analysis's twelve months: the monthly ranking's own
counts (reports/facts.py: two index-only queries over schema 0007's report indexes, bucketed by month) added
up over the city (reports/monthly.city_totals) and its formulas (reports/formulas.py, the desk's ``[report]``
rules). So the analysis's rates are the ranking's 全市 figures, month by month, whatever the formulas say.

With the default formulas: claim rate = claimed in time ÷ dispatched (the month's requests given to a unit,
claimed by their claim deadline); completion rate = closed before the month's end ÷ due in the month; feedback
rate = replied by the deadline (a reply that stands) ÷ due in the month. Merged requests count in neither (as in
the ranking). A rate whose denominator is 0 is None (shown as —).
"""

from __future__ import annotations

from typing import Any

COUNTS = ("dispatched", "claimed_in_time", "due", "closed", "replied_in_time")
RATES = ("claim_rate", "completion_rate", "feedback_rate")


def city_months(conn, bounds: list[int], rules=None) -> list[dict[str, Any]]:
    """For each month (``bounds``: the months' starts, then the last one's end) the city's COUNTS and RATES."""
    from hotline_tui.reports.facts import month_facts
    from hotline_tui.reports.formulas import Rules
    from hotline_tui.reports.monthly import city_totals

    rules = rules or Rules()
    out = []
    for facts in month_facts(conn, bounds):
        totals = city_totals(facts, rules)
        out.append({k: totals.get(k) for k in (*COUNTS, *RATES)})
    return out
