"""Shadow shifts (接线体悟) in the core and on the command line: start and end beside an operator, the refusals
(not a cadre, one already open, none open, an expired one), bad names and dates, 我当接线员's ``taken_by``, the
operator's live draft, and a unit's open requests overdue first."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from hotline_tui.domain.shift import EXPIRY_HOURS
from hotline_tui.errors import DomainError, InputError
from hotline_tui.store import shifts as shift_store
from tests.deskkit import SHINAN, TAIDONG, Clock, china_ms, event_count, make_desk, new_request


@pytest.fixture
def clock() -> Clock:
    return Clock(china_ms(2026, 11, 2, 9, 0))


def cadre_desk(tmp_path, clock, **kw):
    kw.setdefault("unit", TAIDONG)
    return make_desk(tmp_path, role="cadre", desk="B01", operator="李处长", clock=clock, **kw)


def operator_desk(tmp_path, clock):
    return make_desk(tmp_path, desk="A03", operator="王芳", clock=clock)


def shift_rows(desk) -> list[tuple]:
    with desk.store.read() as conn:
        return conn.execute(text("SELECT cadre, unit, desk, operator, started_ms, ended_ms FROM shift")).fetchall()


def test_a_shift_starts_and_ends_as_events_on_its_stream(tmp_path, clock):
    cadre = cadre_desk(tmp_path, clock)
    started = cadre.start_shift("王芳", "a03")
    assert started["status"] == "open" and started["desk"] == "A03" and started["operator"] == "王芳"
    assert cadre.current_shift()["id"] == started["id"]
    clock.advance(hours=2)
    ended = cadre.end_shift()
    assert ended["status"] == "ended" and ended["minutes"] == 120
    assert cadre.current_shift() is None
    with cadre.store.read() as conn:
        kinds = conn.execute(text("SELECT kind, actor, desk FROM event WHERE ticket = :s ORDER BY hlc"),
                             {"s": shift_store.stream_of(started["id"])}).fetchall()
    assert [tuple(k) for k in kinds] == [("shift_start", "李处长", "B01"), ("shift_end", "李处长", "B01")]
    [row] = shift_rows(cadre)
    assert row[:4] == ("李处长", TAIDONG, "A03", "王芳") and row[5] - row[4] == 2 * 3_600_000


def test_the_desk_defaults_to_this_desk_and_the_list_shows_the_calls(tmp_path, clock):
    cadre = cadre_desk(tmp_path, clock)
    cadre.start_shift("王芳")
    assert cadre.current_shift()["desk"] == "B01"


@pytest.mark.parametrize("role", ["operator", "supervisor"])
def test_only_a_cadre_may_start_or_end_a_shift(tmp_path, clock, role):
    desk = make_desk(tmp_path, role=role, clock=clock, unit=TAIDONG)
    desk.register(new_request())
    before = event_count(desk)
    with pytest.raises(DomainError, match="挂职干部"):
        desk.start_shift("王芳")
    with pytest.raises(DomainError, match="挂职干部"):
        desk.end_shift()
    assert event_count(desk) == before and desk.current_shift() is None


def test_a_cadre_without_a_unit_is_told_to_set_it(tmp_path, clock):
    cadre = cadre_desk(tmp_path, clock, unit=None)
    with pytest.raises(DomainError, match="desk] unit"):
        cadre.start_shift("王芳")


def test_a_second_shift_while_one_is_open_is_refused(tmp_path, clock):
    cadre = cadre_desk(tmp_path, clock)
    cadre.start_shift("王芳", "A03")
    before = event_count(cadre)
    with pytest.raises(DomainError, match="已在体悟中: 陪同 王芳 \\(A03\\)"):
        cadre.start_shift("张敏", "A05")
    assert event_count(cadre) == before and len(shift_rows(cadre)) == 1


def test_ending_a_shift_that_is_not_open_is_refused(tmp_path, clock):
    cadre = cadre_desk(tmp_path, clock)
    cadre.store  # an empty store: nothing open
    before = event_count(cadre)
    with pytest.raises(DomainError, match="没有进行中的体悟"):
        cadre.end_shift()
    cadre.start_shift("王芳", "A03")
    cadre.end_shift()
    with pytest.raises(DomainError, match="没有进行中的体悟"):
        cadre.end_shift()  # already ended
    assert event_count(cadre) == before + 2


def test_an_expired_shift_counts_as_ended_at_its_expiry_and_cannot_be_acted_on(tmp_path, clock):
    cadre = cadre_desk(tmp_path, clock)
    started = cadre.start_shift("王芳", "A03")
    clock.advance(hours=EXPIRY_HOURS, minutes=1)
    assert cadre.current_shift() is None
    before = event_count(cadre)
    with pytest.raises(DomainError, match="超时"):
        cadre.end_shift()
    with pytest.raises(DomainError, match="没有进行中的体悟"):
        cadre.confirm_take_call("王芳")
    assert event_count(cadre) == before
    [listed] = cadre.shift_list()
    assert listed["status"] == "expired" and listed["ended_ms"] == started["started_ms"] + EXPIRY_HOURS * 3_600_000
    assert listed["minutes"] == EXPIRY_HOURS * 60
    again = cadre.start_shift("王芳", "A03")  # a new shift may start once the old one expired
    assert again["status"] == "open" and again["id"] != started["id"]


BAD_NAMES = {
    "empty": "",
    "blank": "   ",
    "huge": "王" * 41,
    "very huge": "x" * 100_000,
    "control character": "王\x07芳",
    "escape sequence": "\x1b[31m王芳",
    "8-bit CSI": "王\x9b2J芳",
    "two lines": "王\n芳",
    "not text": 42,
}


@pytest.mark.parametrize("name", BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_bad_operator_names_are_refused_and_nothing_is_written(tmp_path, clock, name):
    cadre = cadre_desk(tmp_path, clock)
    cadre.store
    before = event_count(cadre)
    with pytest.raises(InputError, match="operator"):
        cadre.start_shift(name, "A03")
    assert event_count(cadre) == before and shift_rows(cadre) == []


@pytest.mark.parametrize("desk", ["a", "1AB", "ABCDEFG", "A-3", "\x1b[2J", "A0\x07"])
def test_bad_desk_codes_are_refused(tmp_path, clock, desk):
    cadre = cadre_desk(tmp_path, clock)
    cadre.store
    with pytest.raises(InputError, match="desk"):
        cadre.start_shift("王芳", desk)
    assert shift_rows(cadre) == []


def test_the_cadre_is_not_their_own_operator(tmp_path, clock):
    cadre = cadre_desk(tmp_path, clock)
    with pytest.raises(InputError, match="not yourself"):
        cadre.start_shift("李处长", "A03")


def test_the_projection_is_the_same_whatever_order_the_events_arrive_in(tmp_path, clock):
    cadre = cadre_desk(tmp_path, clock)
    cadre.start_shift("王芳", "A03")
    clock.advance(minutes=30)
    cadre.end_shift()
    held = shift_rows(cadre)
    with cadre.store.read() as conn:
        events = [shift_store.stream_of(""), conn.execute(text("SELECT id, ticket, hlc, desk, actor, kind, payload FROM event"
                                                               " ORDER BY hlc DESC")).fetchall()][1]
    other = make_desk(tmp_path, store_name="other.sqlite", clock=clock)
    from hotline_tui.store.event_store import row_event

    with other.store.write() as w:  # the end first, as a pulled page might bring them
        w.append([row_event(r) for r in events], if_new=True)
    assert shift_rows(other) == held
    assert cadre.rebuild()["events"] == 2 and shift_rows(cadre) == held


# --- 我当接线员 ----------------------------------------------------------------------------------------------


def test_a_taken_call_records_the_cadre_and_the_operator(tmp_path, clock):
    cadre = cadre_desk(tmp_path, clock)
    cadre.start_shift("王芳", "A03")
    assert cadre.confirm_take_call("王芳")["operator"] == "王芳"
    clock.advance(minutes=5)
    number = cadre.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}), taken_by="李处长")
    view = cadre.show(number)
    register = view.events[0]
    assert register.kind == "register" and register.actor == "李处长"
    assert register.payload["taken_by"] == "李处长" and register.payload["operator"] == "王芳"
    assert view.ticket.state == "dispatched" and view.ticket.registered_by == "李处长"
    [call] = cadre.shift_calls()
    assert call["number"] == number and call["taken"] and call["caller_phone"] == "138****1234"


def test_taken_by_is_refused_off_shift_for_others_and_for_non_cadres(tmp_path, clock):
    cadre = cadre_desk(tmp_path, clock)
    cadre.store
    before = event_count(cadre)
    with pytest.raises(DomainError, match="不在进行中的体悟"):
        cadre.register(new_request(), taken_by="李处长")
    cadre.start_shift("王芳", "A03")
    with pytest.raises(DomainError, match="cadre at this desk"):
        cadre.register(new_request(), taken_by="赵处长")
    operator = operator_desk(tmp_path, clock)
    with pytest.raises(DomainError, match="挂职干部"):
        operator.register(new_request(), taken_by="李处长")
    assert event_count(cadre) == before + 1  # the shift's start only


def test_the_operator_confirms_by_their_own_name(tmp_path, clock):
    cadre = cadre_desk(tmp_path, clock)
    with pytest.raises(DomainError, match="先在 F7 按 S 开始体悟"):
        cadre.confirm_take_call("王芳")  # T while no shift is open
    cadre.start_shift("王芳", "A03")
    with pytest.raises(DomainError, match="王芳"):
        cadre.confirm_take_call("张敏")
    with pytest.raises(InputError):
        cadre.confirm_take_call("\x1b]0;x\x07")
    operator = operator_desk(tmp_path, clock)
    with pytest.raises(DomainError, match="挂职干部"):
        operator.confirm_take_call("王芳")


# --- the calls heard and the live draft --------------------------------------------------------------------


def test_the_calls_heard_are_the_accompanied_operators_at_that_desk_since_the_start(tmp_path, clock):
    operator = operator_desk(tmp_path, clock)
    before = operator.register(new_request(description="体悟之前的来电"))
    clock.advance(minutes=1)
    cadre = cadre_desk(tmp_path, clock)
    cadre.start_shift("王芳", "A03")
    clock.advance(minutes=1)
    heard = operator.register(new_request(description="体悟中的来电", confidential=True))
    someone = make_desk(tmp_path, desk="A05", operator="张敏", clock=clock).register(new_request(description="别的台"))
    numbers = [c["number"] for c in cadre.shift_calls()]
    assert numbers == [heard] and before not in numbers and someone not in numbers
    assert cadre.shift_calls()[0]["caller_phone"] == "保密"
    assert cadre.shadow_poll()["heard"] == 1
    assert operator_desk(tmp_path, clock).shift_calls() == []  # an operator has no shift


def test_the_live_draft_is_published_only_beside_a_shift_and_never_the_full_number(tmp_path, clock):
    operator = operator_desk(tmp_path, clock)
    typed = {"caller_phone": "13805321234", "nature": "complaint", "category": ["城乡建设", "市容环境"],
             "place": TAIDONG, "description": "烧烤摊占用人行道\x1b[31m经营"}
    assert operator.publish_live_draft(typed) is False  # nobody sits beside 王芳: nothing written
    cadre = cadre_desk(tmp_path, clock)
    assert cadre.shift_live_draft() is None
    cadre.start_shift("王芳", "A03")
    assert operator.publish_live_draft(typed) is True
    draft = cadre.shadow_poll()["draft"]
    assert draft["phone"] == "138****1234" and draft["category"] == "城乡建设 › 市容环境" and draft["place"] == "台东街道"
    assert "\x1b" not in draft["summary"] and draft["summary"].startswith("烧烤摊")
    with operator.store.read() as conn:
        assert "13805321234" not in json.dumps([list(r) for r in conn.execute(text("SELECT * FROM live_draft"))])
    assert operator.publish_live_draft({**typed, "caller_phone": "1380532"})
    assert cadre.shift_live_draft()["phone"] == "…"  # a number half typed shows nothing of it
    clock.advance(minutes=11)
    assert cadre.shift_live_draft() is None  # an abandoned form is not a live call
    operator.publish_live_draft(typed)
    operator.clear_live_draft()
    assert cadre.shift_live_draft() is None


# --- a unit's open requests, overdue first -------------------------------------------------------------------


def test_a_units_open_requests_come_overdue_first_in_keyset_pages(tmp_path, clock):
    operator = operator_desk(tmp_path, clock)
    made = []
    for i in range(7):
        number = operator.register(new_request(description=f"第{i}件"))
        operator.act(number, "dispatch", {"lead": TAIDONG} if i % 2 else {"lead": SHINAN, "assist": [TAIDONG]})
        made.append(number)
        clock.advance(days=3)
    operator.register(new_request(description="别的单位"))
    cadre = cadre_desk(tmp_path, clock)
    first = cadre.unit_open_tickets(TAIDONG, limit=3, order="due")
    rest = cadre.unit_open_tickets(TAIDONG, limit=10, before=(first[-1]["due_key"], first[-1]["number"]), order="due")
    rows = first + rest
    assert sorted(r["number"] for r in rows) == sorted(made) and len(rows) == 7
    assert [r["number"] for r in rows] == made  # registered in turn: due in turn
    flags = [r["overdue"] for r in rows]
    assert flags[0] and flags == sorted(flags, reverse=True)  # every overdue one before any other
    with pytest.raises(InputError):
        cadre.unit_open_tickets(TAIDONG, order="oldest")
    with pytest.raises(DomainError, match="本单位"):
        cadre.unit_open_tickets(SHINAN, order="due")


# --- the command line ---------------------------------------------------------------------------------------


def hotline(tmp_path, *args, role="cadre", operator="李处长", unit=TAIDONG):
    env = {"HOTLINE_DB": str(tmp_path / "store.sqlite"), "HOTLINE_CONFIG": str(tmp_path / "config.toml"),
           "HOTLINE_ROLE": role, "HOTLINE_OPERATOR": operator, "HOTLINE_UNIT": unit, "HOTLINE_DESK": "B01",
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "hotline_tui", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_the_shift_commands(tmp_path):
    started = hotline(tmp_path, "shift", "start", "--operator", "王芳", "--desk", "A03")
    assert started.returncode == 0, started.stderr
    assert "体悟开始" in started.stdout and "陪同 王芳 @ A03" in started.stdout
    again = hotline(tmp_path, "shift", "start", "--operator", "王芳")
    assert again.returncode == 3 and "已在体悟中" in again.stderr
    listed = json.loads(hotline(tmp_path, "shift", "list", "--json").stdout)
    assert [(s["cadre"], s["operator"], s["status"]) for s in listed] == [("李处长", "王芳", "open")]
    ended = hotline(tmp_path, "shift", "end")
    assert ended.returncode == 0 and "体悟结束" in ended.stdout
    twice = hotline(tmp_path, "shift", "end")
    assert twice.returncode == 3 and "没有进行中的体悟" in twice.stderr
    shown = hotline(tmp_path, "shift", "list", "--since", "2000-01-01", role="supervisor", operator="赵强")
    assert shown.returncode == 0 and "李处长" in shown.stdout and "已结束" in shown.stdout


BAD_CLI = {
    "not a cadre": (("shift", "start", "--operator", "王芳"), {"role": "operator"}, 3, "挂职干部"),
    "empty operator": (("shift", "start", "--operator", ""), {}, 2, "operator is required"),
    "escape in operator": (("shift", "start", "--operator", "\x1b[2J王芳"), {}, 2, "escape sequence"),
    "huge operator": (("shift", "start", "--operator", "王" * 5000), {}, 2, "at most 40"),
    "bad desk": (("shift", "start", "--operator", "王芳", "--desk", "a-1"), {}, 2, "desk code"),
    "since not a date": (("shift", "list", "--since", "yesterday"), {}, 2, "is not a date"),
    "since with controls": (("shift", "list", "--since", "2026-13-01\x1b"), {}, 2, "is not a date"),
    "end with none open": (("shift", "end"), {}, 3, "没有进行中的体悟"),
}


@pytest.mark.parametrize("args, env, code, message", BAD_CLI.values(), ids=BAD_CLI.keys())
def test_bad_shift_commands_say_why_and_write_nothing(tmp_path, args, env, code, message):
    done = hotline(tmp_path, *args, **env)
    assert done.returncode == code and message in done.stderr and "Traceback" not in done.stderr
    assert "\x1b" not in done.stderr
    if (tmp_path / "store.sqlite").exists():
        from tests.deskkit import make_desk as _make

        desk = _make(tmp_path)
        assert event_count(desk) == 0


def test_on_a_store_with_users_the_operator_confirms_with_their_own_password(tmp_path, clock):
    """Bad inputs tried: no password, a wrong one, the cadre's own password for the operator; each refused,
    audited as a failed sign-in of the operator, and the shift left as it was."""
    from hotline_tui.auth.audit import sign_in_history
    from hotline_tui.facade.users import SignInRefused
    from tests.userkit import PASSWORDS, cheap_hashes, signed_in, store_with_users  # noqa: F401

    store_with_users(tmp_path, clock)
    cadre = signed_in(tmp_path, clock, "chenmin")
    cadre.start_shift("wangfang", "A03")
    for password, message in ((None, "give your password"), ("nope", "wrong password for wangfang"),
                              (PASSWORDS["chenmin"], "wrong password for wangfang")):
        with pytest.raises(SignInRefused, match=message):
            cadre.confirm_take_call("wangfang", password)
    with cadre.store.read() as conn:
        failures, _ = sign_in_history(conn, "wangfang", 0, clock() + 1)
    assert len(failures) == 3
    with pytest.raises(SignInRefused, match="wait 30 s"):  # throttled like a sign-in, even with the right one
        cadre.confirm_take_call("wangfang", PASSWORDS["wangfang"])
    clock.advance(minutes=1)
    assert cadre.confirm_take_call("wangfang", PASSWORDS["wangfang"])["operator"] == "wangfang"
    assert cadre.settings.operator == "chenmin"  # confirming signs nobody in or out
