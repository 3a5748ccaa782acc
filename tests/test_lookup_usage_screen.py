"""F3 ranks ties by this desk's use of the units, read in a worker when the area opens, and says so."""

from __future__ import annotations

from hotline_tui.app import HotlineApp
from hotline_tui.config import Settings
from hotline_tui.services import Desk
from screens.lookup import LookupScreen
from tests.deskkit import Clock, china_ms, new_request
from tests.pilotkit import pilot, rows, settle


@pilot
async def test_f3_puts_the_units_this_desk_uses_first_among_equals(tmp_path):
    clock = Clock(china_ms(2026, 11, 25, 9, 14))
    settings = Settings(store_path=tmp_path / "store.sqlite", config_file=tmp_path / "config.toml",
                        config_exists=False, desk="A07", operator="王芳", role="operator")
    desk = Desk(settings, clock_ms=clock)
    for _ in range(3):
        number = desk.register(new_request())
        desk.act(number, "dispatch", {"lead": "370214-CGJ"})  # 城阳区城市管理局
    app = HotlineApp(settings, desk=desk)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, LookupScreen)
        await pilot.press(*"城管局")
        shown = rows(app.screen)
        assert shown[0].startswith("市城市管理局") and "本台常用" not in shown[0]
        assert shown[1].startswith("城阳区城市管理局") and "本台常用 3 次" in shown[1]
        assert shown[2].startswith("市南区城市管理局") and "本台常用" not in shown[2]


@pilot
async def test_clicking_a_row_picks_that_unit(tmp_path, monkeypatch):
    settings = Settings(store_path=tmp_path / "store.sqlite", config_file=tmp_path / "config.toml",
                        config_exists=False, desk="A07", operator="王芳", role="operator")
    desk = Desk(settings, clock_ms=Clock(china_ms(2026, 11, 25, 9, 14)))
    app = HotlineApp(settings, desk=desk)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press(*"八大关")
        second = rows(app.screen)[1]
        assert second.startswith("八大关社区")
        await pilot.click("#lookup-results", offset=(4, 2))  # inside the border: row 0 is y=1, row 1 is y=2
        await settle(app, pilot)
        assert copied == ["370202009001"]
