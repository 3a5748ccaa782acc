"""The month's analysis (决策参考) on a small store: every count, share, rise and rate is worked out here from
the tickets as the domain folded them (tests/analysiskit.py) and compared with ``Desk.analysis``.

Keywords are counted here by a plain substring scan of each request's description and address; the analysis
counts them with the full-text index: the two must agree."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import Counter

import pytest

from hotline_tui.resources import data_dir
from hotline_tui.routing.taxonomy import load_taxonomy
from hotline_tui.store import search_text
from tests import analysiskit as kit
from tests.deskkit import china_ms

SEP = " › "


@pytest.fixture(scope="module")
def fx(tmp_path_factory):
    return kit.build(tmp_path_factory.mktemp("analysis"))


@pytest.fixture(scope="module")
def tickets(fx):
    return fx.tickets()


@pytest.fixture(scope="module")
def result(fx):
    return fx.desk.analysis(kit.MONTH)


def bounds(label: str) -> tuple[int, int]:
    y, m = map(int, label.split("-"))
    ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
    return china_ms(y, m, 1), china_ms(ny, nm, 1)


def of_month(tickets, label):
    a, b = bounds(label)
    return [t for t in tickets if a <= t.registered_ms < b]


def requests(tickets, label):
    """The month's requests: its tickets but the merged ones (calls about a request already there)."""
    return [t for t in of_month(tickets, label) if t.state != "merged"]


def cat(t) -> str:
    return SEP.join(t.category)


def ranked(counter: Counter, limit: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def districts(fx) -> dict[str, str]:
    return {u.code: u.name for u in fx.desk.directory if u.kind == "district"}


# --- counts by district, industry and category -----------------------------------------------------------

def test_totals_districts_and_industries(fx, tickets, result):
    month = requests(tickets, kit.MONTH)
    assert result["tickets"] == len(month) == 11  # not the merged request: it is a call about another one
    assert result["calls"] == sum(t.call_count for t in of_month(tickets, kit.MONTH)) == 14
    names = districts(fx)
    by_d = Counter(t.place[:6] for t in month)
    rows = {d["code"]: d for d in result["districts"]}
    assert set(rows) == set(names)  # every district has its row, with or without requests
    for code, row in rows.items():
        assert row["name"] == names[code]
        assert row["tickets"] == by_d.get(code, 0)
        assert row["share"] == pytest.approx(by_d.get(code, 0) / len(month))
        expect = ranked(Counter(cat(t) for t in month if t.place[:6] == code), 5)
        assert [(c["category"], c["tickets"]) for c in row["top_categories"]] == expect
    by_i = Counter(t.category[0] for t in month)
    assert [(r["name"], r["tickets"]) for r in result["industries"]] == ranked(by_i, 99)
    for r in result["industries"]:
        assert r["share"] == pytest.approx(by_i[r["name"]] / len(month))
    assert [(c["category"], c["tickets"]) for c in result["categories"]] == ranked(Counter(map(cat, month)), 10)


# --- keywords ----------------------------------------------------------------------------------------------

def expected_keywords(month) -> dict[str, set[str]]:
    words = set()
    for c in load_taxonomy().categories:
        for w in (*c.keywords, c.path[2]):
            segs = search_text.segments(w)
            if len(segs) == 1 and len(segs[0]) >= 2:
                words.add(segs[0])
    with (data_dir() / "analysis_keywords.toml").open("rb") as fh:
        inside = tomllib.load(fh)["inside"]
    hits: dict[str, set[str]] = {}
    for t in month:
        segs = search_text.segments(f"{t.description} {t.address}")
        for w in words:
            if any(w in s for s in segs) and not any(x in s for x in inside.get(w, ()) for s in segs):
                hits.setdefault(w, set()).add(t.number)
    return {w: s for w, s in hits.items()
            if not any(w != o and w in o and hits[o] == s for o in hits)}


def test_keywords_are_the_words_callers_wrote(fx, tickets, result):
    month = requests(tickets, kit.MONTH)
    hits = expected_keywords(month)
    assert "拖欠工资" in hits and "动车" not in hits  # 电动车 and 机动车 hold 动车: not counted there
    assert [(k["word"], k["tickets"]) for k in result["keywords"]] == ranked(Counter({w: len(s) for w, s in hits.items()}), 15)
    shibei = next(d for d in result["districts"] if d["code"] == "370203")
    in_shibei = {t.number for t in month if t.place.startswith("370203")}
    expect = ranked(Counter({w: len(s & in_shibei) for w, s in hits.items() if s & in_shibei}), 5)
    assert [(k["word"], k["tickets"]) for k in shibei["top_keywords"]] == expect
    for word in (k["word"] for k in result["keywords"]):  # nothing invented: each word is in some request's text
        assert any(word in f"{t.description} {t.address}" for t in month)


# --- rising topics, hot spots, areas -------------------------------------------------------------------------

def expected_rises(now, before) -> list[tuple]:
    a, b = Counter(map(cat, now)), Counter(map(cat, before))
    rows = [(c, a[c], b[c], a[c] - b[c]) for c in set(a) | set(b) if a[c] > b[c]]
    return sorted(rows, key=lambda r: (-r[3], -r[1], r[0]))[:10]


@pytest.mark.parametrize("key, other", [("last_month", kit.LAST_MONTH), ("last_year", kit.LAST_YEAR)])
def test_rising_topics(tickets, result, key, other):
    expect = expected_rises(requests(tickets, kit.MONTH), requests(tickets, other))
    got = [(r["category"], r["tickets"], r["before"], r["rise"]) for r in result["rising"][key]]
    assert got == expect and expect
    for r in result["rising"][key]:
        assert r["ratio"] == (pytest.approx(r["rise"] / r["before"]) if r["before"] else None)


def test_hot_spots_are_one_place_and_matter_called_about_by_several(fx, tickets, result):
    groups: dict[tuple, list] = {}
    for t in of_month(tickets, kit.MONTH):
        groups.setdefault((t.place, cat(t)), []).append(t)
    expect = []
    for (place, category), ts in groups.items():
        calls = sum(t.call_count for t in ts)  # every call, the merged request's too
        callers = len({t.caller_phone for t in ts if t.caller_phone}) + sum(1 for t in ts if not t.caller_phone)
        if calls >= 3 and callers >= 2:
            expect.append((place, category, sum(1 for t in ts if t.state != "merged"), calls, callers))
    expect.sort(key=lambda r: (-r[3], -r[4], r[0], r[1]))
    got = [(s["place"], s["category"], s["tickets"], s["calls"], s["callers"]) for s in result["hot_spots"]]
    assert got == expect
    assert [r[:2] for r in expect] == [(kit.WEIHAI, SEP.join(kit.STALLS)), ("370203021", SEP.join(kit.WAGES))]
    assert SEP.join(kit.HEATING) not in {r[1] for r in expect}  # three calls, but all from one caller
    assert result["hot_spots"][0]["place_name"] == "市北区 › 台东街道 › 威海路社区"


def test_ten_livelihood_areas_share_the_month(tickets, result):
    with (data_dir() / "livelihood_areas.toml").open("rb") as fh:
        areas = tomllib.load(fh)["area"]

    def area_of(t):
        best = None
        for a in areas:
            for p in a["categories"]:
                parts = p.split(SEP)
                if t.category[:len(parts)] == parts and (best is None or len(parts) > best[1]):
                    best = (a["name"], len(parts))
        return best[0] if best else "其他 (未归入十大领域)"

    month = requests(tickets, kit.MONTH)
    counts = Counter(map(area_of, month))
    assert [r["area"] for r in result["areas"]] == [a["name"] for a in areas] + ["其他 (未归入十大领域)"]
    for r in result["areas"]:
        assert r["tickets"] == counts.get(r["area"], 0)
        assert r["share"] == pytest.approx(counts.get(r["area"], 0) / len(month))
    assert sum(r["tickets"] for r in result["areas"]) == len(month)


# --- twelve months of volume and rates ------------------------------------------------------------------------

ANSWERED = ("reply_review", "awaiting_callback", "visited", "closed")  # a reply that stands (README, monthly ranking)


def expected_rates(tickets, label) -> dict:
    """The city's rates with the default formulas, as the monthly ranking counts (merged requests left out)."""
    a, b = bounds(label)
    kept = [t for t in tickets if t.state != "merged"]
    dispatched = [t for t in of_month(kept, label) if t.lead_unit]
    due = [t for t in kept if t.lead_unit and t.due_ms is not None and a <= t.due_ms < b]
    counts = {"dispatched": len(dispatched),
              "claimed_in_time": sum(1 for t in dispatched if t.claimed_ms and t.claim_due_ms and t.claimed_ms <= t.claim_due_ms),
              "due": len(due), "closed": sum(1 for t in due if t.closed_ms and t.closed_ms < b),
              "replied_in_time": sum(1 for t in due if t.state in ANSWERED and t.replied_ms and t.replied_ms <= t.due_ms)}
    counts["claim_rate"] = counts["claimed_in_time"] / counts["dispatched"] if counts["dispatched"] else None
    counts["completion_rate"] = counts["closed"] / counts["due"] if counts["due"] else None
    counts["feedback_rate"] = counts["replied_in_time"] / counts["due"] if counts["due"] else None
    return counts


def test_twelve_months_of_volume_and_rates(tickets, result):
    labels = [r["month"] for r in result["trend"]]
    first = dt.date(2025, 12, 1)
    assert labels == [f"{first.year + (first.month - 1 + i) // 12}-{(first.month - 1 + i) % 12 + 1:02d}" for i in range(12)]
    assert labels[-1] == kit.MONTH
    for row in result["trend"]:
        assert row["tickets"] == len(requests(tickets, row["month"]))
        expect = expected_rates(tickets, row["month"])
        assert {k: row[k] for k in expect} == pytest.approx(expect)
    a, _ = bounds(labels[0])
    assert any(t.registered_ms < a <= t.due_ms for t in tickets)  # due in the twelve months, registered before
    nov = result["trend"][-1]
    assert nov["claim_rate"] is not None and 0 < nov["claim_rate"] < 1  # one request was claimed ten days late


def test_an_empty_month_is_a_clear_empty_report(fx):
    a = fx.desk.analysis(kit.EMPTY_MONTH)
    assert a["tickets"] == a["calls"] == 0 and a["keywords"] == [] and a["hot_spots"] == [] and a["categories"] == []
    assert all(d["tickets"] == 0 and d["share"] is None for d in a["districts"])
    assert all(r["tickets"] == 0 and r["share"] is None for r in a["areas"])
    june = a["trend"][-1]
    assert june["claim_rate"] is None and june["tickets"] == 0
    assert a["rising"]["last_month"] == []  # nothing rose from May's nothing
    assert a["rising"]["last_year"] is None  # June 2025 is before the store's first request


def test_the_trend_follows_new_events(tmp_path):
    """The desk remembers the twelve months until the log grows: a request registered and dispatched this
    month is counted at once."""
    fx = kit.build(tmp_path)
    this_month = "2026-12"
    before = fx.desk.analysis_trend(this_month)
    assert fx.desk.analysis_trend(this_month) == before
    fx.numbers.append(fx.desk.register(kit._request(kit.STALLS, kit.WEIHAI, "占道经营", "13800000099",
                                                    handling={"mode": "dispatch", "lead": kit.TAIDONG})))
    after = fx.desk.analysis_trend(this_month)
    assert after[-1]["tickets"] == before[-1]["tickets"] + 1 == len(requests(fx.tickets(), this_month))
    assert after[-1]["dispatched"] == before[-1]["dispatched"] + 1
    expect = expected_rates(fx.tickets(), this_month)
    assert {k: after[-1][k] for k in expect} == pytest.approx(expect)


def test_the_rates_are_the_monthly_rankings_city_figures(fx, result):
    """The analysis's rates are the 全市 totals of the monthly ranking of the same month (same counts, same
    formulas), so the two reports never disagree."""
    totals = fx.desk.monthly_report(kit.MONTH, fresh=True)["totals"]
    last = result["trend"][-1]
    for k in ("dispatched", "claimed_in_time", "due", "closed", "replied_in_time", "claim_rate", "completion_rate",
              "feedback_rate"):
        assert last[k] == totals[k], k
