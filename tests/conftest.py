"""Shared fixtures: every test runs away from the real user's folders; PostgreSQL when there is one."""

from __future__ import annotations

import os

import pytest

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path, monkeypatch):
    """No test reads or writes the real store, config or user folders, nor talks to a real hub."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.setenv("HOTLINE_DB", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("HOTLINE_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("HOTLINE_HUB", raising=False)
    for name in ("HOTLINE_PASSWORD", "HOTLINE_NEW_PASSWORD", "HOTLINE_ROLE", "HOTLINE_OPERATOR", "HOTLINE_UNIT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("HOTLINE_PRIVACY_KEY", raising=False)


@pytest.fixture
def postgres_url() -> str:
    """The test database's URL; skips when no server answers, unless HOTLINE_REQUIRE_POSTGRES=1 (CI)."""
    try:
        import psycopg

        psycopg.connect(POSTGRES_URL, connect_timeout=2).close()
    except Exception as exc:  # any failure to connect means "no usable server"
        reason = "no PostgreSQL server at 127.0.0.1:5432: " + " ".join(str(exc).split())
        if os.environ.get("HOTLINE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason} (HOTLINE_REQUIRE_POSTGRES=1 makes PostgreSQL tests required)")
        pytest.skip(reason)
    return POSTGRES_URL
