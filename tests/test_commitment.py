"""不解决找我: a cadre's commitment on a request of their unit. The action (cadre only; the ticket with their unit
or one under it, lead or assisting; open), what the fold makes of it (who, by when, contact; a later one replaces
an earlier; kept when closed by the end of the promised day, unkept when that day is over and it was not), the
projection's copies, and ``hotline ticket act N commit`` refusing exactly as the desk does.

Bad inputs tried (each refused with a message, nothing written): a date that has passed, one more than 60 days
on, 2026-13-01, "tomorrow", an empty date, no contact, an empty contact, a contact with ESC (a terminal escape),
with BEL, with a line break, 101 characters long, a 2,001-character note, an unknown option --foo."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from hotline_tui.domain.calendar import CHINA, end_of_day_ms
from hotline_tui.errors import DomainError, InputError
from hotline_tui.store.projection import TICKET_COLUMNS
from tests.deskkit import SHIBEI, SHINAN, TAIDONG, ZHUHAILU, Clock, china_ms, event_count, make_desk, new_request

DUE = "2026-11-10"


@pytest.fixture
def clock():
    return Clock(china_ms(2026, 11, 2, 9, 0))  # Monday 2 November 2026, 09:00 in China


def desks(tmp_path, clock):
    operator = make_desk(tmp_path, clock=clock)
    cadre = make_desk(tmp_path, role="cadre", operator="李处长", unit=SHIBEI, clock=clock)  # 市北区: 台东街道 is under it
    return operator, cadre


def dispatched(desk, lead=TAIDONG, assist=()) -> str:
    return desk.register(new_request(handling={"mode": "dispatch", "lead": lead, "assist": list(assist)}))


def test_a_cadre_commits_on_a_request_of_a_unit_under_theirs(tmp_path, clock):
    operator, cadre = desks(tmp_path, clock)
    number = dispatched(operator)
    assert cadre.show(number).allowed["commit"] is None
    [event] = cadre.act(number, "commit", {"due": DUE, "contact": "0532-82711234 李处长", "note": "本周内协调城管"})
    assert (event.kind, event.actor) == ("commit", "李处长")
    assert event.payload == {"by": "李处长", "unit": SHIBEI, "due": DUE, "due_ms": end_of_day_ms(dt.date(2026, 11, 10)),
                             "contact": "0532-82711234 李处长", "note": "本周内协调城管"}
    view = operator.show(number)  # the operator sees who committed, by when and the contact
    t = view.ticket
    assert (t.commit_by, t.commit_unit, t.commit_due, t.commit_contact) == ("李处长", SHIBEI, DUE, "0532-82711234 李处长")
    assert view.commitment == "open"
    assert view.to_json()["state"]["commitment"] == "open"


def test_an_assisting_units_cadre_may_commit_too(tmp_path, clock):
    operator = make_desk(tmp_path, clock=clock)
    number = dispatched(operator, lead=ZHUHAILU, assist=[TAIDONG])
    cadre = make_desk(tmp_path, role="cadre", operator="周科长", unit=TAIDONG, clock=clock)
    cadre.act(number, "commit", {"due": DUE, "contact": "82710000"})
    assert operator.show(number).ticket.commit_unit == TAIDONG


def test_a_later_commitment_replaces_the_earlier(tmp_path, clock):
    operator, cadre = desks(tmp_path, clock)
    number = dispatched(operator)
    cadre.act(number, "commit", {"due": DUE, "contact": "82710000"})
    clock.advance(hours=1)
    other = make_desk(tmp_path, role="cadre", operator="周科长", unit=TAIDONG, clock=clock)
    other.act(number, "commit", {"due": "2026-11-06", "contact": "82719999"})
    t = operator.show(number).ticket
    assert (t.commit_by, t.commit_unit, t.commit_due, t.commit_contact) == ("周科长", TAIDONG, "2026-11-06", "82719999")
    assert t.commit_note == ""  # the earlier note is not carried over
    assert [e.kind for e in operator.show(number).events].count("commit") == 2  # both stay on the timeline


def close(operator, number, clock) -> None:
    operator.act(number, "claim", {})
    operator.act(number, "reply", {"handling": "已取缔", "answer": "已处理", "resolved": "yes"})
    operator.act(number, "reply_approve", {})
    operator.act(number, "callback", {"satisfaction": "satisfied", "resolved": "yes"})
    operator.act(number, "close", {})


def test_closed_by_the_end_of_the_promised_day_is_kept(tmp_path, clock):
    operator, cadre = desks(tmp_path, clock)
    number = dispatched(operator)
    cadre.act(number, "commit", {"due": DUE, "contact": "82710000"})
    clock.ms = china_ms(2026, 11, 10, 23, 59)  # the last minute of the promised day
    close(operator, number, clock)
    clock.advance(days=30)
    assert operator.show(number).commitment == "kept"


def test_the_promised_day_over_and_not_closed_is_unkept_and_a_late_close_does_not_mend_it(tmp_path, clock):
    operator, cadre = desks(tmp_path, clock)
    number = dispatched(operator)
    cadre.act(number, "commit", {"due": DUE, "contact": "82710000"})
    clock.ms = china_ms(2026, 11, 10, 23, 59)
    assert operator.show(number).commitment == "open"
    clock.ms = china_ms(2026, 11, 11, 0, 0)  # the day after
    assert operator.show(number).commitment == "unkept"
    close(operator, number, clock)
    assert operator.show(number).commitment == "unkept"


def test_a_reopen_after_a_kept_commitment_makes_it_open_again(tmp_path, clock):
    operator, cadre = desks(tmp_path, clock)
    number = dispatched(operator)
    cadre.act(number, "commit", {"due": DUE, "contact": "82710000"})
    close(operator, number, clock)
    assert operator.show(number).commitment == "kept"
    operator.act(number, "reopen", {"reason": "市民再次反映"})
    assert operator.show(number).commitment == "open"


def test_the_projection_copies_the_commitment_and_a_rebuild_gives_the_same_rows(tmp_path, clock):
    operator, cadre = desks(tmp_path, clock)
    number = dispatched(operator)
    plain = dispatched(operator)
    cadre.act(number, "commit", {"due": DUE, "contact": "82710000"})
    cols = ", ".join(TICKET_COLUMNS)

    def rows():
        with operator.store.read() as conn:
            return {r[0]: dict(zip(TICKET_COLUMNS, r)) for r in conn.execute(text(f"SELECT {cols} FROM ticket"))}

    before = rows()
    assert before[number]["commit_due_ms"] == end_of_day_ms(dt.date(2026, 11, 10))
    assert (before[number]["commit_unit"], before[number]["commit_by"]) == (SHIBEI, "李处长")
    assert before[number]["commit_ms"] == clock()
    assert [before[plain][c] for c in ("commit_due_ms", "commit_ms", "commit_unit", "commit_by")] == [None] * 4
    operator.rebuild()
    assert rows() == before


# --- refusals, both ways ---------------------------------------------------------------------------------

def test_only_a_cadre_commits(tmp_path, clock):
    operator, _ = desks(tmp_path, clock)
    number = dispatched(operator)
    supervisor = make_desk(tmp_path, role="supervisor", operator="督办员", clock=clock)
    before = event_count(operator)
    for desk, role in ((operator, "operator"), (supervisor, "supervisor")):
        article = "an" if role == "operator" else "a"
        assert desk.show(number).allowed["commit"] == f"{article} {role} may not commit (不解决找我): cadre only"
        with pytest.raises(DomainError, match=f"{article} {role} may not commit"):
            desk.act(number, "commit", {"due": DUE, "contact": "82710000"})
    assert event_count(operator) == before


def test_a_cadre_may_not_commit_on_another_units_request_nor_without_a_unit(tmp_path, clock):
    operator, _ = desks(tmp_path, clock)
    number = dispatched(operator)  # with 台东街道 (市北区)
    shinan = make_desk(tmp_path, role="cadre", operator="赵处长", unit=SHINAN, clock=clock)
    street = make_desk(tmp_path, role="cadre", operator="钱科长", unit=ZHUHAILU, clock=clock)
    nowhere = make_desk(tmp_path, role="cadre", operator="孙处长", clock=clock)
    before = event_count(operator)
    for desk in (shinan, street):  # another unit's request: the cadre neither sees it nor commits on it
        with pytest.raises(DomainError, match="is not your unit's request"):
            desk.show(number)
        with pytest.raises(DomainError, match="is not with your unit|is not your unit's request"):
            desk.act(number, "commit", {"due": DUE, "contact": "82710000"})
    with pytest.raises(DomainError, match="own unit is not set"):
        nowhere.act(number, "commit", {"due": DUE, "contact": "82710000"})
    assert event_count(operator) == before


def test_a_request_not_with_any_unit_or_closed_is_refused(tmp_path, clock):
    operator, cadre = desks(tmp_path, clock)
    registered = operator.register(new_request())
    with pytest.raises(DomainError, match="is not with your unit"):
        cadre.act(registered, "commit", {"due": DUE, "contact": "82710000"})
    number = dispatched(operator)
    close(operator, number, clock)
    before = event_count(operator)
    with pytest.raises(DomainError, match="cannot commit .* closed"):
        cadre.act(number, "commit", {"due": DUE, "contact": "82710000"})
    assert event_count(operator) == before


BAD = [
    ({"due": "2026-11-01", "contact": "82710000"}, InputError, "has passed"),
    ({"due": "2027-01-02", "contact": "82710000"}, InputError, "within 60 days"),
    ({"due": "2026-13-01", "contact": "82710000"}, InputError, "must be a date"),
    ({"due": "tomorrow", "contact": "82710000"}, InputError, "must be a date"),
    ({"due": "", "contact": "82710000"}, InputError, "needs --due"),
    ({"due": DUE}, InputError, "needs --contact"),
    ({"due": DUE, "contact": "   "}, InputError, "needs --contact"),
    ({"due": DUE, "contact": "8271\x1b[2J0000"}, InputError, "terminal escape"),
    ({"due": DUE, "contact": "8271\x070000"}, InputError, "control character"),
    ({"due": DUE, "contact": "8271\n0000"}, InputError, "single line"),
    ({"due": DUE, "contact": "8" * 101}, InputError, "at most 100"),
    ({"due": DUE, "contact": "82710000", "note": "长" * 2001}, InputError, "at most 2000"),
    ({"due": DUE, "contact": "82710000", "foo": "x"}, InputError, "does not take --foo"),
]


@pytest.mark.parametrize(("fields", "error", "message"), BAD, ids=[m for _, _, m in BAD])
def test_bad_input_is_refused_and_nothing_is_written(tmp_path, clock, fields, error, message):
    operator, cadre = desks(tmp_path, clock)
    number = dispatched(operator)
    before = event_count(operator)
    with pytest.raises(error, match=message):
        cadre.act(number, "commit", fields)
    assert event_count(operator) == before
    assert operator.show(number).ticket.commit_due_ms is None


def test_today_and_sixty_days_on_are_the_bounds(tmp_path, clock):
    operator, cadre = desks(tmp_path, clock)
    number = dispatched(operator)
    cadre.act(number, "commit", {"due": "2026-11-02", "contact": "82710000"})
    cadre.act(number, "commit", {"due": (dt.date(2026, 11, 2) + dt.timedelta(days=60)).isoformat(), "contact": "82710000"})
    assert operator.show(number).ticket.commit_due == "2027-01-01"


# --- the command line ------------------------------------------------------------------------------------

def hotline(tmp_path, *args, role="cadre", unit=SHIBEI, operator="李处长"):
    env = {"HOTLINE_DB": str(tmp_path / "store.sqlite"), "HOTLINE_CONFIG": str(tmp_path / "config.toml"),
           "HOTLINE_ROLE": role, "HOTLINE_OPERATOR": operator, "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    if unit:
        env["HOTLINE_UNIT"] = unit
    return subprocess.run([sys.executable, "-m", "hotline_tui", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_the_command_commits_and_refuses_as_the_desk_does(tmp_path):
    from hotline_tui.services import Desk

    desk = make_desk(tmp_path)  # on the wall clock, as the command
    number = dispatched(desk)
    today = dt.datetime.now(CHINA).date()
    due = (today + dt.timedelta(days=7)).isoformat()
    r = hotline(tmp_path, "ticket", "act", number, "commit", "--due", due, "--contact", "0532-82711234")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [number, "commit"]
    shown = hotline(tmp_path, "ticket", "show", number)
    assert f"不解决找我 李处长 (市北区) 承诺 {due} 前办结 · 联系 0532-82711234 · 承诺中" in shown.stdout
    data = json.loads(hotline(tmp_path, "ticket", "show", number, "--json").stdout)
    assert data["state"]["commit_by"] == "李处长" and data["state"]["commitment"] == "open"
    before = event_count(Desk(desk.settings))
    refusals = [
        (("--due", due, "--contact", "1"), {"role": "operator"}, "an operator may not commit"),
        (("--due", due, "--contact", "1"), {"role": "supervisor"}, "a supervisor may not commit"),
        (("--due", due, "--contact", "1"), {"unit": SHINAN}, "is not with your unit 370202"),
        (("--due", (today - dt.timedelta(days=1)).isoformat(), "--contact", "1"), {}, "has passed"),
        (("--due", due, "--contact", "1\x1b]0;x\x07"), {}, "terminal escape"),
        (("--due", due), {}, "needs --contact"),
    ]
    for options, who, message in refusals:
        r = hotline(tmp_path, "ticket", "act", number, "commit", *options, **who)
        assert r.returncode != 0 and message in r.stderr, (options, who, r.stderr)
    assert event_count(Desk(desk.settings)) == before


def test_a_0007_store_is_backfilled_on_upgrade(tmp_path, clock):
    """The commitment's columns from each ticket's folded state, and the duty cards from the log (a store that
    synced publications before it was upgraded)."""
    from hotline_tui.store.migrate import HEAD, current_version, downgrade

    operator, cadre = desks(tmp_path, clock)
    number = dispatched(operator)
    dispatched(operator)
    cadre.act(number, "commit", {"due": DUE, "contact": "82710000"})
    cadre.publish_card(SHIBEI, {"duties": "第一版"})
    cadre.publish_card(SHIBEI, {"duties": "第二版"})
    cols = ", ".join(TICKET_COLUMNS)

    def state(desk):
        with desk.store.read() as conn:
            tickets = sorted(tuple(r) for r in conn.execute(text(f"SELECT {cols} FROM ticket")))
            cards = [tuple(r) for r in conn.execute(text("SELECT * FROM duty_card"))]
        return tickets, cards

    before = state(cadre)
    assert before[1] and any(row[TICKET_COLUMNS.index("commit_by")] == "李处长" for row in before[0])
    downgrade(cadre.store.engine, "0007")
    cadre.store.close()
    operator.store.close()
    assert current_version(tmp_path / "store.sqlite") == "0007"
    again = make_desk(tmp_path, clock=clock)
    assert state(again) == before
    assert current_version(tmp_path / "store.sqlite") == HEAD
