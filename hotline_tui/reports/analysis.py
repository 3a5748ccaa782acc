"""The month's analysis for the city's leaders (《12345决策参考》), as plain values.

What a month holds: the requests registered in it, in China's time, whatever became of them (its tickets but
the merged ones, as the monthly ranking counts 受理; the calls count every call, merged and repeat ones too). From
them: the top categories and keywords of each district (the place's 区市) and of each industry (the first
category level); the categories rising most against last month and against the same month last year; the
repeated hot spots (one place and one matter, many calls from several callers); the share of each of the ten
livelihood areas (analysis_areas); and twelve months of volume and of the three rates (analysis_rates).

Every count is an SQL aggregate on the ticket table (analysis_sql) or a lookup in the full-text index
(analysis_keywords); the figures are the same whatever the output (Markdown, xlsx, JSON, F6).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hotline_tui.reports import analysis_keywords as kw
from hotline_tui.reports import analysis_sql as q
from hotline_tui.reports.analysis_areas import OTHER, Areas, load_areas
from hotline_tui.reports.analysis_month import Month, check_month, month_of_ms
from hotline_tui.reports.analysis_rates import city_months

SEP = " › "
NO_PLACE = "其他地点 (未填或不属区市)"
NO_CATEGORY = "未分类"
DAY_MS = 86_400_000


@dataclass(frozen=True)
class Limits:
    top: int = 5  # categories and keywords per district or industry
    categories: int = 10  # categories of the whole month
    keywords: int = 15  # keywords of the whole month
    rising: int = 10
    hot_spots: int = 15
    hot_min_calls: int = 3  # a hot spot: at least this many calls …
    hot_min_callers: int = 2  # … from at least this many callers (anonymous calls count one each)
    trend_months: int = 12


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _ranked(counter: Counter, limit: int, key: str) -> list[dict[str, Any]]:
    top = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [{key: k or (NO_CATEGORY if key == "category" else k), "tickets": n} for k, n in top if n]


def _rises(now: dict[str, int], before: dict[str, int], limit: int) -> list[dict[str, Any]]:
    rows = []
    for cat in set(now) | set(before):
        a, b = now.get(cat, 0), before.get(cat, 0)
        if a > b:
            rows.append({"category": cat or NO_CATEGORY, "tickets": a, "before": b, "rise": a - b, "ratio": share(a - b, b)})
    rows.sort(key=lambda r: (-r["rise"], -r["tickets"], r["category"]))
    return rows[:limit]


def build_analysis(conn, month: Month, now_ms: int, districts: list[tuple[str, str]],
                   place_path: Callable[[str], str], areas: Areas | None = None, limits: Limits = Limits(),
                   words: tuple[str, ...] | None = None, with_trend: bool = True, rules=None) -> dict[str, Any]:
    """The analysis of ``month`` on the store ``conn`` (a read connection). ``districts``: the 10 区市 as
    (code, name); ``place_path``: a place code's path to show (青岛市 › 市北区 › …). Raises InputError for a
    month in the future or before any data. ``with_trend=False`` leaves ``trend`` None (build_trend gives it:
    its rates read the rows of twelve months, the slow part)."""
    first = q.first_registered(conn)
    check_month(month, now_ms, first)
    areas = areas or load_areas()
    a, b = month.start_ms, month.end_ms
    names = dict(districts)

    by_district: dict[str, Counter] = {}
    by_industry: dict[str, Counter] = {}
    cat_counts: Counter = Counter()
    total = calls = 0
    for district, cat, n, c in q.cells(conn, a, b):
        total, calls = total + n, calls + c
        if not n:
            continue  # only merged requests: calls, not requests
        d = district if district in names else ""
        by_district.setdefault(d, Counter())[cat] += n
        by_industry.setdefault(cat.split(SEP)[0] if cat else "", Counter())[cat] += n
        cat_counts[cat] += n

    # keywords: the month's tickets' texts, grouped as the tickets are
    tid_rows = q.month_tids(conn, a, b)
    hits = kw.keyword_tickets(conn, (r[0] for r in tid_rows), words if words is not None else kw.vocabulary())
    groups = {tid: (d if d in names else "", c.split(SEP, 1)[0] if c else "") for tid, d, c in tid_rows}
    kw_district, kw_industry = kw.top_keywords(hits, groups, limits.top) or ({}, {})

    def keywords(table, g):
        return [{"word": w, "tickets": n} for w, n in table.get(g, [])]

    district_rows = []
    for code, name in [*districts, ("", NO_PLACE)]:
        counter = by_district.get(code, Counter())
        n = sum(counter.values())
        if code == "" and not n:
            continue
        district_rows.append({"code": code, "name": name, "tickets": n, "share": share(n, total),
                              "top_categories": _ranked(counter, limits.top, "category"),
                              "top_keywords": keywords(kw_district, code)})
    industry_rows = []
    for name, counter in sorted(by_industry.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        n = sum(counter.values())
        industry_rows.append({"name": name or NO_CATEGORY, "tickets": n, "share": share(n, total),
                              "top_categories": _ranked(counter, limits.top, "category"),
                              "top_keywords": keywords(kw_industry, name)})

    first_month = month_of_ms(first) if first is not None else month
    prev, last_year = month.shift(-1), month.shift(-12)

    def covered(other: Month) -> bool:
        """The store holds the whole of ``other`` (its first request is on the month's first day or before)."""
        return other > first_month or (other == first_month and first is not None and first < other.start_ms + DAY_MS)

    def rising_against(other: Month):
        if not covered(other):
            return None  # the store holds nothing (or only the end) of it: no comparison rather than a false rise
        return _rises(cat_counts, q.category_counts(conn, other.start_ms, other.end_ms), limits.rising)

    area_counts: Counter = Counter()
    for cat, n in cat_counts.items():
        area_counts[areas.of(cat) or OTHER] += n
    area_rows = [{"area": name, "tickets": area_counts.get(name, 0), "share": share(area_counts.get(name, 0), total)}
                 for name in [*areas.names, OTHER]]

    spots = q.hot_spots(conn, a, b, limits.hot_spots, limits.hot_min_calls, limits.hot_min_callers)
    for s in spots:
        s["place_name"] = place_path(s["place"])
        s["district"] = names.get(s["place"][:6], NO_PLACE)

    return {
        "month": month.label, "tickets": total, "calls": calls,
        "last_month": {"month": prev.label, "tickets": q.ticket_count(conn, prev.start_ms, prev.end_ms)},
        "last_year": {"month": last_year.label, "available": covered(last_year)},
        "categories": _ranked(cat_counts, limits.categories, "category"),
        "districts": district_rows, "industries": industry_rows,
        "keywords": [{"word": w, "tickets": n} for w, n in kw.month_top(hits, limits.keywords)],
        "rising": {"last_month": rising_against(prev), "last_year": rising_against(last_year)},
        "hot_spots": spots, "areas": area_rows,
        "trend": build_trend(conn, month, limits.trend_months, rules) if with_trend else None,
        "limits": {"hot_min_calls": limits.hot_min_calls, "hot_min_callers": limits.hot_min_callers},
    }


def build_trend(conn, month: Month, months: int = 12, rules=None) -> list[dict[str, Any]]:
    """The ``months`` months ending with ``month``: requests registered (all, as the month's total counts
    them) and the city's three rates as the monthly ranking computes them (analysis_rates)."""
    span = month.last(months)
    rates = city_months(conn, [m.start_ms for m in span] + [month.end_ms], rules)
    return [{"month": m.label, **r} for m, r in zip(span, rates)]
