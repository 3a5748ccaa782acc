"""F7 体悟 by keys, at 80x24 and 120x40: a cadre starts a shift beside an operator, sees their unit's open requests
overdue first and the operator's live draft written by a second desk on the same store, takes a call on F2 with
the operator's confirmation (我当接线员), sees it among the calls heard and on F4's timeline, and ends the shift.
A desk that is not a cadre's sees one line saying F7 is the visiting cadre's.

Bad input tried here: a wrong name in the operator's confirmation, T with no shift open, S as a non-cadre."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from hotline_tui.app import HotlineApp
from hotline_tui.services import Desk
from screens.intake import IntakeScreen
from screens.intake_confirm import DispatchConfirm
from screens.shadow import ShadowScreen, ShiftCallList, UnitOpenList
from screens.shift_forms import EndShiftConfirm, StartShiftForm, TakeCallConfirm
from tests.deskkit import TAIDONG, Clock, china_ms, event_count, make_desk, new_request
from tests.pilotkit import pilot, settle

SIZES = [(80, 24), (120, 40)]
STANDARD_KEYS = ["1", "3", "8", "0", "5", "3", "2", "1", "2", "3", "4", "enter", "enter", "1", *"zdjy", "enter", *"td",
                 "enter", "enter", *"烧烤摊占道经营"]


def text_of(screen, wid: str) -> str:
    return str(screen.query_one(f"#{wid}", Static).render())


def desks(tmp_path):
    """The operator 王芳 at A03 and the cadre 李处长 of 台东街道 at B01: two desks on one store file."""
    clock = Clock(china_ms(2026, 11, 2, 9, 0))
    operator = Desk(make_desk(tmp_path, desk="A03", operator="王芳", clock=clock).settings, clock_ms=clock)
    late = operator.register(new_request(description="井盖缺失，夜间危险"))
    operator.act(late, "dispatch", {"lead": TAIDONG})
    clock.advance(days=20)  # overdue by now
    fresh = operator.register(new_request(description="楼道灯不亮"))
    operator.act(fresh, "dispatch", {"lead": TAIDONG})
    clock.advance(minutes=5)
    cadre = Desk(make_desk(tmp_path, role="cadre", desk="B01", operator="李处长", unit=TAIDONG, clock=clock).settings,
                 clock_ms=clock)
    return clock, operator, cadre, late, fresh


async def poll(app, pilot) -> None:
    await pilot.pause(1.2)  # F7 polls about once a second
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pilot
async def test_a_cadre_sits_a_shift_takes_a_call_and_ends_it(tmp_path, size):
    clock, operator, cadre, late, fresh = desks(tmp_path)
    app = HotlineApp(cadre.settings, desk=cadre)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ShadowScreen)
        assert "未开始体悟" in text_of(screen, "shadow-head")
        assert "台东街道" in text_of(screen, "shadow-head")
        assert "职责" in text_of(screen, "shadow-card")
        assert "本单位未办结 2 件 (超期 1)" in text_of(screen, "shadow-counts")
        units = screen.query_one(UnitOpenList).shown()
        assert late in units[0] and units[0].startswith("⚠") and "超期" in units[0]
        assert fresh in units[1] and not units[1].startswith("⚠")

        await pilot.press("t")  # T with no shift open: said, nothing opened
        await settle(app, pilot)
        assert app.screen is screen and any("先按 S 开始体悟" in str(n.message) for n in app._notifications)

        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, StartShiftForm)
        await pilot.press(*"王芳", "enter", *"A03", "enter")
        await settle(app, pilot)
        assert app.screen is screen
        await poll(app, pilot)
        head = text_of(screen, "shadow-head")
        assert "陪同接线员 A03 王芳" in head and "09:05 起" in head
        assert "当前没有正在受理的来电" in text_of(screen, "shadow-live")

        # the operator, at their own desk on the same store, is typing a call
        clock.advance(minutes=1)
        assert operator.publish_live_draft({"caller_phone": "13906391234", "nature": "complaint",
                                            "category": ["城乡建设", "市容环境", "占道经营"], "place": TAIDONG,
                                            "description": "烧烤摊占用人行道经营"})
        await poll(app, pilot)
        live = text_of(screen, "shadow-live")
        assert "139****1234" in live and "13906391234" not in live and "烧烤摊" in live and "台东街道" in live
        operator.clear_live_draft()  # saved: the panel empties at the next poll
        await poll(app, pilot)
        assert "当前没有正在受理的来电" in text_of(screen, "shadow-live")

        # 我当接线员: the operator confirms by name; a wrong name is refused in place
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, TakeCallConfirm)
        await pilot.press(*"张敏", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TakeCallConfirm) and "王芳" in text_of(app.screen, "take-call-error")
        await pilot.press("ctrl+u", *"王芳", "enter")
        await settle(app, pilot)
        intake = app.screen
        assert isinstance(intake, IntakeScreen) and app.current_mode == "intake"
        assert "我当接线员" in text_of(intake, "intake-taking") and "王芳 已确认" in text_of(intake, "intake-taking")
        await pilot.press(*STANDARD_KEYS)
        await pilot.pause(0.4)
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        if isinstance(app.screen, DispatchConfirm):
            await pilot.press("enter")
            await settle(app, pilot)
        done = text_of(intake, "intake-done")
        assert "已受理" in done and "我当接线员" in done
        number = done.split()[1]
        assert not intake.query("#intake-taking")  # one call: the form is the operator's again
        first = cadre.show(number).events[0]
        assert first.actor == "李处长" and first.payload["taken_by"] == "李处长" and first.payload["operator"] == "王芳"

        await pilot.press("f7")
        await poll(app, pilot)
        calls = screen.query_one(ShiftCallList).shown()
        assert number in calls[0] and calls[0].startswith("我接")
        assert "来电 1 我接 1" in text_of(screen, "shadow-head")
        await pilot.press("tab")
        assert screen.query_one(ShiftCallList).has_focus
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "ticket"
        await settle(app, pilot)
        assert app.screen.query_one("#number").value == number
        assert "我当接线员 李处长 (接线员 王芳 确认)" in app.screen.page.timeline[0].plain

        await pilot.press("f7")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, EndShiftConfirm)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        await poll(app, pilot)
        assert "未开始体悟" in text_of(screen, "shadow-head")
        [ended] = cadre.shift_list()
        assert ended["status"] == "ended" and (ended["heard"], ended["taken"]) == (1, 1)


@pytest.mark.parametrize("role", ["operator", "supervisor"])
@pilot
async def test_a_non_cadre_sees_only_that_f7_is_the_cadres(tmp_path, role):
    desk = make_desk(tmp_path, role=role, unit=TAIDONG, clock=Clock(china_ms(2026, 11, 25, 9, 14)))
    desk.register(new_request())
    before = event_count(desk)
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ShadowScreen)
        assert "F7 接线体悟是挂职干部" in text_of(screen, "shadow-refused") and role in text_of(screen, "shadow-refused")
        assert not screen.query("TicketList") and not screen.query("#shadow-live")
        await pilot.press("s", "t", "e")
        await settle(app, pilot)
        assert app.screen is screen
    assert event_count(desk) == before


@pilot
async def test_the_operators_intake_screen_publishes_its_draft_only_beside_a_shift(tmp_path):
    clock, operator, cadre, _late, _fresh = desks(tmp_path)
    app = HotlineApp(operator.settings, desk=operator)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press(*"13906391234", "enter")
        await pilot.pause(0.7)
        await settle(app, pilot)
        assert cadre.shift_live_draft() is None  # nobody beside 王芳 yet: nothing published
        cadre.start_shift("王芳", "A03")
        await pilot.press("enter")  # on to the nature; the form changes, the draft follows
        await pilot.pause(0.7)
        await settle(app, pilot)
        draft = cadre.shift_live_draft()
        assert draft is not None and draft["phone"] == "139****1234"
        await pilot.press("ctrl+n", "ctrl+n")  # the form emptied: nothing is being typed any more
        await pilot.pause(0.7)
        await settle(app, pilot)
        assert cadre.shift_live_draft() is None


@pilot
async def test_w_and_p_say_so_when_their_forms_are_not_on_this_desk(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "screens.commit_form", None)  # an import of it fails
    monkeypatch.setitem(sys.modules, "screens.card_form", None)
    _clock, _operator, cadre, late, _fresh = desks(tmp_path)
    app = HotlineApp(cadre.settings, desk=cadre)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        await pilot.press("w", "p")
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert any("不解决找我 尚未接入" in m for m in said) and any("更新职责清单 尚未接入" in m for m in said)
        assert isinstance(app.screen, ShadowScreen)
