"""F4's key h: the caller's full number after a stated reason, shown in the form once and audited; refused
(dimmed, explained when pressed, nothing written) to a cadre. Bad reasons tried: none, blanks."""

from __future__ import annotations

from textual.widgets import Static

from hotline_tui.app import HotlineApp
from screens.reveal_form import RevealForm
from tests.deskkit import event_count, make_desk, monday_morning_clock, new_request  # noqa: F401 (the clock fixture)
from tests.pilotkit import pilot, settle
from tests.test_screen_ticket import open_by_keys, recorder


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


@pilot
async def test_the_number_is_shown_after_a_reason_and_the_header_keeps_the_mask(tmp_path, clock, monkeypatch):
    desk = make_desk(tmp_path, clock=clock)
    number = desk.register(new_request())
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_by_keys(app, pilot, number)
        header = str(screen.query_one("#ticket-header", Static).render())
        assert "138****1234" in header and "13805321234" not in header
        before = event_count(desk)
        await pilot.press("h")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RevealForm)
        await pilot.press("enter")  # no reason
        await settle(app, pilot)
        assert "reason is required" in text_of(form, "#form-error") and event_count(desk) == before
        await pilot.press("space", "space", "enter")  # blanks only
        await settle(app, pilot)
        assert "reason is required" in text_of(form, "#form-error") and event_count(desk) == before
        await pilot.press(*"回访核对", "enter")
        await settle(app, pilot)
        assert "13805321234" in text_of(form, "#reveal-value") and event_count(desk) == before + 1
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert "13805321234" not in str(screen.query_one("#ticket-header", Static).render())


@pilot
async def test_a_cadre_gets_no_reveal_key(tmp_path, clock, monkeypatch):
    number = make_desk(tmp_path, clock=clock).register(new_request(handling={"mode": "dispatch", "lead": "370203021"}))
    cadre = make_desk(tmp_path, role="cadre", operator="刘处长", clock=clock, unit="370203021")  # the ticket's unit
    app = HotlineApp(cadre.settings, desk=cadre)
    seen = recorder(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_by_keys(app, pilot, number)
        before = event_count(cadre)
        await pilot.press("h")
        await settle(app, pilot)
        assert not isinstance(app.screen, RevealForm)
        assert any("cadre may not" in m for m in seen)
        assert event_count(cadre) == before
