"""Publishing the monthly report: stored as an event that syncs (SQLite hub), frozen across a late sync that
brings an event of the month, --recompute's row-by-row changes, republishing only when asked, and who may
publish. Bad input tried: publishing as an operator and as a cadre, publishing a month not over yet."""

from __future__ import annotations

import pytest

from hotline_tui.errors import DomainError, InputError
from tests.deskkit import Clock, china_ms
from tests.reportkit import CGJ, build_october, desk_at


@pytest.fixture()
def two_desks(tmp_path):
    hub = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    a, clock, numbers = build_october(tmp_path, hub=hub)
    a.sync_now()
    b_clock = Clock(china_ms(2026, 10, 30, 10, 0))  # desk B was offline since 30 October
    b = desk_at(tmp_path, b_clock, desk="B02", store="b.sqlite", hub=hub, operator="周敏")
    b.sync_now()
    return a, b, b_clock, numbers


def _row(report, code):
    return next(r for r in report["districts"] + report["units"] if r["unit"] == code)


def test_a_published_month_is_frozen_across_a_late_sync_and_reaches_the_other_desk(two_desks):
    a, b, b_clock, numbers = two_desks
    b.act(numbers["d"], "claim", {})  # recorded on B on 30 October, not yet synced
    before = a.monthly_report("2026-10")
    assert before["published"] is False and _row(before, CGJ)["claimed"] == 1
    result = a.publish_report("2026-10")
    assert result["status"] == "published" and result["report"]["published"] is True
    a.sync_now()
    b_clock.ms = china_ms(2026, 11, 10, 11, 0)
    b.sync_now()  # pushes the late claim, receives the publication
    a.sync_now()  # the late claim arrives at A
    assert a.monthly_report("2026-10", fresh=True)["units"] != before["units"]  # the month did change
    for desk in (a, b):
        shown = desk.monthly_report("2026-10")
        assert shown["published"] is True and shown["publication"]["desk"] == "A07"
        assert _row(shown, CGJ)["claimed"] == 1 and shown["units"] == result["report"]["units"]
    diff = a.report_changes("2026-10")
    changed = {(c["key"], c["field"]): (c["published"], c["now"]) for c in diff["changes"]}
    assert changed[(CGJ, "claimed")] == (1, 2) and (CGJ, "claimed_in_time") not in changed  # late: not in time
    assert all(c["table"] in ("units", "totals", "channels", "natures") for c in diff["changes"])
    again = a.publish_report("2026-10")  # without recompute: the stored one, nothing written
    assert again["status"] == "already" and again["report"]["publication"]["count"] == 1
    redo = a.publish_report("2026-10", recompute=True)
    assert redo["status"] == "republished" and _row(redo["report"], CGJ)["claimed"] == 2
    assert a.monthly_report("2026-10")["publication"]["count"] == 2
    assert a.publish_report("2026-10", recompute=True)["status"] == "unchanged"


@pytest.mark.parametrize("role", ["operator", "cadre"])
def test_only_a_supervisor_publishes(tmp_path, role):
    a, clock, _ = build_october(tmp_path)
    other = desk_at(tmp_path, clock, role=role)
    with pytest.raises(DomainError, match="supervisor"):
        other.publish_report("2026-10")
    assert other.report_published("2026-10") is None
    with pytest.raises(InputError, match="not over yet"):
        a.publish_report("2026-11")
    assert a.report_published("2026-11") is None
