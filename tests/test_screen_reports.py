"""F6 统计 driven by keys with Pilot on the hand-worked October (tests/reportkit.py): the first view is the last
finished month with the districts' rows as the report has them, [ ] and ← → change the month, m types one (a bad
one is refused with a message and the month stays), the tabs show the units and the supervision list, p publishes
after a confirmation (the screen then says 已发布 and the store holds the publication), an operator's p is refused,
and everything fits 80×24."""

from __future__ import annotations

import pytest

from hotline_tui.app import HotlineApp
from screens.lines import LineView
from screens.reports import ReportsScreen
from tests.deskkit import event_count
from tests.pilotkit import pilot, settle
from tests.reportkit import build_october, desk_at


@pytest.fixture(scope="module")
def october(tmp_path_factory):
    folder = tmp_path_factory.mktemp("f6")
    desk, clock, numbers = build_october(folder)
    report = desk.monthly_report("2026-10")
    desk.store.close()
    return folder, clock, numbers, report


async def open_f6(app, pilot) -> ReportsScreen:
    await settle(app, pilot)
    await pilot.press("f6")
    for _ in range(3):
        await settle(app, pilot)
    assert isinstance(app.screen, ReportsScreen)
    return app.screen


def lines(screen, tab: str) -> list[str]:
    return [t.plain for t in screen.query_one(f"#view-{tab}", LineView)._lines]


def status(screen) -> str:
    return str(screen.query_one("#report-status").render())


def visible(app) -> str:
    return "\n".join(s.text for s in app.screen._compositor.render_strips())


@pilot
async def test_the_last_finished_month_shows_the_reports_rows_and_the_months_change_by_key(october):
    folder, clock, numbers, report = october
    desk = desk_at(folder, clock, role="supervisor")
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_f6(app, pilot)
        assert screen.month == "2026-10" and "未发布" in status(screen)
        shown = lines(screen, "districts")
        assert len(shown) == 10
        for row, line in zip(report["districts"], shown):
            assert row["name"] in line and (row["rank"] is None or line.split()[0] == str(row["rank"]))
            assert (f"{row['claim_rate'] * 100:.1f}%" if row["claim_rate"] is not None else "—") in line
        screen_text = visible(app)
        assert all(r["name"] in screen_text for r in report["districts"])  # all ten fit at 80×24
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert screen.month == "2026-09"
        await pilot.press("right")
        await settle(app, pilot)
        assert screen.month == "2026-10"
        await pilot.press("m", *"2026-13", "enter")
        await settle(app, pilot)
        assert screen.month == "2026-10"  # refused: the month stays
        await pilot.press("escape", "m", *"2026-09", "enter")
        await settle(app, pilot)
        assert screen.month == "2026-09"
        await pilot.press("m", *"2026-10", "enter", "2")
        await settle(app, pilot)
        assert any("市城市管理局" in line for line in lines(screen, "units"))
        await pilot.press("3")
        await settle(app, pilot)
        assert [numbers["g"] in line for line in lines(screen, "supervision")] == [True, True]
        assert "挂牌督办" in visible(app)


@pilot
async def test_p_publishes_after_asking_and_the_screen_says_so(october, tmp_path):
    import shutil

    folder, clock, _numbers, report = october
    shutil.copy(folder / "store.sqlite", tmp_path / "store.sqlite")
    desk = desk_at(tmp_path, clock, role="supervisor")
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_f6(app, pilot)
        before = event_count(desk)
        await pilot.press("p")
        await settle(app, pilot)
        await pilot.press("n")  # asked, and refused: nothing written
        await settle(app, pilot)
        assert event_count(desk) == before and "未发布" in status(screen)
        await pilot.press("p")
        await settle(app, pilot)
        await pilot.press("y")
        for _ in range(3):
            await settle(app, pilot)
        assert "已发布" in status(screen) and event_count(desk) == before + 1
        assert desk.report_published("2026-10")["districts"] == report["districts"]


@pilot
async def test_an_operator_may_not_publish(october, tmp_path, monkeypatch):
    import shutil

    folder, clock, _numbers, _report = october
    shutil.copy(folder / "store.sqlite", tmp_path / "store.sqlite")
    desk = desk_at(tmp_path, clock, role="operator")
    app = HotlineApp(desk.settings, desk=desk)
    seen: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, *a, **k: seen.append(str(message)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_f6(app, pilot)
        before = event_count(desk)
        await pilot.press("p")
        await settle(app, pilot)
        assert any("supervisor" in s for s in seen) and event_count(desk) == before


@pilot
async def test_the_analysis_tab_shows_the_month_or_says_it_is_not_in_this_build(october):
    folder, clock, _numbers, _report = october
    desk = desk_at(folder, clock, role="supervisor")
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_f6(app, pilot)
        await pilot.press("4")
        for _ in range(3):
            await settle(app, pilot)
        try:
            from screens.report_analysis import AnalysisView  # noqa: F401
        except ImportError:
            assert "尚未包含" in str(screen.query_one("#analysis-note").render())
            return
        assert screen._analysis_shown == "2026-10" and "2026-10" in visible(app)
