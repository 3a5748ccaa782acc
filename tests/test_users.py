"""Users: the first is an admin added without signing in, then only admins add and change users; every bad
input is refused with a clear message and nothing written; the user table is a fold of the ``~user`` streams
(rebuilt the same), and users sync through a SQLite hub so a user added at desk 1 signs in at desk 2, also
when the hub is down by then.

Bad inputs tried: a first user who is not an admin; names empty, blank, 33 characters, with a BEL, an ESC
sequence, a newline, a slash, not text; passwords empty, 7 characters, 257 characters, with a NUL, an ESC, a
tab, equal to the name; a role that does not exist (and one with an escape sequence); a cadre with no unit, an
unknown unit; a name twice; an operator and a cadre administering users; disabling the last admin."""

from __future__ import annotations

import json
import re

import pytest

from hotline_tui.errors import DomainError, InputError, NotFound
from hotline_tui.facade.users import SignInRefused
from hotline_tui.sync.hub import HubError
from tests.deskkit import SHIBEI, event_count, make_desk
from tests.userkit import PASSWORDS, cheap_hashes, monday_clock, signed_in, store_with_users  # noqa: F401 (fixtures)


def user_rows(desk) -> list[dict]:
    from sqlalchemy import text

    with desk.store.read() as conn:
        return [dict(r._mapping) for r in conn.execute(text('SELECT * FROM "user" ORDER BY name'))]


def test_a_new_store_has_no_users_and_the_first_must_be_an_admin(tmp_path, clock):
    desk = make_desk(tmp_path, clock=clock)
    assert not desk.has_users()
    before = event_count(desk)
    with pytest.raises(InputError, match="the first one must be an admin"):
        desk.add_user("wangfang", "operator", "wangfang-pass")
    assert event_count(desk) == before and not desk.has_users()
    desk.add_user("admin", "admin", "admin-pass-1")
    assert desk.has_users()
    again = make_desk(tmp_path, clock=clock)
    with pytest.raises(InputError, match="sign in as an admin first"):
        again.add_user("lijing", "operator", "lijing-pass")
    assert [u["name"] for u in user_rows(desk)] == ["admin"]


def test_the_password_is_stored_as_an_argon2id_hash_only(tmp_path, clock):
    desk = make_desk(tmp_path, clock=clock)
    desk.add_user("admin", "admin", "admin-pass-1")
    from sqlalchemy import text

    with desk.store.read() as conn:
        log = " ".join(r[0] for r in conn.execute(text("SELECT payload FROM event")))
    assert "admin-pass-1" not in log
    assert user_rows(desk)[0]["password_hash"].startswith("$argon2id$")


BAD_NAMES = [("", "give a user name"), ("   ", "give a user name"), ("x" * 33, "at most 32 characters"),
             ("wang\x07fang", "control character U+0007"), ("wang\x1b[31mfang", "terminal escape sequence"),
             ("wang\nfang", "control character U+000A"), ("wang/fang", "letters and digits"), (42, "must be text")]


@pytest.mark.parametrize("name,message", BAD_NAMES)
def test_bad_names_are_refused_and_nothing_is_written(tmp_path, clock, name, message):
    admin = store_with_users(tmp_path, clock)
    admin.sign_in("admin", PASSWORDS["admin"])
    before = event_count(admin)
    with pytest.raises(InputError, match=re.escape(message)):
        admin.add_user(name, "operator", "a-good-password")
    assert event_count(admin) == before


BAD_PASSWORDS = [("", "empty"), ("short77", "too short"), ("p" * 257, "too long"), ("pass\x00word", "U+0000"),
                 ("pass\x1bword", "escape sequence"), ("pass\tword1", "U+0009"), ("lijing", "too short")]


@pytest.mark.parametrize("password,message", BAD_PASSWORDS)
def test_bad_passwords_are_refused_and_nothing_is_written(tmp_path, clock, password, message):
    admin = signed_in_admin(tmp_path, clock)
    before = event_count(admin)
    with pytest.raises(InputError, match=re.escape(message)):
        admin.add_user("lijing", "operator", password)
    assert event_count(admin) == before


def test_a_password_equal_to_the_name_is_refused(tmp_path, clock):
    admin = signed_in_admin(tmp_path, clock)
    with pytest.raises(InputError, match="must not be the user name"):
        admin.add_user("lijing12", "operator", "LIJING12")


def signed_in_admin(tmp_path, clock):
    store_with_users(tmp_path, clock)
    return signed_in(tmp_path, clock, "admin")


def test_roles_and_units_are_checked(tmp_path, clock):
    admin = signed_in_admin(tmp_path, clock)
    before = event_count(admin)
    with pytest.raises(InputError, match="no role 'superuser': roles are operator, cadre, supervisor, admin"):
        admin.add_user("lijing", "superuser", "lijing-pass")
    with pytest.raises(InputError, match=re.escape("no role 'x\\x1b[2J'")):
        admin.add_user("lijing", "x\x1b[2J", "lijing-pass")
    with pytest.raises(InputError, match="a cadre needs --unit"):
        admin.add_user("liuyang", "cadre", "liuyang-pass")
    with pytest.raises(InputError, match="no unit 'NOPE' in the directory"):
        admin.add_user("liuyang", "cadre", "liuyang-pass", unit="NOPE")
    with pytest.raises(InputError, match="user wangfang already exists"):
        admin.add_user("wangfang", "operator", "another-pass")
    assert event_count(admin) == before
    assert admin.add_user("liuyang", "cadre", "liuyang-pass", unit=SHIBEI) == {"name": "liuyang", "role": "cadre", "unit": SHIBEI}


@pytest.mark.parametrize("who", ["wangfang", "chenmin", "zhaolei"])
def test_only_an_admin_administers_users(tmp_path, clock, who):
    store_with_users(tmp_path, clock)
    desk = signed_in(tmp_path, clock, who)
    before = event_count(desk)
    role = desk.settings.role
    for call in (lambda: desk.add_user("lijing", "operator", "lijing-pass"), desk.list_users,
                 lambda: desk.disable_user("admin"), lambda: desk.set_role(who, "admin")):
        with pytest.raises(DomainError, match=f"{role} may not user_admin .管理用户.: admin only"):
            call()
    assert event_count(desk) == before


def test_disable_enable_role_and_password_change_what_signs_in(tmp_path, clock):
    admin = signed_in_admin(tmp_path, clock)
    assert admin.disable_user("wangfang") == {"name": "wangfang", "changed": True}
    assert admin.disable_user("wangfang")["changed"] is False  # already: nothing written
    with pytest.raises(SignInRefused, match="wangfang is disabled"):
        make_desk(tmp_path, clock=clock).sign_in("wangfang", PASSWORDS["wangfang"])
    admin.enable_user("wangfang")
    admin.set_role("wangfang", "supervisor")
    desk = signed_in(tmp_path, clock, "wangfang")
    assert (desk.settings.operator, desk.settings.role) == ("wangfang", "supervisor")
    admin.set_password("wangfang", "a-new-password")
    with pytest.raises(SignInRefused, match="wrong password for wangfang"):
        make_desk(tmp_path, clock=clock).sign_in("wangfang", PASSWORDS["wangfang"])
    assert make_desk(tmp_path, clock=clock).sign_in("wangfang", "a-new-password")["role"] == "supervisor"
    with pytest.raises(NotFound, match="no user nobody"):
        admin.disable_user("nobody")
    with pytest.raises(DomainError, match="last enabled admin"):
        admin.disable_user("admin")
    with pytest.raises(DomainError, match="last enabled admin"):
        admin.set_role("admin", "operator")


def test_a_person_may_change_their_own_password_only(tmp_path, clock):
    store_with_users(tmp_path, clock)
    desk = signed_in(tmp_path, clock, "wangfang")
    desk.set_password("wangfang", "mine-changed-1")
    with pytest.raises(DomainError, match="may not user_admin"):
        desk.set_password("zhaolei", "theirs-changed")
    assert make_desk(tmp_path, clock=clock).sign_in("wangfang", "mine-changed-1")["name"] == "wangfang"


def test_the_user_table_is_rebuilt_from_the_log_the_same(tmp_path, clock):
    admin = signed_in_admin(tmp_path, clock)
    admin.set_role("chenmin", "operator")
    admin.disable_user("zhaolei")
    before = user_rows(admin)
    admin.rebuild()
    assert user_rows(admin) == before
    assert {u["name"]: (u["role"], u["disabled"]) for u in before}["zhaolei"] == ("supervisor", 1)


def test_users_sync_through_the_hub_and_sign_in_with_the_hub_down(tmp_path, clock):
    hub = str(tmp_path / "shared" / "hub.sqlite")
    (tmp_path / "shared").mkdir()
    first = make_desk(tmp_path, clock=clock, hub=hub)
    first.add_user("admin", "admin", PASSWORDS["admin"])
    first.sign_in("admin", PASSWORDS["admin"])
    first.add_user("chenmin", "cadre", PASSWORDS["chenmin"], unit=SHIBEI)
    first.sync_now()
    second = make_desk(tmp_path, clock=clock, desk="B02", store_name="other.sqlite", hub=hub)
    assert not second.has_users()
    second.sync_now()
    assert second.has_users()
    # the hub is down (nothing listens there): sign-in uses the users this desk already holds
    down = "postgresql://postgres@127.0.0.1:9/test"
    cadre = make_desk(tmp_path, clock=clock, desk="B02", store_name="other.sqlite", hub=down)
    assert cadre.sign_in("chenmin", PASSWORDS["chenmin"])["role"] == "cadre"
    assert (cadre.settings.operator, cadre.settings.unit) == ("chenmin", SHIBEI)
    with pytest.raises(HubError):
        cadre.sync_now()
    # a role change made at desk 1 arrives at desk 2 with the next sync
    first.set_role("chenmin", "operator")
    first.sync_now()
    second.sync_now()
    assert make_desk(tmp_path, clock=clock, desk="B02", store_name="other.sqlite").sign_in(
        "chenmin", PASSWORDS["chenmin"])["role"] == "operator"


def test_the_first_user_add_wins_when_two_desks_add_the_same_name(tmp_path, clock):
    hub = str(tmp_path / "hub.sqlite")
    one = make_desk(tmp_path, clock=clock, hub=hub, store_name="one.sqlite")
    one.add_user("admin", "admin", "first-admin-pw")
    clock.advance(minutes=1)
    two = make_desk(tmp_path, clock=clock, hub=hub, desk="B02", store_name="two.sqlite")
    two.add_user("admin", "admin", "second-admin-pw")
    one.sync_now(), two.sync_now(), one.sync_now()
    for store in ("one.sqlite", "two.sqlite"):
        d = make_desk(tmp_path, clock=clock, store_name=store)
        assert d.sign_in("admin", "first-admin-pw")["name"] == "admin"


def test_demo_users_are_made_printed_and_sign_in(tmp_path, clock, monkeypatch, capsys):
    from tests.userkit import run_cli

    code, out, err = run_cli(monkeypatch, capsys, "demo", "--tickets", "5", "--users", "--quiet", "--workers", "0")
    assert code == 0, err
    printed = {line.split()[0]: line.split() for line in out.splitlines()[2:]}
    assert set(printed) == {"admin", "wangfang", "lijing", "zhaolei", "chenmin", "liuyang"}
    assert printed["chenmin"][1:3] == ["cadre", "370203"] and printed["liuyang"][1:3] == ["cadre", "D-CGJ"]
    roles = {line[1] for line in printed.values()}
    assert roles == {"admin", "operator", "supervisor", "cadre"}
    code, out, err = run_cli(monkeypatch, capsys, "--user", "liuyang", "ticket", "list", password=printed["liuyang"][-1])
    assert code == 0, err
    code, out, err = run_cli(monkeypatch, capsys, "demo", "--tickets", "5", "--users", "--quiet")
    assert code == 2 and "already has users" in err
    code, out, err = run_cli(monkeypatch, capsys, "demo", "--tickets", "5", "--quiet")
    assert code == 2 and "this store has users: sign in" in err


def test_a_demo_without_users_leaves_the_store_without_users(tmp_path, monkeypatch, capsys):
    from tests.userkit import run_cli

    code, out, err = run_cli(monkeypatch, capsys, "demo", "--tickets", "3", "--quiet", "--workers", "0")
    assert code == 0 and "demo users" not in out
    code, out, err = run_cli(monkeypatch, capsys, "ticket", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 3


def test_the_user_commands_with_real_hashes_in_a_process(tmp_path):
    """The installed command, end to end, with the real Argon2id parameters and the passwords from the environment."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "HOTLINE_DB": str(tmp_path / "store.sqlite"), "HOTLINE_CONFIG": str(tmp_path / "config.toml")}
    for k in ("HOTLINE_PASSWORD", "HOTLINE_NEW_PASSWORD", "HOTLINE_ROLE"):
        env.pop(k, None)

    def hotline(*args, **extra):
        return subprocess.run([sys.executable, "-m", "hotline_tui", *args], capture_output=True, text=True,
                              env={**env, **extra}, timeout=120, stdin=subprocess.DEVNULL)

    r = hotline("user", "add", "wangfang", "--role", "operator", HOTLINE_NEW_PASSWORD="wangfang-pass")
    assert r.returncode == 2 and "the first one must be an admin" in r.stderr
    r = hotline("user", "add", "admin", "--role", "admin")
    assert r.returncode == 2 and "set HOTLINE_NEW_PASSWORD" in r.stderr
    r = hotline("user", "add", "admin", "--role", "admin", HOTLINE_NEW_PASSWORD="admin-pass-1")
    assert r.returncode == 0 and "added admin as admin" in r.stdout
    r = hotline("user", "add", "chenmin", "--role", "cadre", "--unit", "370203", HOTLINE_NEW_PASSWORD="chenmin-pass")
    assert r.returncode == 2 and "sign in with `hotline --user NAME" in r.stderr
    r = hotline("--user", "admin", "user", "add", "chenmin", "--role", "cadre", "--unit", "370203",
                HOTLINE_PASSWORD="admin-pass-1", HOTLINE_NEW_PASSWORD="chenmin-pass")
    assert r.returncode == 0 and "added chenmin as cadre of 370203 市北区" in r.stdout
    r = hotline("--user", "admin", "user", "role", "chenmin", "boss", HOTLINE_PASSWORD="admin-pass-1")
    assert r.returncode == 2 and "no role 'boss'" in r.stderr
    r = hotline("--user", "admin", "user", "disable", "chenmin", HOTLINE_PASSWORD="admin-pass-1")
    assert r.returncode == 0 and "chenmin disabled" in r.stdout
    r = hotline("--user", "chenmin", "ticket", "list", HOTLINE_PASSWORD="chenmin-pass")
    assert r.returncode == 3 and "chenmin is disabled" in r.stderr
    r = hotline("--user", "admin", "user", "list", "--json", HOTLINE_PASSWORD="admin-pass-1")
    users = {u["name"]: u for u in json.loads(r.stdout)}
    assert users["chenmin"]["disabled"] is True and "password_hash" not in users["chenmin"]
