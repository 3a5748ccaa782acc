"""Who sees what through the filter language: a visiting cadre sees only their own unit's tickets (lead or
assist, the units under it included) whatever the filter, in F5 and in hotline query alike; a cadre without
a unit is told so; a name that matches no unit well is refused, not taken for a look-alike."""

from __future__ import annotations

import pytest

from hotline_tui.errors import DomainError
from hotline_tui.query.syntax import QueryError
from tests.deskkit import SHINAN, TAIDONG, ZHUHAILU, Clock, china_ms, make_desk, new_request


@pytest.fixture
def tickets(tmp_path):
    clock = Clock(china_ms(2026, 11, 2, 9, 0))
    op = make_desk(tmp_path, clock=clock)
    mine = op.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
    assisted = op.register(new_request(handling={"mode": "dispatch", "lead": SHINAN, "assist": [TAIDONG]}))
    other = op.register(new_request(handling={"mode": "dispatch", "lead": ZHUHAILU}))
    return tmp_path, clock, {"mine": mine, "assisted": assisted, "other": other}


def numbers(desk, text: str) -> set[str]:
    return {r["number"] for r in desk.query_page(text, limit=500)["rows"]}


def test_a_cadre_sees_only_their_units_tickets_whatever_the_filter(tickets):
    folder, clock, n = tickets
    cadre = make_desk(folder, role="cadre", unit=TAIDONG, clock=clock)
    assert numbers(cadre, "") == {n["mine"], n["assisted"]}
    assert numbers(cadre, f"unit:{ZHUHAILU}") == set()  # asking for another unit shows nothing of it
    assert numbers(cadre, f"-unit:{TAIDONG}") == {n["assisted"]}
    assert numbers(cadre, "text:烧烤") == {n["mine"], n["assisted"]}
    assert cadre.query_count("") == 2 and cadre.query_count(f"unit:{ZHUHAILU} or open") == 2
    supervisor = make_desk(folder, role="supervisor", clock=clock)
    assert numbers(supervisor, "") == set(n.values())


def test_a_cadre_without_a_unit_is_told_so_and_sees_nothing(tickets):
    folder, clock, _ = tickets
    cadre = make_desk(folder, role="cadre", clock=clock)
    with pytest.raises(DomainError, match="本单位"):
        cadre.query_page("")
    with pytest.raises(DomainError):
        cadre.query_count("open")


def test_a_name_that_matches_no_unit_well_is_refused(tickets):
    folder, clock, _ = tickets
    desk = make_desk(folder, role="supervisor", clock=clock)
    with pytest.raises(QueryError, match="no unit in the directory matches"):
        desk.query_page("unit:彩虹独角兽管理局")
