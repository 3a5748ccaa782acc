"""Every handling action on F4 by keys alone, through its form, over a ticket's whole life, and the
refusal of actions the state does not allow (shown dimmed, explained when pressed, nothing written)."""

from __future__ import annotations

import pytest

from hotline_tui.app import HotlineApp
from hotline_tui.domain.actions import SPECS
from screens.action_form import ActionForm
from tests.deskkit import (
    SHINAN,
    TAIDONG,
    ZHUHAILU,
    Clock,
    china_ms,
    event_count,
    make_desk,
    new_request,
)
from tests.pilotkit import pilot, settle
from tests.test_screen_ticket import open_by_keys, recorder


async def fill(pilot, app, action: str, values: dict[str, str]) -> None:
    """Press the action's key and fill its form field by field, by keys only, then submit."""
    spec = SPECS[action]
    await pilot.press(spec.key)
    await pilot.pause()
    assert isinstance(app.screen, ActionForm), f"{action}: no form opened"
    for f in spec.fields:
        value = values.get(f.name)
        if f.kind in ("choice", "bool"):
            index = list(f.choices).index(value)
            await pilot.press(*(["down"] * index), "enter")
        elif value:
            await pilot.press(*value)
        await pilot.press("tab")
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert not isinstance(app.screen, ActionForm), f"{action}: the form stayed open: {app.screen.query_one('#form-error').render()}"


LIFE = [
    ("dispatch", {"lead": TAIDONG, "assist": SHINAN}, "dispatched"),
    ("urge", {"note": "请尽快签收"}, "dispatched"),
    ("claim", {}, "claimed"),
    ("return", {"reason": "not_our_area", "detail": "属市南区"}, "return_review"),
    ("return_reject", {"reason": "属地明确"}, "claimed"),
    ("return", {"reason": "ownership_unclear"}, "return_review"),
    ("return_accept", {"lead": ZHUHAILU}, "dispatched"),
    ("reassign", {"lead": TAIDONG, "reason": "属地调整"}, "dispatched"),
    ("claim", {}, "claimed"),
    ("extend", {"reason": "需协调", "days": "3"}, "claimed"),
    ("extend_refuse", {"reason": "时限内可办"}, "claimed"),
    ("extend", {"reason": "需多部门会商", "days": "2"}, "claimed"),
    ("extend_approve", {}, "claimed"),
    ("progress", {"text": "已约谈摊主"}, "claimed"),
    ("supervise", {"note": "重点关注"}, "claimed"),
    ("list", {"note": "挂牌"}, "claimed"),
    ("escalate", {"target": "media", "note": "长期推诿"}, "claimed"),
    ("add_call", {"text": "再次来电催问"}, "claimed"),
    ("reply", {"handling": "已取缔", "answer": "已处理完毕", "resolved": "yes"}, "reply_review"),
    ("reply_reject", {"reason": "答复过简"}, "claimed"),
    ("reply", {"handling": "已取缔并复查", "answer": "已处理", "resolved": "yes"}, "reply_review"),
    ("reply_approve", {}, "awaiting_callback"),
    ("callback", {"satisfaction": "satisfied", "resolved": "yes"}, "visited"),
    ("close", {}, "closed"),
    ("reopen", {"reason": "市民再次反映"}, "dispatched"),
    ("note", {"text": "备注一条"}, "dispatched"),
]


def test_the_life_covers_every_action_but_the_intake_ones():
    # commit (不解决找我) is a cadre's, with its own form: tests/test_commitment_screen.py
    covered = {a for a, _, _ in LIFE} | {"merge", "answer", "transfer", "commit"}
    assert covered == set(SPECS)


@pilot
async def test_every_action_by_keys_over_a_whole_life(tmp_path, monkeypatch):
    desk = make_desk(tmp_path, role="supervisor", clock=Clock(china_ms(2026, 11, 25, 9, 14)))
    number = desk.register(new_request())
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_by_keys(app, pilot, number)
        for action, values, state in LIFE:
            await fill(pilot, app, action, values)
            assert desk.show(number).ticket.state == state, action
    t = desk.show(number).ticket
    assert {"supervised", "listed", "escalated", "repeat", "urged"} <= set(t.flags)
    assert t.return_count == 2 and t.extension_count == 1 and t.reopen_count == 1


@pilot
async def test_intake_handling_and_merge_by_keys(tmp_path):
    desk = make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 25, 9, 14)))
    answered, transferred = desk.register(new_request()), desk.register(new_request())
    original, duplicate = desk.register(new_request()), desk.register(new_request())
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_by_keys(app, pilot, answered)
        await fill(pilot, app, "answer", {"answer": "请携带身份证到社区办理"})
        await open_by_keys(app, pilot, transferred)
        await fill(pilot, app, "transfer", {"to": "120"})
        await open_by_keys(app, pilot, duplicate)
        await fill(pilot, app, "merge", {"into": original})
    assert desk.show(answered).ticket.state == "closed"
    assert desk.show(transferred).ticket.transfer_to == "120"
    assert desk.show(duplicate).ticket.merged_into == original
    assert desk.show(original).events[-1].kind == "merged_in"


# commit shares w with answer, which is a supervisor's here (tests/test_commitment_screen.py)
NOT_IN_REGISTERED = [a for a in SPECS if a not in ("dispatch", "answer", "transfer", "merge", "note", "add_call", "supervise", "list", "escalate", "commit")]


@pilot
async def test_each_action_the_state_does_not_allow_is_dimmed_and_explained(tmp_path, monkeypatch):
    desk = make_desk(tmp_path, role="supervisor", clock=Clock(china_ms(2026, 11, 25, 9, 14)))
    number = desk.register(new_request())
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = recorder(app, monkeypatch)
        screen = await open_by_keys(app, pilot, number)
        before = event_count(desk)
        for action in NOT_IN_REGISTERED:
            assert screen.check_action("act", (action,)) is None, action
            seen.clear()
            await pilot.press(SPECS[action].key)
            await pilot.pause()
            assert not isinstance(app.screen, ActionForm), action
            assert any("cannot" in s or "no extension" in s for s in seen), (action, seen)
        assert event_count(desk) == before


@pytest.mark.parametrize("action", ["supervise", "list", "escalate"])
@pilot
async def test_supervisors_tools_are_refused_to_an_operator(tmp_path, monkeypatch, action):
    desk = make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 25, 9, 14)))
    number = desk.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = recorder(app, monkeypatch)
        await open_by_keys(app, pilot, number)
        await pilot.press(SPECS[action].key)
        await pilot.pause()
        assert any(f"operator may not {action}" in s for s in seen)
    assert event_count(desk) == 2


def ticket_header(app) -> str:
    return str(app.screen.query_one("#ticket-header").render())


@pilot
async def test_flagging_rules_show_in_the_header_when_acted_by_keys(tmp_path):
    desk = make_desk(tmp_path, role="supervisor", clock=Clock(china_ms(2026, 11, 25, 9, 14)))
    disputed = desk.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
    for action, fields in [("claim", {}), ("reply", {"handling": "h", "answer": "a", "resolved": "yes"}), ("reply_approve", {})]:
        desk.act(disputed, action, fields)
    bounced = desk.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_by_keys(app, pilot, disputed)
        # the unit says solved, the caller says not: 回访不一致 reopens it and puts it under supervision
        await fill(pilot, app, "callback", {"satisfaction": "unsatisfied", "resolved": "no"})
        text = ticket_header(app)
        assert "回访不一致" in text and "督办" in text and "待签收" in text
        await open_by_keys(app, pilot, bounced)
        for _ in range(3):  # returned three times: 多次退单
            await fill(pilot, app, "return", {"reason": "ownership_unclear"})
            await fill(pilot, app, "return_reject", {"reason": "请继续办理"})
        await fill(pilot, app, "reassign", {"lead": SHINAN, "reason": "调整"})
        await fill(pilot, app, "reassign", {"lead": ZHUHAILU, "reason": "再调整"})  # third unit: 来回推诿
        text = ticket_header(app)
        assert "多次退单" in text and "来回推诿" in text
