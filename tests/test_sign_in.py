"""Sign-in: by the facade, the command line (``hotline --user NAME``, HOTLINE_PASSWORD) and the desk's sign-in
screen at 80×24. Failures write only their ``sign_in_failed`` event (never the password); repeated failures make
the next try wait (tested with an injected clock, no sleeping); a config cannot raise a person's role.

Bad inputs tried: a wrong password, an unknown user, a 5,000-character name, a disabled user, an empty name, an empty password, a
257-character password, names with a BEL and an ESC sequence, a tampered config claiming supervisor for an
operator, no --user on a store with users, --user on a store without users, no password in a pipe."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import text

from hotline_tui.auth import throttle
from hotline_tui.errors import InputError
from hotline_tui.facade.users import SignInRefused
from tests.deskkit import SHIBEI, event_count, make_desk, new_request
from tests.pilotkit import pilot
from tests.userkit import PASSWORDS, cheap_hashes, monday_clock, run_cli, signed_in, store_with_users  # noqa: F401


def audit_events(desk) -> list[tuple[str, dict]]:
    with desk.store.read() as conn:
        rows = conn.execute(text("SELECT kind, payload FROM event WHERE ticket LIKE '~audit/%' ORDER BY hlc, id"))
        return [(k, json.loads(p)) for k, p in rows]


def test_signing_in_names_the_person_in_the_settings_and_is_an_event(tmp_path, clock):
    store_with_users(tmp_path, clock)
    desk = make_desk(tmp_path, clock=clock)
    assert (desk.settings.operator, desk.settings.role) == ("王芳", "operator")
    result = desk.sign_in("chenmin", PASSWORDS["chenmin"])
    assert result == {"name": "chenmin", "role": "cadre", "own_role": "cadre", "unit": SHIBEI, "notice": None}
    assert (desk.settings.operator, desk.settings.role, desk.settings.unit) == ("chenmin", "cadre", SHIBEI)
    assert audit_events(desk)[-1] == ("sign_in", {"name": "chenmin", "role": "cadre", "own_role": "cadre"})
    desk.sign_out()
    assert audit_events(desk)[-1] == ("sign_out", {"name": "chenmin"})
    with desk.store.read() as conn:
        stream = conn.execute(text("SELECT ticket FROM event WHERE kind = 'sign_out'")).scalar()
    assert stream == "~audit/2026-11"  # the month in China's time


FAILURES = [
    ("wangfang", "wrong-password", "wrong password for wangfang", "wrong password"),
    ("nobody", "whatever-pass", "no user nobody at this desk", "unknown user"),
    ("wangfang", "", "give your password", "no password"),
    ("wangfang", "p" * 257, "at most 256 characters", "password too long"),
    ("wang\x07fang", "wangfang-pass", "no user wang\\x07fang", "unknown user"),
    ("\x1b[2Jadmin", "admin-pass-1", "no user \\x1b[2Jadmin", "unknown user"),
    ("w" * 5000, "wangfang-pass", "no user " + "w" * 40 + "…", "unknown user"),
]


@pytest.mark.parametrize("name,password,message,reason", FAILURES)
def test_a_failed_sign_in_writes_only_its_event_without_the_password(tmp_path, clock, name, password, message, reason):
    store_with_users(tmp_path, clock)
    desk = make_desk(tmp_path, clock=clock)
    before = event_count(desk)
    with pytest.raises(SignInRefused, match=re.escape(message)):
        desk.sign_in(name, password)
    assert event_count(desk) == before + 1
    kind, payload = audit_events(desk)[-1]
    assert kind == "sign_in_failed" and payload["reason"] == reason
    assert "\x1b" not in payload["name"] and "\x07" not in payload["name"]
    assert password not in json.dumps(payload) or not password
    assert (desk.settings.operator, desk.signed_in) == ("王芳", False)


def test_an_empty_name_is_refused_without_an_event(tmp_path, clock):
    store_with_users(tmp_path, clock)
    desk = make_desk(tmp_path, clock=clock)
    before = event_count(desk)
    for name in ("", "   ", None):
        with pytest.raises(InputError, match="give your user name"):
            desk.sign_in(name, "x")
    assert event_count(desk) == before


def test_a_disabled_user_is_told_so_only_with_the_right_password(tmp_path, clock):
    store_with_users(tmp_path, clock)
    signed_in(tmp_path, clock, "admin").disable_user("zhaolei")
    desk = make_desk(tmp_path, clock=clock)
    with pytest.raises(SignInRefused, match="wrong password for zhaolei"):
        desk.sign_in("zhaolei", "not-the-password")
    with pytest.raises(SignInRefused, match="zhaolei is disabled: ask an admin"):
        desk.sign_in("zhaolei", PASSWORDS["zhaolei"])


def test_repeated_failures_make_the_next_try_wait_longer(tmp_path, clock):
    assert [throttle.wait_after(n) for n in range(1, 9)] == [0, 0, 30, 60, 120, 240, 480, 900]
    store_with_users(tmp_path, clock)
    desk = make_desk(tmp_path, clock=clock)
    with pytest.raises(SignInRefused, match=r"\(2 more before a wait\)"):
        desk.sign_in("wangfang", "bad-1-password")
    with pytest.raises(SignInRefused, match=r"\(1 more before a wait\)"):
        desk.sign_in("wangfang", "bad-2-password")
    with pytest.raises(SignInRefused, match="wait 30 s before the next try"):
        desk.sign_in("wangfang", "bad-3-password")
    clock.advance(minutes=10 / 60)  # 10 s later: even the right password waits, the password not checked
    with pytest.raises(SignInRefused, match="too many failed sign-ins for wangfang: wait 20 s"):
        desk.sign_in("wangfang", PASSWORDS["wangfang"])
    assert audit_events(desk)[-1][1]["reason"] == "throttled"
    clock.advance(minutes=21 / 60)
    with pytest.raises(SignInRefused, match="wait 60 s before the next try"):  # the 4th failure doubles it
        desk.sign_in("wangfang", "bad-4-password")
    clock.advance(minutes=59 / 60)
    with pytest.raises(SignInRefused, match="wait 1 s"):
        desk.sign_in("wangfang", PASSWORDS["wangfang"])
    clock.advance(minutes=1 / 60)
    assert desk.sign_in("wangfang", PASSWORDS["wangfang"])["name"] == "wangfang"
    # a success starts the count again; other names were never held up
    other = make_desk(tmp_path, clock=clock)
    with pytest.raises(SignInRefused, match=r"\(2 more before a wait\)"):
        other.sign_in("wangfang", "bad-5-password")
    assert make_desk(tmp_path, clock=clock).sign_in("zhaolei", PASSWORDS["zhaolei"])["name"] == "zhaolei"


def test_failures_older_than_the_window_are_forgotten(tmp_path, clock):
    store_with_users(tmp_path, clock)
    desk = make_desk(tmp_path, clock=clock)
    for i in range(3):
        with pytest.raises(SignInRefused):
            desk.sign_in("wangfang", f"bad-{i}-password")
    clock.advance(minutes=16)
    with pytest.raises(SignInRefused, match=r"\(2 more before a wait\)"):
        desk.sign_in("wangfang", "bad-x-password")


@pytest.mark.parametrize("own,pinned,works_as,notice", [
    ("wangfang", "supervisor", "operator", "configured role supervisor is ignored: a config cannot raise a operator's role"),
    ("chenmin", "operator", "cadre", "configured role operator is ignored"),
    ("zhaolei", "operator", "operator", "pinned to operator"),
    ("admin", "supervisor", "supervisor", "pinned to supervisor"),
    ("zhaolei", "supervisor", "supervisor", None),
])
def test_a_desks_pinned_role_lowers_but_never_raises(tmp_path, clock, own, pinned, works_as, notice):
    store_with_users(tmp_path, clock)
    desk = make_desk(tmp_path, clock=clock, role=pinned, role_from="config")
    result = desk.sign_in(own, PASSWORDS[own])
    assert desk.settings.role == works_as == result["role"]
    assert (notice is None and result["notice"] is None) or notice in result["notice"]


# --- the command line ---------------------------------------------------------------------------------

def test_a_store_without_users_runs_commands_as_before(tmp_path, clock, monkeypatch, capsys):
    desk = make_desk(tmp_path, clock=clock)
    desk.register(new_request())
    code, out, err = run_cli(monkeypatch, capsys, "ticket", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 1
    code, out, err = run_cli(monkeypatch, capsys, "--user", "admin", "ticket", "list")
    assert code == 2 and "this store has no users yet" in err


def test_every_ticket_command_signs_in_once_there_are_users(tmp_path, clock, monkeypatch, capsys):
    store_with_users(tmp_path, clock)
    before = event_count(make_desk(tmp_path, clock=clock))
    for args in (["ticket", "list"], ["query", "state:open"], ["report", "monthly", "2026-10"], ["audit"],
                 ["export", "open311", "--out", str(tmp_path / "x.json")]):
        code, out, err = run_cli(monkeypatch, capsys, *args)
        assert code == 2 and "this store has users: sign in with `hotline --user NAME ...`" in err, (args, err)
    assert event_count(make_desk(tmp_path, clock=clock)) == before
    code, out, err = run_cli(monkeypatch, capsys, "--user", "wangfang", "ticket", "list", "--json", password=PASSWORDS["wangfang"])
    assert code == 0 and json.loads(out) == []
    code, out, err = run_cli(monkeypatch, capsys, "--user", "wangfang", "ticket", "list", password="wrong-password")
    assert code == 3 and "wrong password for wangfang" in err
    code, out, err = run_cli(monkeypatch, capsys, "--user", "wangfang", "ticket", "list")  # no password, not a terminal
    assert code == 2 and "set HOTLINE_PASSWORD" in err
    kinds = [k for k, _ in audit_events(make_desk(tmp_path, clock=clock))]
    assert kinds[-2:] == ["sign_in", "sign_in_failed"]


def test_a_tampered_config_cannot_make_an_operator_a_supervisor(tmp_path, clock, monkeypatch, capsys):
    desk = store_with_users(tmp_path, clock)
    number = signed_in(tmp_path, clock, "wangfang").register(new_request())
    (tmp_path / "config.toml").write_text('[desk]\nrole = "supervisor"\noperator = "zhaolei"\n')
    before = event_count(desk)
    code, out, err = run_cli(monkeypatch, capsys, "--user", "wangfang", "ticket", "act", number, "supervise", "--note", "x",
                             password=PASSWORDS["wangfang"])
    assert code == 3
    assert "note: the desk's configured role supervisor is ignored" in err
    assert "an operator may not supervise (督办): supervisor or admin only" in err
    assert event_count(desk) == before + 1  # the sign-in, nothing else



# --- the desk's sign-in screen --------------------------------------------------------------------------

def header(app) -> str:
    from screens.frame import DeskHeader

    return str(app.screen_stack[0].query_one(DeskHeader).render()) if app.screen_stack[0].query(DeskHeader) else ""


async def type_in(pilot, text_value: str) -> None:
    for ch in text_value:
        await pilot.press(ch if ch != "-" else "minus")


@pilot
async def test_the_desk_asks_who_signs_in_at_80x24(tmp_path, clock):
    from hotline_tui.app import HotlineApp
    from screens.sign_in import SignInScreen
    from screens.ticket import TicketScreen
    from tests.pilotkit import workers_done

    store_with_users(tmp_path, clock)
    desk = make_desk(tmp_path, clock=clock)
    app = HotlineApp(desk.settings, desk=desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert app.desk is None and "未登录" in app.status["who"]
        box = app.screen.query_one("#sign-in-box").region
        assert box.right <= 80 and box.bottom <= 24 and box.width >= 40
        await pilot.press("f5")  # no area opens before someone signs in
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        before = event_count(desk)
        await type_in(pilot, "wangfang")
        await pilot.press("enter")  # to the password
        await type_in(pilot, "bad-password")
        await pilot.press("enter")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert "wrong password for wangfang" in str(app.screen.query_one("#sign-in-error").render())
        assert app.screen.query_one("#sign-in-password").value == ""
        assert event_count(desk) == before + 1
        await type_in(pilot, PASSWORDS["wangfang"])
        await pilot.press("enter")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, TicketScreen)
        assert app.desk is desk and app.settings.operator == "wangfang"
        assert "desk A07 · wangfang (operator)" in app.status["who"]
    app.sign_out()
    assert audit_events(desk)[-1] == ("sign_out", {"name": "wangfang"})


@pilot
async def test_a_demo_store_lists_its_demo_users_on_the_sign_in_screen(tmp_path, clock):
    from hotline_tui.app import HotlineApp
    from hotline_tui.demo.users import demo_people
    from screens.sign_in import SignInScreen
    from tests.pilotkit import workers_done

    from tests.deskkit import shipped_desk

    desk = shipped_desk(tmp_path, clock)  # the shipped directory: the demo cadres' units are real
    desk.add_demo_users(demo_people())
    app = HotlineApp(desk.settings, desk=shipped_desk(tmp_path, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        shown = str(app.screen.query_one("#sign-in-demo").render())
        assert "admin" in shown and "demo-admin" in shown and "demo-chenmin" in shown
        await type_in(pilot, "chenmin")
        await pilot.press("enter")
        await type_in(pilot, "demo-chenmin")
        await pilot.press("enter")
        await workers_done(app)
        await pilot.pause()
        assert app.settings.role == "cadre" and app.settings.unit == "370203"


def test_hotline_user_signs_in_before_the_desk_takes_the_terminal(tmp_path, clock, monkeypatch, capsys):
    from hotline_tui.app import HotlineApp

    store_with_users(tmp_path, clock)
    opened = []
    monkeypatch.setattr(HotlineApp, "run", lambda self, **kw: opened.append((self.settings, self.desk)))
    code, out, err = run_cli(monkeypatch, capsys, "--user", "zhaolei", password="wrong-password")
    assert code == 3 and "wrong password for zhaolei" in err and opened == []
    code, out, err = run_cli(monkeypatch, capsys, "--user", "zhaolei", password=PASSWORDS["zhaolei"])
    assert code == 0, err
    settings, desk = opened[0]
    assert (settings.operator, settings.role) == ("zhaolei", "supervisor") and desk.signed_in
    kinds = [k for k, _ in audit_events(desk)]
    assert kinds[-3:] == ["sign_in_failed", "sign_in", "sign_out"]  # signed out when the desk closed
