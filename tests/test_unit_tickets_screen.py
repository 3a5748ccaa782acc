"""o in F3 by keys: the unit's open tickets, newest first, overdue marked, Enter opens one in F4; a cadre is
refused another unit's list."""

from __future__ import annotations

from hotline_tui.app import HotlineApp
from screens.lookup import LookupScreen, UnitPicker
from screens.unit_tickets import UnitTicketsScreen
from tests.deskkit import SHINAN, TAIDONG, Clock, china_ms, make_desk, new_request
from tests.pilotkit import card, open_lookup, pilot, settle
from tests.pilotkit import unit_ticket_lines as lines


@pilot
async def test_o_lists_open_tickets_and_enter_opens_one_in_f4(tmp_path):
    clock = Clock(china_ms(2026, 11, 2, 9, 0))
    desk = make_desk(tmp_path, clock=clock)
    old = desk.register(new_request(description="井盖缺失，夜间危险"))
    desk.act(old, "dispatch", {"lead": TAIDONG})
    clock.advance(days=20)  # the first is overdue by now
    new = desk.register(new_request(description="楼道灯不亮"))
    desk.act(new, "dispatch", {"lead": SHINAN, "assist": [TAIDONG]})
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_lookup(app, pilot)
        await pilot.press(*"tdjd")
        await settle(app, pilot)
        assert "未办结工单 2 (主办 1, 协办 1) 超期 1" in card(app.screen)
        await pilot.press("o")  # in the query box o is a letter
        assert not isinstance(app.screen, UnitTicketsScreen)
        await pilot.press("backspace", "tab", "o")
        await settle(app, pilot)
        assert isinstance(app.screen, UnitTicketsScreen)
        shown = lines(app.screen)
        assert len(shown) == 2
        assert new in shown[0] and "协办" in shown[0] and "楼道灯不亮" in shown[0] and "138****1234" in shown[0]
        assert old in shown[1] and "主办" in shown[1] and shown[1].startswith("⚠") and "超期" in shown[1]
        assert "13805321234" not in "".join(shown)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert app.current_mode == "ticket"
        await settle(app, pilot)
        assert app.screen.query_one("#number").value == old
        assert old in str(app.screen.query_one("#ticket-header").render())
        await pilot.press("f3")  # F3 kept its state: the list was a screen on top of it, now gone
        await settle(app, pilot)
        assert isinstance(app.screen, LookupScreen)


@pilot
async def test_escape_goes_back_and_an_empty_unit_says_so(tmp_path):
    desk = make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 25, 9, 14)))
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_lookup(app, pilot)
        await pilot.press(*"tdjd", "tab", "o")
        await settle(app, pilot)
        assert isinstance(app.screen, UnitTicketsScreen)
        assert lines(app.screen) == ["该单位没有未办结工单。"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, LookupScreen)


@pilot
async def test_a_cadre_is_refused_another_units_list(tmp_path):
    clock = Clock(china_ms(2026, 11, 25, 9, 14))
    operator = make_desk(tmp_path, clock=clock)
    number = operator.register(new_request())
    operator.act(number, "dispatch", {"lead": TAIDONG})
    cadre = make_desk(tmp_path, role="cadre", operator="李明", unit=SHINAN, clock=clock)
    app = HotlineApp(cadre.settings, desk=cadre)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_lookup(app, pilot)
        await pilot.press(*"tdjd", "tab", "o")
        await settle(app, pilot)
        assert isinstance(app.screen, LookupScreen)  # not pushed
        assert any("本单位" in str(n.message) for n in app._notifications)
        # the facade refuses too, should a screen ask anyway
        app.push_screen(UnitTicketsScreen(TAIDONG, "台东街道"))
        await settle(app, pilot)
        assert number not in "".join(lines(app.screen)) and "本单位" in lines(app.screen)[0]


@pilot
async def test_the_picker_does_not_open_ticket_lists(tmp_path):
    desk = make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 25, 9, 14)))
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        got: list = []
        app.push_screen(UnitPicker(query="tdjd"), got.append)
        await settle(app, pilot)
        await pilot.press("tab", "o")
        await settle(app, pilot)
        assert isinstance(app.screen, UnitPicker)
        await pilot.press("enter")
        await settle(app, pilot)
        assert got == [TAIDONG]
