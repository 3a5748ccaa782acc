"""F4 工单 driven by keys: open by number, act by single keys, refusals and bad values explained."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from hotline_tui.app import HotlineApp
from screens.action_form import ActionForm
from screens.ticket import TicketScreen, Timeline
from tests.deskkit import TAIDONG, Clock, china_ms, event_count, make_desk, new_request
from tests.pilotkit import pilot, settle


@pytest.fixture
def desk(tmp_path):
    # TestDesk knows a fixed set of real unit codes: no dependency on the directory build.
    return make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 25, 9, 14)))


def recorder(app, monkeypatch) -> list[str]:
    seen: list[str] = []
    real = app.notify
    monkeypatch.setattr(app, "notify", lambda message, *a, **k: (seen.append(str(message)), real(message, *a, **k)))
    return seen


async def open_by_keys(app, pilot, number: str) -> TicketScreen:
    await settle(app, pilot)
    await pilot.press("ctrl+o")
    await pilot.press(*number)
    await pilot.press("enter")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, TicketScreen) and screen.page is not None
    return screen


def header(screen) -> str:
    return str(screen.query_one("#ticket-header", Static).render())


@pilot
async def test_open_a_ticket_and_act_by_keys(desk, monkeypatch):
    number = desk.register(new_request())
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_by_keys(app, pilot, number)
        assert number in header(screen) and "已登记" in header(screen)
        assert screen.query_one(Timeline).line_count == 1

        # d 派单: lead, assist, note; Enter moves on and submits from the last field
        await pilot.press("d")
        assert isinstance(app.screen, ActionForm)
        await pilot.press(*TAIDONG, "enter", "enter", *"请核实", "enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.page.state == "dispatched"
        assert "待签收" in header(screen)
        assert "台东街道" in header(screen) or TAIDONG in header(screen)
        assert "剩余 5 个工作日" in header(screen)

        # c 签收 (no required field), then n 备注
        await pilot.press("c", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("n", *"已电话联系", "enter")
        await settle(app, pilot)
        assert screen.query_one(Timeline).line_count == 4
        assert [e.kind for e in desk.show(number).events] == ["register", "dispatch", "claim", "note"]


@pilot
async def test_a_refused_action_is_explained_and_writes_nothing(desk, monkeypatch):
    number = desk.register(new_request())
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = recorder(app, monkeypatch)
        screen = await open_by_keys(app, pilot, number)
        before = event_count(desk)
        await pilot.press("z")  # 办结 a ticket that is only registered
        await pilot.pause()
        assert not isinstance(app.screen, ActionForm)
        assert any("cannot close" in s for s in seen)
        assert screen.check_action("act", ("close",)) is None  # shown dimmed in the footer
        await pilot.press("s")  # 督办 is a supervisor's
        await pilot.pause()
        assert any("operator may not supervise" in s for s in seen)
        assert event_count(desk) == before


@pilot
async def test_an_invalid_value_is_explained_in_the_form_and_nothing_is_lost(desk, monkeypatch):
    number = desk.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_by_keys(app, pilot, number)
        before = event_count(desk)
        await pilot.press("e", *"需要现场勘查", "enter", "9", "9", "enter")  # 申请延期 99 days
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ActionForm)
        error = str(form.query_one("#form-error", Static).render())
        assert "between 1 and" in error
        assert form.query_one("#field-reason", Input).value == "需要现场勘查"
        assert event_count(desk) == before
        # fix the value and submit again
        days = form.query_one("#field-days", Input)
        days.value = "3"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ActionForm)
        assert event_count(desk) == before + 1


@pilot
async def test_markup_in_ticket_text_stays_plain(desk):
    number = desk.register(new_request(description="油烟 [bold red]大[/] [link=x]y[/link]"))
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_by_keys(app, pilot, number)
        assert "[bold red]大[/]" in header(screen)
        assert "[link=x]y[/link]" in screen.page.timeline[0].plain


@pilot
async def test_recent_list_opens_the_newest_ticket(desk):
    first = desk.register(new_request())
    newest = desk.register(new_request(description="第二件: 噪音扰民"))
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert app.screen.name == "recent"
        assert app.screen.query_one("#recent-list").numbers == [newest, first]
        await pilot.press("down", "up", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen) and app.screen.page.number == newest


@pilot
async def test_the_recent_list_opened_while_the_store_is_still_opening_fills_when_it_opens(desk, monkeypatch):
    """A large store takes a while to open: the list says so, then lists without being opened again."""
    import threading

    from hotline_tui.services import Desk

    first = desk.register(new_request())
    gate = threading.Event()
    today = Desk.today

    def slow_today(self):
        gate.wait(10)
        return today(self)

    monkeypatch.setattr(Desk, "today", slow_today)
    app = HotlineApp(desk.settings)  # the app opens the store itself, in its worker
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.desk is None
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen.name == "recent"
        recent = app.screen.query_one("#recent-list")
        assert "正在打开工单库" in recent.render_line(0).text and recent.numbers == []
        gate.set()
        await settle(app, pilot)
        await settle(app, pilot)
        assert recent.numbers == [first]
