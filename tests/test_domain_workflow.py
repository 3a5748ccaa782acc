"""The 12345 workflow through the desk facade: each action, each refusal, each rule."""

from __future__ import annotations

import pytest

from hotline_tui.errors import DomainError, InputError, NotFound
from tests.deskkit import SHINAN, TAIDONG, ZHUHAILU, Clock, china_ms, event_count, make_desk, new_request


@pytest.fixture
def clock():
    return Clock(china_ms(2026, 11, 25, 9, 14))  # a Wednesday


@pytest.fixture
def desk(tmp_path, clock):
    return make_desk(tmp_path, clock=clock)


def dispatched(desk, **over) -> str:
    return desk.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG, "assist": [SHINAN]}, **over))


def to_callback(desk, number, resolved=True):
    desk.act(number, "claim", {})
    desk.act(number, "progress", {"text": "已约谈摊主"})
    desk.act(number, "reply", {"handling": "已取缔", "answer": "已处理", "resolved": "yes" if resolved else "no"})
    desk.act(number, "reply_approve", {})


def test_full_life_of_a_request(desk):
    n = dispatched(desk)
    assert n.startswith("QD-A07-20261125-")
    to_callback(desk, n)
    desk.act(n, "callback", {"satisfaction": "satisfied", "resolved": "yes"})
    desk.act(n, "close", {})
    view = desk.show(n)
    assert view.ticket.state == "closed"
    assert [e.kind for e in view.events] == ["register", "dispatch", "claim", "progress", "reply", "reply_approve", "callback", "close"]
    assert view.ticket.lead_unit == TAIDONG and view.ticket.assist_units == [SHINAN]


def test_deadline_is_five_working_days_for_a_complaint(desk):
    t = desk.show(dispatched(desk)).ticket
    from hotline_tui.domain.calendar import local_date

    assert str(local_date(t.due_ms)) == "2026-12-02"  # Wed 11-25 + 5 working days
    assert t.due_estimated is False


def test_answered_on_the_call_is_closed_at_once(desk):
    n = desk.register(new_request(nature="consultation", handling={"mode": "answer", "answer": "请携带身份证到社区办理"}))
    t = desk.show(n).ticket
    assert t.state == "closed" and t.mode == "answer"


def test_transfer_to_emergency_line_is_recorded(desk):
    n = desk.register(new_request(handling={"mode": "transfer", "to": "120"}))
    t = desk.show(n).ticket
    assert (t.state, t.transfer_to) == ("transferred", "120")


def test_return_needs_a_reason_and_is_reviewed(desk):
    n = dispatched(desk)
    before = event_count(desk)
    with pytest.raises(InputError, match="needs --reason"):
        desk.act(n, "return", {})
    with pytest.raises(InputError, match="must be one of"):
        desk.act(n, "return", {"reason": "不想办"})
    assert event_count(desk) == before
    desk.act(n, "return", {"reason": "not_our_area", "detail": "属市南区"})
    assert desk.show(n).ticket.state == "return_review"
    desk.act(n, "return_reject", {"reason": "属地明确"})
    assert desk.show(n).ticket.state == "dispatched"
    desk.act(n, "return", {"reason": "not_our_area"})
    desk.act(n, "return_accept", {"lead": ZHUHAILU})
    t = desk.show(n).ticket
    assert (t.state, t.lead_unit, t.return_count) == ("dispatched", ZHUHAILU, 2)


def test_returned_three_times_is_flagged(desk):
    n = dispatched(desk)
    for _ in range(3):
        desk.act(n, "return", {"reason": "ownership_unclear"})
        desk.act(n, "return_reject", {"reason": "请继续办理"})
    assert "frequent_return" in desk.show(n).ticket.flags


def test_bounced_between_units_is_flagged(desk):
    n = dispatched(desk)
    desk.act(n, "reassign", {"lead": SHINAN, "reason": "属地调整"})
    assert "bounced" not in desk.show(n).ticket.flags
    desk.act(n, "reassign", {"lead": ZHUHAILU, "reason": "再次调整"})
    assert "bounced" in desk.show(n).ticket.flags


def test_extension_before_the_deadline_within_the_limit(desk, clock):
    n = dispatched(desk)
    desk.act(n, "claim", {})
    due = desk.show(n).ticket.due_ms
    with pytest.raises(InputError, match="between 1 and 15"):
        desk.act(n, "extend", {"reason": "需协调", "days": "30"})
    with pytest.raises(InputError, match="whole number"):
        desk.act(n, "extend", {"reason": "需协调", "days": "three"})
    desk.act(n, "extend", {"reason": "需协调多部门", "days": "5"})
    with pytest.raises(DomainError, match="already waiting"):
        desk.act(n, "extend", {"reason": "again", "days": "2"})
    desk.act(n, "extend_approve", {})
    t = desk.show(n).ticket
    assert t.due_ms > due and t.extension_count == 1 and t.extension_pending is None
    clock.ms = t.due_ms + 1
    with pytest.raises(DomainError, match="deadline has passed"):
        desk.act(n, "extend", {"reason": "late", "days": "2"})


def test_refused_extension_keeps_the_deadline(desk):
    n = dispatched(desk)
    due = desk.show(n).ticket.due_ms
    desk.act(n, "extend", {"reason": "x", "days": "3"})
    desk.act(n, "extend_refuse", {"reason": "时限内可办结"})
    assert desk.show(n).ticket.due_ms == due


def test_reply_is_reviewed_by_the_centre(desk):
    n = dispatched(desk)
    desk.act(n, "claim", {})
    desk.act(n, "reply", {"handling": "h", "answer": "a", "resolved": "yes"})
    desk.act(n, "reply_reject", {"reason": "答复过于简单"})
    assert desk.show(n).ticket.state == "claimed"


def test_disputed_callback_reopens_and_flags_for_supervision(desk):
    n = dispatched(desk)
    to_callback(desk, n, resolved=True)
    desk.act(n, "callback", {"satisfaction": "unsatisfied", "resolved": "no"})
    t = desk.show(n).ticket
    assert t.state == "dispatched" and t.reopen_count == 1
    assert {"disputed_callback", "supervised"} <= set(t.flags)


def test_unsatisfied_callback_on_a_listed_ticket_goes_back_to_the_unit(tmp_path, clock):
    sup = make_desk(tmp_path, role="supervisor", clock=clock)
    n = dispatched(sup)
    sup.act(n, "list", {"note": "挂牌"})
    to_callback(sup, n, resolved=False)
    sup.act(n, "callback", {"satisfaction": "unsatisfied", "resolved": "no"})
    t = sup.show(n).ticket
    assert t.state == "dispatched" and "disputed_callback" not in t.flags


def test_satisfied_callback_does_not_reopen(desk):
    n = dispatched(desk)
    to_callback(desk, n, resolved=False)
    desk.act(n, "callback", {"satisfaction": "basically_satisfied", "resolved": "no"})
    assert desk.show(n).ticket.state == "visited"


def test_merge_points_to_the_original_and_both_timelines_show_it(desk):
    original, dup = dispatched(desk), dispatched(desk)
    desk.act(dup, "merge", {"into": original})
    assert desk.show(dup).ticket.merged_into == original
    assert [e.kind for e in desk.show(original).events][-1] == "merged_in"
    with pytest.raises(DomainError, match=f"merged into {original}"):
        desk.act(dup, "claim", {})
    with pytest.raises(DomainError, match="itself"):
        desk.act(original, "merge", {"into": original})


def test_overdue_ticket_can_be_urged(desk, clock):
    n = dispatched(desk)
    clock.ms = desk.show(n).ticket.due_ms + 3600_000
    desk.act(n, "urge", {"note": "已超期"})
    t = desk.show(n).ticket
    assert t.urge_count == 1 and "urged" in t.flags


@pytest.mark.parametrize("action,fields", [
    ("claim", {}), ("reply", {"handling": "h", "answer": "a", "resolved": "yes"}), ("close", {}),
    ("callback", {"satisfaction": "satisfied", "resolved": "yes"}), ("reopen", {"reason": "x"}),
    ("return_accept", {"lead": SHINAN}), ("extend_approve", {}),
])
def test_actions_not_allowed_in_the_state_write_nothing(desk, action, fields):
    n = desk.register(new_request())  # registered, not dispatched
    before = event_count(desk)
    with pytest.raises(DomainError):
        desk.act(n, action, fields)
    assert event_count(desk) == before


def test_roles_limit_actions(tmp_path, clock):
    op = make_desk(tmp_path, clock=clock)
    n = dispatched(op)
    with pytest.raises(DomainError, match="operator may not escalate"):
        op.act(n, "escalate", {"target": "media", "note": "推诿"})
    cadre = make_desk(tmp_path, role="cadre", clock=clock)
    with pytest.raises(DomainError, match="cadre may not dispatch"):
        cadre.act(n, "dispatch", {"lead": TAIDONG})
    sup = make_desk(tmp_path, role="supervisor", clock=clock)
    sup.act(n, "escalate", {"target": "discipline", "note": "长期不办"})
    assert sup.show(n).ticket.escalations == ["discipline"]


def test_unknown_unit_ticket_action_and_option_are_refused(desk):
    with pytest.raises(InputError, match="unknown unit"):
        desk.register(new_request(handling={"mode": "dispatch", "lead": "NOPE"}))
    assert event_count(desk) == 0  # nothing half-written: no register without its dispatch
    n = desk.register(new_request())
    with pytest.raises(NotFound):
        desk.act("QD-A07-20991231-9999", "note", {"text": "x"})
    with pytest.raises(InputError, match="unknown action"):
        desk.act(n, "explode", {})
    with pytest.raises(InputError, match="does not take --color"):
        desk.act(n, "note", {"text": "x", "color": "red"})


def test_caller_is_masked_once_saved_and_confidential_callers_hidden_from_others(tmp_path, clock):
    op = make_desk(tmp_path, clock=clock)
    n = op.register(new_request())
    assert op.show(n).caller_phone == "138****1234"  # the full number only with a reason (reveal)
    other = make_desk(tmp_path, operator="李娜", clock=clock)
    assert other.show(n).caller_phone == "138****1234"
    secret = op.register(new_request(confidential=True))
    assert other.show(secret).caller_phone == "保密"
    assert op.show(secret).caller_phone == "138****1234"


def test_ticket_numbers_are_unique_per_desk(tmp_path, clock):
    a, b = make_desk(tmp_path, desk="A07", clock=clock), make_desk(tmp_path, desk="B02", clock=clock)
    numbers = {a.register(new_request()) for _ in range(3)} | {b.register(new_request()) for _ in range(3)}
    assert len(numbers) == 6 and any("-B02-" in x for x in numbers)
