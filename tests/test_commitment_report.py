"""The monthly report's commitments (不解决找我) by unit: made in the month, due in the month and kept (closed by the
end of the promised day), unkept (not) or still open while the month runs, with the cadres' names; in the JSON,
the Markdown, the xlsx and F6's supervision tab. A report without commitments (published before they were counted)
renders as before."""

from __future__ import annotations

import io

import pytest

from hotline_tui.reports.render_md import render_md
from hotline_tui.reports.render_xlsx import render_xlsx
from tests.deskkit import SHIBEI, SHINAN, TAIDONG, ZHUHAILU, Clock, china_ms, make_desk, new_request
from tests.test_commitment import close


@pytest.fixture
def world(tmp_path):
    clock = Clock(china_ms(2026, 11, 2, 9, 0))
    op = make_desk(tmp_path, role="supervisor", operator="督办员", clock=clock)
    li = make_desk(tmp_path, role="cadre", operator="李处长", unit=SHIBEI, clock=clock)
    zhou = make_desk(tmp_path, role="cadre", operator="=周科长", unit=TAIDONG, clock=clock)  # a name like a formula
    zhao = make_desk(tmp_path, role="cadre", operator="赵处长", unit=SHINAN, clock=clock)
    t = {i: op.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG if i < 6 else ZHUHAILU}))
         for i in range(1, 8)}
    li.act(t[1], "commit", {"due": "2026-11-10", "contact": "1"})
    li.act(t[2], "commit", {"due": "2026-11-20", "contact": "1"})
    li.act(t[3], "commit", {"due": "2026-12-15", "contact": "1"})  # made in November, due in December
    zhao.act(t[6], "commit", {"due": "2026-11-25", "contact": "1"})
    li.act(t[4], "commit", {"due": "2026-11-12", "contact": "1"})
    clock.ms = china_ms(2026, 11, 3, 9, 0)
    zhou.act(t[4], "commit", {"due": "2026-11-28", "contact": "1"})  # replaces 李处长's: counted once, as 周科长's
    clock.ms = china_ms(2026, 11, 5, 9, 0)
    close(op, t[1], clock)
    clock.ms = china_ms(2026, 11, 26, 9, 0)
    close(op, t[6], clock)  # a day late
    clock.ms = china_ms(2026, 11, 27, 9, 0)
    close(op, t[4], clock)
    return op, clock, t


def by_unit(report) -> dict[str, dict]:
    return {r["unit"]: r for r in report["commitments"]}


def test_the_months_commitments_by_unit_once_the_month_is_over(world):
    op, clock, t = world
    clock.ms = china_ms(2026, 12, 2, 9, 0)
    report = op.monthly_report("2026-11")
    rows = by_unit(report)
    assert set(rows) == {SHIBEI, TAIDONG, SHINAN}
    pick = lambda r: (r["made"], r["due"], r["kept"], r["unkept"], r["open"], r["cadres"])  # noqa: E731
    assert pick(rows[SHIBEI]) == (3, 2, 1, 1, 0, ["李处长"])
    assert pick(rows[TAIDONG]) == (1, 1, 1, 0, 0, ["=周科长"])
    assert pick(rows[SHINAN]) == (1, 1, 0, 1, 0, ["赵处长"])
    assert [r["unit"] for r in report["commitments"]][:2] == [SHIBEI, SHINAN]  # most unkept first
    # the same outcomes as each ticket's own folded state says
    now = clock()
    statuses = [op.show(t[i]).ticket.commitment(now) for i in (1, 2, 4, 6)]
    assert statuses == ["kept", "unkept", "kept", "unkept"]


def test_while_the_month_runs_a_day_to_come_is_open(world):
    op, clock, _ = world
    clock.ms = china_ms(2026, 11, 21, 9, 0)  # before 赵处长's day (25th), after 李处长's second (20th)
    rows = by_unit(op.monthly_report("2026-11"))
    assert (rows[SHINAN]["open"], rows[SHINAN]["unkept"]) == (1, 0)
    assert (rows[SHIBEI]["kept"], rows[SHIBEI]["unkept"]) == (1, 1)


def test_markdown_and_xlsx_hold_the_table(world):
    from openpyxl import load_workbook

    op, clock, _ = world
    clock.ms = china_ms(2026, 12, 2, 9, 0)
    report = op.monthly_report("2026-11")
    md = render_md(report)
    section = md.split("## 不解决找我 (挂职干部承诺)", 1)[1]
    assert "| 市北区 | 3 | 2 | 1 | 1 | 0 | 李处长 |" in section
    assert "| 市南区 | 1 | 1 | 0 | 1 | 0 | 赵处长 |" in section
    wb = load_workbook(io.BytesIO(render_xlsx(report)))
    ws = wb["不解决找我"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["单位", "本月承诺", "本月到期", "已兑现", "未兑现", "承诺中", "承诺干部"]
    assert ["市北区", 3, 2, 1, 1, 0, "李处长"] in values
    assert [r for r in values if r[0] == "台东街道"] == [["台东街道", 1, 1, 1, 0, 0, "'=周科长"]]  # text, never a formula
    assert all(ws.cell(row=i, column=7).data_type != "f" for i in range(1, ws.max_row + 1))


def test_a_report_without_commitments_renders_as_before(world):
    op, clock, _ = world
    clock.ms = china_ms(2026, 12, 2, 9, 0)
    report = op.monthly_report("2026-11")
    older = {k: v for k, v in report.items() if k != "commitments"}
    assert "不解决找我" not in render_md(older)
    assert render_md(report).startswith(render_md(older).rstrip("\n"))
    empty = dict(report, commitments=[])
    assert "本月无挂职干部承诺。" in render_md(empty)


def test_f6_shows_the_commitments_under_the_supervision_list(world):
    from hotline_tui.app import HotlineApp
    from screens.reports import ReportsScreen
    from tests.pilotkit import pilot, settle

    op, clock, _ = world
    clock.ms = china_ms(2026, 12, 2, 9, 0)

    @pilot
    async def run():
        app = HotlineApp(op.settings, desk=op)
        async with app.run_test(size=(80, 24)) as p:
            await settle(app, p)
            await p.press("f6")
            await settle(app, p)
            screen = app.screen
            assert isinstance(screen, ReportsScreen)
            screen.show_month("2026-11")
            await settle(app, p)
            from screens.lines import LineView

            lines = [str(line) for line in screen.query_one("#view-supervision", LineView)._lines]
            heading = [i for i, line in enumerate(lines) if line.startswith("不解决找我")]
            assert heading, lines
            shown = lines[heading[0] + 1:]
            assert any(line.startswith("市北区") and "李处长" in line for line in shown)
            assert any(line.startswith("市南区") and "赵处长" in line for line in shown)

    run()
