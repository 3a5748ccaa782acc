"""The monthly ranking (月通报): rows for the 10 districts and the municipal units, totals by channel and nature,
ranks and their change since last month, deductions for the month and the year so far.

Pure over the facts (facts.py) and the roll-up (rollup.py); ``compute`` runs the queries on a connection."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from hotline_tui.domain.vocabulary import CHANNELS, NATURES
from hotline_tui.reports import facts as sql
from hotline_tui.reports.formulas import COUNTS, Rules
from hotline_tui.reports.month import Month
from hotline_tui.reports.rollup import RollUp

RANKED = ("claim_rate", "completion_rate", "feedback_rate")


def zero() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


def _add(into: dict[str, int], values: dict[str, int]) -> None:
    for k, v in values.items():
        if k in into:
            into[k] += v


def _finish(counts: dict[str, int]) -> dict[str, int]:
    counts["overdue"] = counts["due"] - counts["replied_in_time"]
    return counts


def unit_counts(month_facts: dict[tuple, dict[str, int]], month_returns: list, rollup: RollUp) -> dict[str, dict[str, int]]:
    """Counts per top row (district or municipal unit) for one month."""
    out: dict[str, dict[str, int]] = defaultdict(zero)
    for (unit, _channel, _nature), values in month_facts.items():
        top = rollup.top(unit)
        if top is not None:
            _add(out[top.code], values)
    for returner, lead_now, still_leads in month_returns:
        top, now = rollup.top(returner), rollup.top(lead_now)
        if top is None:
            continue
        out[top.code]["returned"] += 1
        if not still_leads and (now is None or now.code != top.code):
            out[top.code]["dispatched"] += 1  # dispatched to it, returned: counts against its claim rate
    return {code: _finish(c) for code, c in out.items()}


def rates_of(rules: Rules, counts: dict[str, int]) -> dict[str, float | None]:
    return {name: rules.rate(name, counts) for name in rules.rates}


def rows_for(tops, counts: dict[str, dict[str, int]], rules: Rules) -> list[dict[str, Any]]:
    rows = []
    for t in tops:
        c = counts.get(t.code) or _finish(zero())
        rates = rates_of(rules, c)
        rows.append({"unit": t.code, "name": t.name, **c, **rates, "score": rules.score(rates),
                     "deduction": rules.deduction(rates)})
    ranked = sorted((r for r in rows if r["score"] is not None), key=lambda r: (-r["score"], -r["dispatched"], r["unit"]))
    for i, r in enumerate(ranked, 1):
        r["rank"] = i
    for r in rows:
        r.setdefault("rank", None)
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, -r["dispatched"], r["unit"]))


def _change(now: Any, before: Any) -> Any:
    if now is None or before is None:
        return None
    return round(now - before, 6) if isinstance(now, float) or isinstance(before, float) else now - before


def add_changes(rows: list[dict[str, Any]], last: list[dict[str, Any]], rates: list[str]) -> None:
    """rank_change: places moved up since last month (+2: from 5th to 3rd); changes: each rate's difference."""
    before = {r["unit"]: r for r in last}
    for r in rows:
        b = before.get(r["unit"], {})
        r["rank_change"] = None if r["rank"] is None or b.get("rank") is None else b["rank"] - r["rank"]
        r["changes"] = {name: _change(r[name], b.get(name)) for name in rates}


def by_field(month_facts: dict[tuple, dict[str, int]], position: int, names: dict[str, str], key: str,
             rules: Rules) -> list[dict[str, Any]]:
    """Totals per channel (position 1) or nature (2), every known one listed even when nothing came by it."""
    counts: dict[str, dict[str, int]] = {code: zero() | {"registered": 0} for code in names}
    for k, values in month_facts.items():
        code = k[position]
        counts.setdefault(code, zero() | {"registered": 0})
        for name, v in values.items():
            counts[code][name] = counts[code].get(name, 0) + v
    out = []
    for code, c in counts.items():
        _finish(c)
        out.append({key: code, "name": names.get(code, code), **c, **rates_of(rules, c)})
    return out


def city_totals(month_facts: dict[tuple, dict[str, int]], rules: Rules) -> dict[str, Any]:
    c = zero() | {"registered": 0}
    for values in month_facts.values():
        for name, v in values.items():
            c[name] = c.get(name, 0) + v
    _finish(c)
    return {"name": "全市", **c, **rates_of(rules, c)}


def tables(month_facts, month_returns, rollup: RollUp, rules: Rules):
    counts = unit_counts(month_facts, month_returns, rollup)
    return rows_for(rollup.districts, counts, rules), rows_for(rollup.units, counts, rules)


def build(month: Month, this: dict, this_returns: list, last: dict[str, Any] | None, earlier_deductions: dict[str, float],
          rollup: RollUp, rules: Rules) -> dict[str, Any]:
    """The report of ``month`` from its facts; ``last``: last month's report (its districts and units), for the
    changes; ``earlier_deductions``: each unit's deductions of the year's earlier months, summed."""
    rates = list(rules.rates)
    districts, units = tables(this, this_returns, rollup, rules)
    add_changes(districts, (last or {}).get("districts", []), rates)
    add_changes(units, (last or {}).get("units", []), rates)
    for r in districts + units:
        r["deduction_ytd"] = round(earlier_deductions.get(r["unit"], 0.0) + r["deduction"], 2)
    return {
        "month": str(month),
        "formulas": rules.describe(),
        "districts": districts,
        "units": units,
        "totals": city_totals(this, rules),
        "channels": by_field(this, 1, CHANNELS, "channel", rules),
        "natures": by_field(this, 2, NATURES, "nature", rules),
    }


def compute(conn, month: Month, directory, rules: Rules, published=None) -> dict[str, Any]:
    """The month's report. ``published(month) -> report | None`` gives a month's published report.

    Last month's ranks come from its publication, or are computed when it has none. The year's deduction
    (``deduction_ytd``) is this month's plus those of the year's earlier *published* months: the published
    reports are the official figures a unit's yearly assessment adds up, and a month not published yet has
    no official deduction. The report says which months it added (``ytd["published"]``) and which it could
    not (``ytd["unpublished"]``). So a report computes at most two months, however late in the year."""
    published = published or (lambda m: None)
    rollup = RollUp(directory)
    prev = month.prev()
    last_published = published(prev)
    last = last_published
    if last is None:
        bounds = [prev.start_ms, prev.end_ms]
        d, u = tables(sql.month_facts(conn, bounds)[0], sql.returns(conn, bounds)[0], rollup, rules)
        last = {"districts": d, "units": u}
    earlier: dict[str, float] = defaultdict(float)
    ytd: dict[str, list[str]] = {"published": [], "unpublished": []}
    for m in month.year_so_far()[:-1]:
        rows = last_published if m == prev else published(m)
        if rows is None:
            ytd["unpublished"].append(str(m))
            continue
        ytd["published"].append(str(m))
        for r in rows.get("districts", []) + rows.get("units", []):
            earlier[r["unit"]] += r.get("deduction") or 0.0
    bounds = [month.start_ms, month.end_ms]
    report = build(month, sql.month_facts(conn, bounds)[0], sql.returns(conn, bounds)[0], last, earlier, rollup, rules)
    report["ytd"] = ytd
    return report
