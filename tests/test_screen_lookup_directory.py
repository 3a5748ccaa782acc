"""F3 单位 with the whole government in the directory: a section under its department with its own duty
card (dated and signed), picked for dispatch as its department; and the "no good match" state, with the
dispatch catalogue's route when the query holds a duty keyword."""

from __future__ import annotations

import pytest

from hotline_tui.app import HotlineApp
from screens.lookup import NO_GOOD_MATCH, UnitFinder, UnitPicker
from tests.deskkit import Clock, china_ms, make_desk
from tests.pilotkit import card, open_lookup, pilot, rows, settle


@pytest.fixture
def desk(tmp_path):
    return make_desk(tmp_path, clock=Clock(china_ms(2026, 12, 2, 9, 0)))


@pilot
async def test_a_section_shows_under_its_department_with_its_dated_card_and_dispatches_to_it(desk, monkeypatch):
    app = HotlineApp(desk.settings, desk=desk)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(app, pilot)
        await pilot.press(*"人社局劳动关系处")
        first = rows(screen)[0]
        assert first.startswith("劳动关系处") and "青岛市 › 市人力资源和社会保障局 › 劳动关系处" in first
        assert "部门·处室" in first
        await settle(app, pilot)
        text = card(screen)
        assert "青岛市人力资源和社会保障局劳动关系处" in text and "上级 市人力资源和社会保障局" in text
        assert "派单至 市人力资源和社会保障局" in text and "职责 劳动合同" in text
        assert "更新 2026-12-02 · 目录维护（据公开资料整理）" in text
        await pilot.press("enter")  # dispatch goes to the department
        assert copied == ["D-RSJ"]


@pilot
async def test_a_generic_card_says_so_and_has_no_date(desk):
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(app, pilot)
        await pilot.press(*"tdjd")
        await settle(app, pilot)
        text = card(screen)
        assert "同级通用清单" in text and "更新 " not in text


@pilot
async def test_no_good_match_is_said_above_the_look_alikes(desk):
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lookup(app, pilot)
        await pilot.press(*"上海浦东")
        shown = rows(screen)
        assert shown[0].startswith(NO_GOOD_MATCH) and "仅字音相近" in shown[0]
        assert len(shown) > 1 and all("相近" in r for r in shown[1:])
        finder = screen.query_one(UnitFinder)
        assert finder.selected()["code"] == "370203020002"  # the highlight is on the first look-alike
        await pilot.press("up")  # the notice line cannot be highlighted
        assert finder.selected() is not None
        # typing on into a good match drops the notice
        await pilot.press(*["backspace"] * 4, *"台东街道")
        assert not rows(screen)[0].startswith(NO_GOOD_MATCH)


@pilot
async def test_the_catalogue_route_is_offered_when_nothing_matches_well(desk):
    app = HotlineApp(desk.settings, desk=desk)
    got: list[str | None] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(UnitPicker(), got.append)
        await settle(app, pilot)
        await pilot.press(*"楼下烧烤店油烟太大")
        shown = rows(app.screen)
        assert shown[0].startswith(NO_GOOD_MATCH) and "派单目录" in shown[0]
        assert shown[1].startswith("市城市管理局") and "派单目录「油烟」" in shown[1]
        await pilot.press("enter")
        await pilot.pause()
        assert got == ["D-CGJ"]
