"""F5 督办 driven by keys with Pilot, on a demo store: the first view, typing a filter (faults in place), presets,
sort, groups and drilling in, marks and an action on the marked set with its reason, Enter to F4 and Esc back to
the same row, saved filters and the last filter on restart, a role that may not act, and 80×24."""

from __future__ import annotations

import shutil

import pytest

from hotline_tui.app import HotlineApp
from hotline_tui.query.presets import PRESETS
from screens.filter_line import FilterLine
from screens.supervise import SuperviseScreen
from screens.ticket import TicketScreen
from screens.ticket_list import TicketList
from tests import querykit
from tests.deskkit import event_count
from tests.pilotkit import pilot, settle


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("f5")
    desk, truth = querykit.build(folder)
    desk.store.close()
    return folder, truth


@pytest.fixture
def desk_for(built, tmp_path):
    """A desk of the given role on a copy of the demo store (each test may write)."""
    folder, _truth = built
    for name in ("store.sqlite", "store.sqlite-wal", "store.sqlite-shm"):
        if (folder / name).exists():
            shutil.copy(folder / name, tmp_path / name)
    return lambda role="supervisor": querykit.demo_desk(tmp_path, role=role)


def notes(app, monkeypatch) -> list[str]:
    seen: list[str] = []
    real = app.notify
    monkeypatch.setattr(app, "notify", lambda message, *a, **k: (seen.append(str(message)), real(message, *a, **k)))
    return seen


async def open_f5(app, pilot) -> SuperviseScreen:
    await settle(app, pilot)
    await pilot.press("f5")
    for _ in range(3):
        await settle(app, pilot)
    assert isinstance(app.screen, SuperviseScreen)
    return app.screen


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def type_filter(app, pilot, text: str) -> None:
    await pilot.press("slash")
    line = app.screen.query_one(FilterLine)
    line.value = ""
    await pilot.press(*[ch if ch != " " else "space" for ch in text])
    for _ in range(2):
        await settle(app, pilot)


@pilot
async def test_the_first_view_is_the_overdue_list_most_overdue_first(desk_for):
    desk = desk_for()
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_f5(app, pilot)
        assert screen.query_one(FilterLine).value == PRESETS[0].filter
        tickets = screen.query_one(TicketList)
        want = desk.query_page("overdue", sort="due", limit=100)["rows"]
        assert tickets.numbers[:len(want)] == [r["number"] for r in want] and want
        assert f"{desk.query_count('overdue'):,} 件" in text_of(screen, "#filter-count")
        assert "超期" in text_of(screen, "#filter-note")
        assert app.focused is tickets
        assert want[0]["number"] in text_of(screen, "#preview")


@pilot
async def test_typing_a_filter_lists_it_and_a_fault_is_shown_where_it_is(desk_for):
    desk = desk_for()
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_f5(app, pilot)
        await type_filter(app, pilot, "nature:投诉 channel:信访")
        tickets = screen.query_one(TicketList)
        assert set(tickets.numbers) == querykit.matches(desk, "nature:投诉 channel:信访") or len(tickets.numbers) >= 100
        shown = list(tickets.numbers)
        screen.query_one(FilterLine).value = "nature:投诉 chanel:信访"  # one edit (typing passes through readable ones)
        for _ in range(2):
            await settle(app, pilot)
        note = text_of(screen, "#filter-note")
        assert "第 11 列" in note and "did you mean channel" in note and "^^^^^^" in note
        assert tickets.numbers == shown  # the list stays as it was until the filter reads
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.focused is tickets


@pilot
async def test_presets_sort_and_completion_by_keys(desk_for):
    desk = desk_for()
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_f5(app, pilot)
        line = screen.query_one(FilterLine)
        await pilot.press("6")
        await settle(app, pilot)
        assert line.value == "returned>=2 sort:new"
        assert set(screen.query_one(TicketList).numbers) == querykit.matches(desk, "returned>=2")
        await pilot.press("o")
        await settle(app, pilot)
        assert line.value == "returned>=2 sort:repeats"
        await pilot.press("slash")
        line.value = ""
        await pilot.press("u", "n")
        await settle(app, pilot)
        await pilot.press("tab")
        assert line.value == "unit:"
        await pilot.press("tab")  # Tab again: the next choice for what was typed
        assert line.value == "unfinished "
        await pilot.press("tab", "tab")
        assert line.value == "unit:"  # and round again
        await pilot.press("市", "北")
        await settle(app, pilot)
        await pilot.press("tab")
        assert line.value == "unit:市北区"


@pilot
async def test_groups_show_where_the_backlog_sits_and_enter_drills_in(desk_for):
    desk = desk_for()
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_f5(app, pilot)
        await type_filter(app, pilot, "unfinished")
        await pilot.press("enter", "g")
        await settle(app, pilot)
        groups = app.screen.groups
        assert sum(g["count"] for g in groups) == desk.query_count("unfinished")
        top = groups[0]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.query_one(FilterLine).value == f"unfinished {top['filter']}"
        assert desk.query_count(f"unfinished {top['filter']}") == top["count"]
        await pilot.press("g", "tab")
        await settle(app, pilot)
        assert app.screen.by == "unit" and app.screen.groups
        await pilot.press("escape")


@pilot
async def test_marked_tickets_take_one_action_with_its_reason(desk_for, monkeypatch):
    desk = desk_for()
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = notes(app, monkeypatch)
        screen = await open_f5(app, pilot)
        tickets = screen.query_one(TicketList)
        marked = tickets.numbers[:3]
        await pilot.press("space", "space", "space")
        assert tickets.marked == set(marked)
        before = event_count(desk)
        await pilot.press("s")
        await settle(app, pilot)
        assert "将督办 3 件工单" in str(app.screen.query_one("#bulk-plan").render())
        await pilot.press("ctrl+s")  # no reason yet: refused in the form, nothing written
        await settle(app, pilot)
        assert "needs --note" in str(app.screen.query_one("#form-error").render())
        assert event_count(desk) == before
        await pilot.press(*"超期未办", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, SuperviseScreen)
        assert event_count(desk) == before + 3
        assert all("supervised" in desk.store.ticket(n).flags for n in marked)
        assert any("已督办 3 件" in s for s in seen) and not tickets.marked


@pilot
async def test_enter_opens_the_ticket_and_escape_comes_back_to_the_same_row(desk_for):
    desk = desk_for()
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_f5(app, pilot)
        tickets = screen.query_one(TicketList)
        await pilot.press("down", "down", "down")
        chosen = tickets.number
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen) and app.screen.page.number == chosen
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen and tickets.number == chosen and tickets.cursor == 3


@pilot
async def test_saved_filters_and_the_last_filter_come_back(desk_for):
    desk = desk_for()
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_f5(app, pilot)
        await type_filter(app, pilot, "listed unfinished")
        await pilot.press("enter", "w")
        await settle(app, pilot)
        await pilot.press(*"挂牌未结", "enter")
        await settle(app, pilot)
        await pilot.press("1", "v")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one(FilterLine).value == "listed unfinished"
    assert desk.saved_filters().saved == {"挂牌未结": "listed unfinished"}
    again = HotlineApp(desk.settings, desk=desk)
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await open_f5(again, pilot)
        assert screen.query_one(FilterLine).value == "listed unfinished"


@pilot
async def test_an_operator_sees_the_supervisors_keys_dimmed_and_told_why(desk_for, monkeypatch):
    desk = desk_for("operator")
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = notes(app, monkeypatch)
        await open_f5(app, pilot)
        before = event_count(desk)
        await pilot.press("l")
        await settle(app, pilot)
        assert any("may not list" in s for s in seen)
        assert isinstance(app.screen, SuperviseScreen) and event_count(desk) == before


@pilot
async def test_at_80_by_24_the_filter_count_and_rows_are_all_there(desk_for):
    desk = desk_for()
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_f5(app, pilot)
        tickets = screen.query_one(TicketList)
        assert tickets.size.height >= 10 and tickets.size.width >= 76
        assert "件" in text_of(screen, "#filter-count")
        first = tickets.rows[0]
        line = tickets.render_line(tickets.rows.index(first) - tickets.view_top).text
        assert first["number"].split("-")[-1] in line  # the short number fits, with its sequence
        assert tickets.render_line(0).cell_length == tickets.size.width


@pilot
async def test_the_screen_and_the_command_list_the_same_tickets_in_the_same_order(desk_for, tmp_path):
    import json
    import subprocess
    import sys

    desk = desk_for()
    text = "nature:投诉,举报 channel:信访,政府信箱 sort:age"
    env = {"HOTLINE_DB": str(desk.settings.store_path), "HOTLINE_CONFIG": str(tmp_path / "cli.toml"),
           "HOTLINE_ROLE": "supervisor", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "hotline_tui", "query", text, "--json", "--limit", "500"], env=env,
                         capture_output=True, text=True, timeout=120)
    command = json.loads(out.stdout)
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_f5(app, pilot)
        await type_filter(app, pilot, text)
        tickets = screen.query_one(TicketList)
        while not tickets.at_end:  # page to the end of the list, as a person would
            await pilot.press("pagedown")
            await settle(app, pilot)
        assert command["total"] == len(tickets.rows) > 0
        assert [t["number"] for t in command["tickets"]] == tickets.numbers
        assert f"{command['total']:,} 件" in text_of(screen, "#filter-count")


@pilot
async def test_a_filter_typed_while_the_store_opens_is_kept_and_listed_when_it_opens(desk_for, monkeypatch):
    import threading

    from hotline_tui.services import Desk

    desk = desk_for()
    gate = threading.Event()
    today = Desk.today
    monkeypatch.setattr(Desk, "today", lambda self: (gate.wait(10), today(self))[1])
    app = HotlineApp(desk.settings)  # the app opens the store itself, in its worker
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert app.desk is None and isinstance(app.screen, SuperviseScreen)
        await pilot.press("slash", *"listed")
        gate.set()
        for _ in range(3):
            await settle(app, pilot)
        screen = app.screen
        assert screen.query_one(FilterLine).value == "listed"
        assert set(screen.query_one(TicketList).numbers) <= querykit.matches(app.desk, "listed")
        assert screen.query_one(TicketList).numbers
