"""The monthly ranking against a month worked out by hand (tests/reportkit.py): every count and rate of the rows
that have requests, the rows that have none ("—", no division error), the city's totals and the channels, the
supervision list, and a fixture whose figures the test derives from the requests' own events."""

from __future__ import annotations

import pytest

from tests.reportkit import CGJ, OCT, build_october, expected

COUNTS = ("dispatched", "claimed", "claimed_in_time", "returned", "due", "replied", "replied_in_time", "closed",
          "overdue", "callbacks", "satisfied")


@pytest.fixture(scope="module")
def october(tmp_path_factory):
    folder = tmp_path_factory.mktemp("october")
    d, clock, numbers = build_october(folder)
    return d, numbers, d.monthly_report("2026-10")


def _ratio(num: int, den: int):
    return None if den == 0 else num / den


def test_every_count_and_rate_is_the_one_worked_out_from_the_events(october):
    d, numbers, report = october
    want = expected(d, numbers.values(), *OCT)
    rows = {r["unit"]: r for r in report["districts"] + report["units"]}
    assert {k for k in want if k != "*"} == {"370203", "370202", CGJ}
    for code, counts in want.items():
        if code == "*":
            continue
        row = rows[code]
        assert {c: row[c] for c in COUNTS} == {c: counts.get(c, 0) for c in COUNTS}, row["name"]
        assert row["claim_rate"] == _ratio(counts["claimed_in_time"], counts["dispatched"])
        assert row["completion_rate"] == _ratio(counts.get("closed", 0), counts.get("due", 0))
        assert row["feedback_rate"] == _ratio(counts.get("replied_in_time", 0), counts.get("due", 0))
        assert row["satisfaction_rate"] == _ratio(counts.get("satisfied", 0), counts.get("callbacks", 0))
    # what the hand-made story says, in words: 市北区 holds a, b, c (returned to it), h (its return refused) and
    # sep; 市南区 returned c and holds g; 城管局 holds d (never claimed) and f (reassigned to it)
    assert rows["370203"]["dispatched"] == 4 and rows["370203"]["returned"] == 1
    assert rows["370202"]["dispatched"] == 2 and rows["370202"]["returned"] == 1 and rows["370202"]["claimed_in_time"] == 1
    assert rows[CGJ]["dispatched"] == 2 and rows[CGJ]["claimed"] == 1


def test_totals_and_channels_count_the_months_requests(october):
    d, numbers, report = october
    want = expected(d, numbers.values(), *OCT)["*"]
    totals = report["totals"]
    assert totals["registered"] == want["registered"] == 8
    assert {c: totals[c] for c in ("dispatched", "claimed_in_time", "due", "closed", "replied_in_time")} == \
        {c: want.get(c, 0) for c in ("dispatched", "claimed_in_time", "due", "closed", "replied_in_time")}
    channels = {c["channel"]: c for c in report["channels"]}
    assert len(channels) == 6 and sum(c["registered"] for c in channels.values()) == 8
    assert channels["petition"]["registered"] == 2 and channels["mailbox"]["dispatched"] == 1
    assert channels["radio_tv"]["registered"] == 0 and channels["radio_tv"]["claim_rate"] is None
    natures = {c["nature"]: c for c in report["natures"]}
    assert natures["consultation"]["registered"] == 1 and natures["consultation"]["dispatched"] == 0


def test_a_unit_with_no_requests_has_no_rates_and_no_rank(october):
    _, _, report = october
    empty = [r for r in report["units"] if r["dispatched"] == 0 and r["due"] == 0]
    assert len(empty) == len(report["units"]) - 1  # only 城管局 had requests
    for r in empty:
        assert r["claim_rate"] is None and r["completion_rate"] is None and r["feedback_rate"] is None
        assert r["rank"] is None and r["deduction"] == 0
    assert len(report["districts"]) == 10
    ranked = [r for r in report["districts"] if r["rank"] is not None]
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    scores = [r["score"] for r in ranked]
    assert scores == sorted(scores, reverse=True)


def test_the_deduction_follows_the_rule_table(october):
    d, _, report = october
    rules = d.report_rules()
    for r in report["districts"] + report["units"]:
        want = 0.0
        for rule in rules.deductions:
            value = r[rule["rate"]]
            if value is not None and value < rule["target"]:
                want += min(rule["cap"], (rule["target"] - value) * 100 * rule["per_point"])
        assert r["deduction"] == round(want, 2)
        assert r["deduction_ytd"] >= r["deduction"]


def test_the_supervision_list_holds_the_months_listing_and_escalation_with_the_state_now(october):
    d, numbers, report = october
    sup = report["supervision"]
    assert [(s["number"], s["action"]) for s in sup] == [(numbers["g"], "list"), (numbers["g"], "escalate")]
    assert sup[1]["target"] == "媒体" and sup[0]["state_name"] == "办理中" and sup[0]["unit_name"] == "珠海路街道"


def test_the_years_deduction_adds_the_published_months_and_names_the_others(october):
    """Only published months are official figures: a month published earlier in the year adds its deduction,
    the months not published are named as not added, and last month's ranks are computed when unpublished."""
    from hotline_tui.reports.month import Month
    from hotline_tui.reports.monthly import compute

    d, _, report = october
    august = {"districts": [{"unit": r["unit"], "deduction": 1.25} for r in report["districts"][:2]], "units": []}
    with d.store.read() as conn:
        got = compute(conn, Month(2026, 10), d.directory, d.report_rules(),
                      lambda m: august if str(m) == "2026-08" else None)
    assert got["ytd"] == {"published": ["2026-08"],
                          "unpublished": ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06",
                                          "2026-07", "2026-09"]}
    plus = {r["unit"] for r in august["districts"]}
    for r in got["districts"] + got["units"]:
        assert r["deduction_ytd"] == round(r["deduction"] + (1.25 if r["unit"] in plus else 0.0), 2)
    assert report["ytd"]["published"] == [] and len(report["ytd"]["unpublished"]) == 9
