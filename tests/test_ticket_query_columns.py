"""The projection's copies for filters (schema 0005): written with every ticket, backfilled on upgrade."""

from __future__ import annotations

from sqlalchemy import text

from hotline_tui.store import projection
from hotline_tui.store.migrate import HEAD, current_version, downgrade
from tests.deskkit import SHINAN, TAIDONG, Clock, china_ms, make_desk, new_request

DISPATCH = {"mode": "dispatch", "lead": TAIDONG}


def tickets_with_every_kind_of_history(desk, clock) -> list[str]:
    plain = desk.register(new_request())  # registered, no deadline
    n = [desk.register(new_request(handling=DISPATCH, urgency="urgent")) for _ in range(4)]
    desk.act(n[0], "claim", {})
    desk.act(n[0], "reply", {"handling": "已处理", "answer": "已答复", "resolved": "yes"})
    desk.act(n[0], "reply_approve", {})
    desk.act(n[0], "callback", {"satisfaction": "unsatisfied", "resolved": "no"})  # disputed: reopened
    desk.act(n[1], "return", {"reason": "not_our_area"})
    desk.act(n[1], "return_accept", {"lead": SHINAN})
    desk.act(n[1], "return", {"reason": "not_our_duty"})
    desk.add_call(n[2], "又来电")
    desk.add_call(n[2], "第三次来电")
    desk.act(n[3], "urge", {"note": "请尽快签收"})
    desk.act(n[3], "claim", {})
    desk.act(n[3], "extend", {"reason": "协调", "days": "3"})
    desk.act(n[3], "extend_approve", {})
    return [plain, *n]


def rows(desk) -> dict[str, dict]:
    cols = ", ".join(projection.TICKET_COLUMNS)
    with desk.store.read() as conn:
        return {r[0]: dict(zip(projection.TICKET_COLUMNS, r)) for r in conn.execute(text(f"SELECT {cols} FROM ticket"))}


def test_the_copies_equal_the_folded_state(tmp_path):
    clock = Clock(china_ms(2026, 11, 2, 9, 0))
    desk = make_desk(tmp_path, role="supervisor", clock=clock)
    numbers = tickets_with_every_kind_of_history(desk, clock)
    got = rows(desk)
    plain, disputed, returned, repeated, extended = (got[n] for n in numbers)
    assert plain["due_key"] == projection.NO_DUE and plain["due_ms"] is None
    assert disputed["callback"] == "" and disputed["reopen_count"] == 1  # reopened: the new round has no callback yet
    assert disputed["urgency"] == "urgent" and disputed["registered_by"] == "王芳"
    assert returned["return_count"] == 2
    assert repeated["call_count"] == 3
    assert extended["urge_count"] == 1 and extended["extension_count"] == 1
    assert extended["due_key"] == extended["due_ms"] and extended["claimed_ms"] is not None
    for number in numbers:  # and every row is exactly what the projection writes for the folded state
        assert got[number] == projection.ticket_row(desk.store.ticket(number))


def test_an_0004_store_is_backfilled_on_upgrade(tmp_path):
    clock = Clock(china_ms(2026, 11, 2, 9, 0))
    desk = make_desk(tmp_path, role="supervisor", clock=clock)
    tickets_with_every_kind_of_history(desk, clock)
    desk.act(desk.register(new_request(handling=DISPATCH)), "claim", {})
    before = rows(desk)
    downgrade(desk.store.engine, "0004")
    desk.store.close()
    assert current_version(tmp_path / "store.sqlite") == "0004"

    again = make_desk(tmp_path, role="supervisor", clock=clock)
    assert rows(again) == before
    assert current_version(tmp_path / "store.sqlite") == HEAD


def test_every_ticket_has_its_own_key_in_its_row_and_a_rebuild_keeps_it(tmp_path):
    clock = Clock(china_ms(2026, 11, 2, 9, 0))
    desk = make_desk(tmp_path, role="supervisor", clock=clock)
    tickets_with_every_kind_of_history(desk, clock)

    def keys():
        with desk.store.read() as conn:
            return dict(conn.execute(text("SELECT t.number, t.tid FROM ticket AS t JOIN ticket_key AS k"
                                          " ON k.number = t.number AND k.tid = t.tid")).fetchall())

    before = keys()
    assert len(before) == 5 and len(set(before.values())) == 5
    desk.rebuild()
    assert keys() == before
