"""Building blocks for the users' tests: cheap password hashes, a store with users, the CLI run in-process."""

from __future__ import annotations

import pytest

from hotline_tui.auth import passwords
from tests.deskkit import SHIBEI, Clock, china_ms, make_desk

PASSWORDS = {"admin": "admin-pass-1", "wangfang": "wangfang-pass", "zhaolei": "zhaolei-pass", "chenmin": "chenmin-pass"}


@pytest.fixture(autouse=True)
def cheap_hashes():
    """Argon2id with tiny costs: the rules are the same, the tests do not wait on 64 MiB hashes
    (tests/bench_signin.py measures the real parameters)."""
    from argon2 import PasswordHasher, Type

    before = passwords._hasher
    passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID))
    yield
    passwords.use_hasher(before)


@pytest.fixture(name="clock")
def monday_clock() -> Clock:
    return Clock(china_ms(2026, 11, 2, 9, 0))


def store_with_users(tmp_path, clock, **kw):
    """A desk (the config's operator 王芳) whose store has an admin, an operator, a supervisor and a cadre of
    市北区; returns the desk, not signed in."""
    desk = make_desk(tmp_path, clock=clock, **kw)
    desk.add_user("admin", "admin", PASSWORDS["admin"])
    admin = make_desk(tmp_path, clock=clock, **kw)
    admin.sign_in("admin", PASSWORDS["admin"])
    admin.add_user("wangfang", "operator", PASSWORDS["wangfang"])
    admin.add_user("zhaolei", "supervisor", PASSWORDS["zhaolei"])
    admin.add_user("chenmin", "cadre", PASSWORDS["chenmin"], unit=SHIBEI)
    return make_desk(tmp_path, clock=clock, **kw)


def signed_in(tmp_path, clock, name, **kw):
    desk = make_desk(tmp_path, clock=clock, **kw)
    desk.sign_in(name, PASSWORDS[name])
    return desk


def run_cli(monkeypatch, capsys, *args, password=None, new_password=None) -> tuple[int, str, str]:
    """``hotline ARGS`` in this process (exit code, stdout, stderr), the passwords given as the environment."""
    from hotline_tui.cli import main

    for env, value in (("HOTLINE_PASSWORD", password), ("HOTLINE_NEW_PASSWORD", new_password)):
        if value is None:
            monkeypatch.delenv(env, raising=False)
        else:
            monkeypatch.setenv(env, value)
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
