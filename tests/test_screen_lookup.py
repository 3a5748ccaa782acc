"""F3 单位 and the UnitPicker driven by keys: type-ahead, duty card, pick, cancel, hostile text."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from hotline_tui.app import HotlineApp
from screens.lookup import UnitFinder, UnitPicker
from tests.deskkit import TAIDONG, Clock, china_ms, make_desk, new_request
from tests.pilotkit import card, open_lookup, pilot, rows, settle

CGJ = "D-CGJ"  # 市城市管理局 in the shipped directory


@pytest.fixture
def desk(tmp_path):
    return make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 25, 9, 14)))


@pilot
async def test_tdjd_puts_taidong_on_top_with_its_path_and_card(desk):
    number = desk.register(new_request())
    desk.act(number, "dispatch", {"lead": TAIDONG})
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(app, pilot)
        await pilot.press(*"tdjd")
        first = rows(screen)[0]
        assert first.startswith("台东街道") and "青岛市 › 市北区 › 台东街道" in first and "首字母" in first
        await settle(app, pilot)
        text = card(screen)
        assert "台东街道" in text and TAIDONG in text and "上级 市北区" in text
        assert "职责 " in text and "材料 —" in text  # no materials in the directory: shown as —, not invented
        assert "未办结工单 1" in text
        # moving the highlight moves the card
        await pilot.press(*["backspace"] * 4, *"台东")
        assert len(rows(screen)) > 1
        await pilot.press("down")
        await settle(app, pilot)
        second = screen.query_one(UnitFinder).selected()
        assert second is not None and second["code"] != TAIDONG and second["name"] in card(screen)


@pilot
async def test_enter_in_f3_copies_the_code_and_c_copies_from_the_list(desk, monkeypatch):
    app = HotlineApp(desk.settings, desk=desk)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_lookup(app, pilot)
        await pilot.press(*"tdjd", "enter")
        assert copied == [TAIDONG]
        await pilot.press("tab", "c")  # in the list, c is a key, not a letter of the query
        assert copied == [TAIDONG, TAIDONG]
        assert app.screen.query_one("#lookup-query", Input).value == "tdjd"
        await pilot.press("escape", "escape")  # back to the box, then clear it
        assert app.screen.query_one("#lookup-query", Input).value == ""
        assert rows(app.screen) == []


@pilot
async def test_picker_returns_the_chosen_code_or_none(desk):
    app = HotlineApp(desk.settings, desk=desk)
    got: list[str | None] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(UnitPicker(), got.append)
        await settle(app, pilot)
        await pilot.press(*"城管")
        assert rows(app.screen)[0].startswith("市城市管理局")
        await settle(app, pilot)
        assert "市城市管理局" in card(app.screen) and "12319" in card(app.screen)
        await pilot.press("enter")
        await pilot.pause()
        assert got == [CGJ] and not isinstance(app.screen, UnitPicker)

        app.push_screen(UnitPicker(), got.append)
        await settle(app, pilot)
        await pilot.press(*"tdjd", "escape")
        await pilot.pause()
        assert got == [CGJ, None] and not isinstance(app.screen, UnitPicker)


@pilot
async def test_action_form_ctrl_u_uses_the_picker(desk):
    number = desk.register(new_request())
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+o", *number, "enter")
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert app.focused is not None and app.focused.has_class("kind-unit")
        await pilot.press("ctrl+u")  # the form's binding wins over Input's delete-to-start
        await settle(app, pilot)
        assert isinstance(app.screen, UnitPicker)
        await pilot.press(*"tdjd", "enter")
        await settle(app, pilot)
        assert app.focused is not None and isinstance(app.focused, Input) and app.focused.value == TAIDONG


@pilot
async def test_escape_sequences_in_a_query_are_harmless(desk):
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(app, pilot)
        box = screen.query_one("#lookup-query", Input)
        for hostile in ("\x1b[2J\x1b]0;pwned\x07", "[bold red]台东[/]", "\x1b[31m台东\x1b[0m", "\x00\x9b31m"):
            box.value = hostile
            await settle(app, pilot)
            for line in rows(screen) + [card(screen)]:
                assert "\x1b" not in line and "\x07" not in line and "\x9b" not in line and "\x00" not in line
        # markup in a query is text, not style: the list still answers for 台东 inside it
        box.value = "[bold]台东"
        await settle(app, pilot)
        assert all("[bold]" not in r for r in rows(screen))
        assert app.is_running


@pilot
async def test_the_card_waits_for_a_pause_in_typing_the_list_does_not(desk, monkeypatch):
    import screens.lookup as lookup

    monkeypatch.setattr(lookup, "CARD_AFTER", 1.0)  # a pause no burst of Pilot keys outlasts
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(app, pilot)
        assert "sh" in desk.directory._recent  # F3's warm-up worked out the first keys' answers
        finder = screen.query_one(UnitFinder)
        await pilot.press(*"tdjd")
        assert rows(screen)[0].startswith("台东街道")  # the list followed every key
        assert finder.waiting and card(screen) == "未选中单位"  # the card did not: nothing read yet
        assert not [w for w in app.workers if w.group == "lookup-card"]
        await settle(app, pilot)  # the keys paused: the card is read and painted once, with its count
        assert not finder.waiting
        assert "台东街道" in card(screen) and "未办结工单 0" in card(screen)
        await pilot.press("down")  # moved by hand: the card follows at once
        await app.workers.wait_for_complete()
        await pilot.pause()
        second = finder.selected()
        assert not finder.waiting and second["name"] in card(screen)
        await pilot.press("ctrl+u")  # cleared: the card says so at once and nothing is pending
        await pilot.pause()
        assert card(screen) == "未选中单位" and not finder.waiting
