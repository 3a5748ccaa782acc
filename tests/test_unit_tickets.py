"""A unit's open tickets (o in F3) and ranking by this desk's use of units: facade, screen and permissions."""

from __future__ import annotations

import pytest

from hotline_tui.config import Settings
from hotline_tui.errors import DomainError
from hotline_tui.services import Desk
from tests.deskkit import SHINAN, TAIDONG, ZHUHAILU, Clock, china_ms, make_desk, new_request

CGJ_CHENGYANG, CGJ_LICANG = "370214-CGJ", "370213-CGJ"


@pytest.fixture
def clock():
    return Clock(china_ms(2026, 11, 25, 9, 14))


@pytest.fixture
def desk(tmp_path, clock):
    return make_desk(tmp_path, clock=clock)


def dispatched(desk, clock, lead=TAIDONG, assist=(), **over) -> str:
    number = desk.register(new_request(**over))
    desk.act(number, "dispatch", {"lead": lead, "assist": list(assist)})
    clock.advance(minutes=5)
    return number


def finished(desk, number) -> None:
    """Dispatched → claimed → replied → reply approved: awaiting the callback, no longer open."""
    for action, fields in (("claim", {}), ("reply", {"handling": "h", "answer": "a", "resolved": True}),
                           ("reply_approve", {})):
        desk.act(number, action, fields)


# --- the facade ------------------------------------------------------------------------------------------
def test_lists_open_tickets_it_leads_or_assists_newest_first_with_phones_masked(desk, clock):
    led = dispatched(desk, clock)
    assisted = dispatched(desk, clock, lead=SHINAN, assist=[TAIDONG], caller_phone="13912345678")
    done = dispatched(desk, clock)
    finished(desk, done)
    elsewhere = dispatched(desk, clock, lead=ZHUHAILU)
    rows = desk.unit_open_tickets(TAIDONG)
    assert [r["number"] for r in rows] == [assisted, led]  # newest first; the finished one and another unit's are not there
    assert [r["role"] for r in rows] == ["assist", "lead"]
    assert rows[0]["caller_phone"] == "139****5678" and rows[1]["caller_phone"] == "138****1234"
    assert rows[0]["lead_unit"] == SHINAN and not any(r["overdue"] for r in rows)
    assert desk.unit_open_count(TAIDONG) == {"open": 2, "lead": 1, "overdue": 0}
    assert [r["number"] for r in desk.unit_open_tickets(ZHUHAILU)] == [elsewhere]


def test_overdue_tickets_are_marked(desk, clock):
    number = dispatched(desk, clock)
    clock.advance(days=40)
    [row] = desk.unit_open_tickets(TAIDONG)
    assert row["number"] == number and row["overdue"] and row["workdays_left"] < 0
    assert desk.unit_open_count(TAIDONG)["overdue"] == 1


def test_pages_by_keyset_cover_every_ticket_once_in_order(desk, clock):
    numbers = [dispatched(desk, clock, lead=TAIDONG if i % 2 else SHINAN, assist=[] if i % 2 else [TAIDONG])
               for i in range(7)]
    seen, before = [], None
    while True:
        page = desk.unit_open_tickets(TAIDONG, limit=3, before=before)
        if not page:
            break
        seen += [r["number"] for r in page]
        before = (page[-1]["registered_ms"], page[-1]["number"])
    assert seen == numbers[::-1]


def test_a_cadre_may_open_only_their_own_units_list(tmp_path, clock):
    operator = make_desk(tmp_path, clock=clock)
    number = dispatched(operator, clock)
    own = make_desk(tmp_path, role="cadre", operator="李明", unit=TAIDONG, clock=clock)
    assert [r["number"] for r in own.unit_open_tickets(TAIDONG)] == [number]
    assert own.unit_open_tickets(TAIDONG)[0]["caller_phone"] == "138****1234"
    with pytest.raises(DomainError, match="本单位"):
        own.unit_open_tickets(SHINAN)
    with pytest.raises(DomainError, match="desk.unit"):
        make_desk(tmp_path, role="cadre", operator="赵强", clock=clock).unit_open_tickets(TAIDONG)
    assert own.may_see_unit_tickets(TAIDONG) is None and own.may_see_unit_tickets(SHINAN)
    assert operator.may_see_unit_tickets(SHINAN) is None  # operators and supervisors see every unit


# --- usage -------------------------------------------------------------------------------------------------
def real_desk(tmp_path, clock) -> Desk:
    """The shipped directory's codes (district bureaus), not the test desk's fixed few."""
    settings = Settings(store_path=tmp_path / "store.sqlite", config_file=tmp_path / "config.toml",
                        config_exists=False, desk="A07", operator="王芳", role="operator")
    return Desk(settings, clock_ms=clock)


def test_usage_counts_lead_and_assist_over_the_recent_window(tmp_path, clock):
    desk = real_desk(tmp_path, clock)
    assert desk.unit_usage() == {}  # no store yet: nothing read, nothing created
    assert not desk.settings.store_path.exists()
    for _ in range(3):
        dispatched(desk, clock, lead=CGJ_CHENGYANG, assist=[CGJ_LICANG])
    dispatched(desk, clock, lead=CGJ_LICANG)
    usage = desk.unit_usage(refresh=True)
    assert usage[CGJ_CHENGYANG] == 3 and usage[CGJ_LICANG] == 4
    clock.advance(days=91)
    assert desk.unit_usage() == usage  # cached on the desk until refreshed
    assert desk.unit_usage(refresh=True) == {}  # all older than the window now


def test_two_matches_of_the_same_quality_are_reordered_by_usage(tmp_path, clock):
    desk = real_desk(tmp_path, clock)
    plain = desk.lookup_units_ranked("城管局", limit=11)
    assert [m["code"] for m in plain[:2]] == ["D-CGJ", "370202-CGJ"]  # 市南 first among equals, by code
    for _ in range(2):
        dispatched(desk, clock, lead=CGJ_CHENGYANG)
    dispatched(desk, clock, lead=CGJ_LICANG)
    assert desk.lookup_units_ranked("城管局", limit=11) == plain  # counts not read yet: never read per key
    desk.unit_usage()
    ranked = desk.lookup_units_ranked("城管局", limit=11)
    assert [m["code"] for m in ranked[:4]] == ["D-CGJ", CGJ_CHENGYANG, CGJ_LICANG, "370202-CGJ"]
    assert ranked[0]["reason"] == "简称"  # better quality: usage did not decide its place
    assert ranked[1]["reason"] == "简称 · 本台常用 2 次" and ranked[2]["reason"] == "简称 · 本台常用 1 次"
    assert ranked[3]["reason"] == "简称"
    assert ranked[0]["score"] > ranked[1]["score"] == ranked[3]["score"]
