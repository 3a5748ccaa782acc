"""The workbench's ``commitment:`` filter (unkept, kept, open, any; != too) lists exactly the tickets whose folded
state says so, its SQL binds every value and reads the commitments' partial index, completion offers its values,
and preset 0 (承诺未兑现) is that filter, on F5's key 0.

Bad input tried: commitment:maybe (an unknown value, refused at its column), commitment>3 (an operator the field
does not take)."""

from __future__ import annotations

import sqlite3

import pytest

from hotline_tui.query.presets import BY_KEY
from hotline_tui.query.syntax import QueryError
from tests.deskkit import SHIBEI, SHINAN, TAIDONG, ZHUHAILU, Clock, china_ms, make_desk, new_request
from tests.test_commitment import close


@pytest.fixture
def world(tmp_path):
    """Twelve requests: eight with a commitment (due on different days, some closed in time, one late), four
    without; the clock then moved to 12 November, past some of the promised days."""
    clock = Clock(china_ms(2026, 11, 2, 9, 0))
    operator = make_desk(tmp_path, role="supervisor", operator="督办员", clock=clock)
    cadre = make_desk(tmp_path, role="cadre", operator="李处长", unit=SHIBEI, clock=clock)
    south = make_desk(tmp_path, role="cadre", operator="赵处长", unit=SHINAN, clock=clock)
    numbers = []
    for i in range(12):
        lead = TAIDONG if i % 3 else ZHUHAILU
        numbers.append(operator.register(new_request(handling={"mode": "dispatch", "lead": lead})))
    dues = {0: "2026-11-05", 1: "2026-11-06", 2: "2026-11-20", 3: "2026-11-05", 4: "2026-11-30", 5: "2026-11-10",
            6: "2026-11-11", 7: "2026-11-12"}
    for i, due in dues.items():
        (cadre if i % 3 else south).act(numbers[i], "commit", {"due": due, "contact": "82710000"})
    clock.ms = china_ms(2026, 11, 4, 10, 0)
    for i in (0, 2, 9):
        close(operator, numbers[i], clock)  # 0 kept, 2 kept (early), 9 closed without a commitment
    clock.ms = china_ms(2026, 11, 11, 10, 0)
    close(operator, numbers[5], clock)  # a day late: unkept
    clock.ms = china_ms(2026, 11, 12, 15, 0)
    return operator, cadre, numbers, clock


def truth(desk, numbers, test) -> set[str]:
    now = desk._now()
    return {n for n in numbers if test(desk.show(n).ticket.commitment(now))}


def listed(desk, text: str) -> set[str]:
    rows = desk.query_page(text, limit=500)["rows"]
    assert desk.query_count(text) == len(rows)
    return {r["number"] for r in rows}


def test_each_value_lists_exactly_the_tickets_it_means(world):
    desk, _, numbers, _ = world
    for value, test in (("unkept", lambda s: s == "unkept"), ("kept", lambda s: s == "kept"),
                        ("open", lambda s: s == "open"), ("any", lambda s: s is not None)):
        expected = truth(desk, numbers, test)
        assert expected, value  # the fixture holds some of each
        assert listed(desk, f"commitment:{value}") == expected, value
    assert listed(desk, "commitment:unkept") == {numbers[i] for i in (1, 3, 5, 6)}
    assert listed(desk, "commitment!=any") == {numbers[i] for i in (8, 9, 10, 11)}
    assert listed(desk, "commitment:kept,open") == truth(desk, numbers, lambda s: s in ("kept", "open"))
    assert listed(desk, "承诺:未兑现") == listed(desk, "commitment:unkept")
    assert listed(desk, "commitment:unkept unit:珠海路街道") == {numbers[3], numbers[6]}


def test_the_promised_day_passing_moves_a_ticket_from_open_to_unkept(world):
    desk, _, numbers, clock = world
    assert numbers[7] in listed(desk, "commitment:open")
    clock.ms = china_ms(2026, 11, 13, 0, 0)
    assert numbers[7] in listed(desk, "commitment:unkept")


def test_a_cadre_sees_only_their_units_unkept_commitments(world):
    _, cadre, numbers, _ = world
    assert listed(cadre, "commitment:unkept") == {numbers[1], numbers[5]}  # the 台东街道 ones; 珠海路 is 市南区's


def test_the_sql_binds_every_value_and_reads_the_commitments_index(world, tmp_path):
    desk, _, _, _ = world
    for value in ("unkept", "kept", "open", "any"):
        compiled = desk.compile_filter(f"commitment:{value}")
        assert str(desk._now()) not in compiled.where and value not in compiled.where
        con = sqlite3.connect(tmp_path / "store.sqlite")
        try:
            sql = compiled.where
            params = dict(compiled.params)
            plan = " ".join(str(r) for r in con.execute(f"EXPLAIN QUERY PLAN SELECT count(*) FROM ticket AS t WHERE {sql}",
                                                           params))
        finally:
            con.close()
        assert "ix_ticket_commitment" in plan, (value, plan)


def test_bad_values_are_refused_at_their_place(world):
    desk, _, _, _ = world
    with pytest.raises(QueryError, match="commitment cannot be 'maybe'") as err:
        desk.compile_filter("open commitment:maybe")
    assert err.value.pos == len("open commitment:")
    with pytest.raises(QueryError, match="commitment takes"):
        desk.compile_filter("commitment>3")


def test_completion_offers_the_field_and_its_values(world):
    desk, _, _, _ = world
    assert any(c.insert == "commitment:" for c in desk.filter_completion("comm", 4).choices)
    values = [c.insert for c in desk.filter_completion("commitment:", 11).choices]
    assert values == ["open", "kept", "unkept", "any"]


def test_preset_0_is_the_unkept_commitments(world):
    desk, _, numbers, _ = world
    preset = BY_KEY["0"]
    assert preset.name == "承诺未兑现"
    assert listed(desk, preset.filter) == {numbers[i] for i in (1, 3, 5, 6)}


def test_f5s_key_0_shows_the_unkept_commitments(world):
    from hotline_tui.app import HotlineApp
    from screens.filter_line import FilterLine
    from screens.supervise import SuperviseScreen
    from screens.ticket_list import TicketList
    from tests.pilotkit import pilot, settle

    desk, _, numbers, _ = world

    @pilot
    async def run():
        app = HotlineApp(desk.settings, desk=desk)
        async with app.run_test(size=(80, 24)) as p:
            await settle(app, p)
            await p.press("f5")
            await settle(app, p)
            screen = app.screen
            assert isinstance(screen, SuperviseScreen)
            await p.press("0")
            await settle(app, p)
            assert screen.query_one(FilterLine).value == BY_KEY["0"].filter
            assert set(screen.query_one(TicketList).numbers) == {numbers[i] for i in (1, 3, 5, 6)}
            assert screen.total == 4

    run()
