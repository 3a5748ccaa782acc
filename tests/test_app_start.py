"""The desk starts headless, shows the frame's header, switches areas by F-key and explains F9."""

from __future__ import annotations

import os
from pathlib import Path

from hotline_tui.app import HotlineApp
from screens.frame import DeskHeader
from screens.ticket import TicketScreen
from tests.deskkit import Clock, china_ms, make_desk
from tests.pilotkit import pilot


def header_text(app) -> str:
    return str(app.screen.query_one(DeskHeader).render())


def notes(app, monkeypatch) -> list[str]:
    seen: list[str] = []
    real = app.notify
    monkeypatch.setattr(app, "notify", lambda message, *a, **k: (seen.append(str(message)), real(message, *a, **k)))
    return seen


@pilot
async def test_first_screen_shows_the_frame(tmp_path):
    desk = make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 25, 9, 0)))  # a Wednesday
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TicketScreen)
        text = header_text(app)
        assert "12345 青岛 · desk A07 · 王芳 (operator)" in text
        assert "hub: none" in text
        assert "2026-11-25 周三 工作日" in text
        assert "F4 工单" in text


@pilot
async def test_settings_from_the_environment_open_the_desk(tmp_path):
    app = HotlineApp()  # conftest points HOTLINE_DB / HOTLINE_CONFIG into tmp_path
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.desk is not None
        assert "desk A01 · 接线员 (operator)" in header_text(app)
    store = Path(os.environ["HOTLINE_DB"])
    assert store.parent == tmp_path and store.exists()


@pilot
async def test_f_keys_switch_areas_and_keep_state(tmp_path, monkeypatch):
    desk = make_desk(tmp_path)
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = notes(app, monkeypatch)
        ticket_screen = app.screen
        await pilot.press("f2")
        from screens.intake import IntakeScreen

        assert isinstance(app.screen, IntakeScreen) and app.current_mode == "intake"
        await pilot.press("f7")
        from screens.shadow import ShadowScreen

        assert isinstance(app.screen, ShadowScreen) and app.current_mode == "shadow"
        assert "挂职干部" in str(app.screen.query_one("#shadow-refused").render())  # an operator's desk
        await pilot.press("f4")
        assert app.screen is ticket_screen
        await pilot.press("f9")
        assert any("no hub configured" in s for s in seen)


@pilot
async def test_keymap_from_config_moves_a_binding(tmp_path, monkeypatch):
    import dataclasses

    desk = make_desk(tmp_path)
    settings = dataclasses.replace(desk.settings, keymap={"ticket.recent_alt": "ctrl+t"})
    app = HotlineApp(settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.screen.name == "recent"


def test_every_binding_has_an_id_and_a_description():
    from screens.action_form import ActionForm
    from screens.recent import RecentList, RecentScreen

    for cls in (HotlineApp, TicketScreen, ActionForm, RecentScreen, RecentList):
        for b in cls.BINDINGS:
            assert b.id and b.description, (cls.__name__, b.key)


@pilot
async def test_the_desk_freezes_what_lives_as_long_as_it_while_it_runs(tmp_path):
    import gc

    before = gc.get_freeze_count()
    desk = make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 25, 9, 0)))
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert gc.get_freeze_count() > before  # the directory, engine and widgets left out of full passes
    assert gc.get_freeze_count() == before  # given back when the desk closed
