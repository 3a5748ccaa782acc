"""The store holds callers' names and numbers: its file, its -wal and -shm and a folder made for it are readable
by their owner alone, a store made by an older version (0644) is tightened when opened, and a read-only store
stays read-only. Tried: a new store in new nested folders, an old 0644 store with its WAL, a 0444 store."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from hotline_tui.errors import StoreError
from hotline_tui.store.event_store import open_store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def wal_files(path):
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def test_a_new_store_and_its_folders_are_the_owners_alone(tmp_path):
    path = tmp_path / "a" / "b" / "hotline.sqlite"
    store = open_store(path)
    try:
        with store.read() as conn:  # WAL mode keeps -wal and -shm while a connection is open
            conn.exec_driver_sql("SELECT count(*) FROM event").fetchall()
            assert [mode(f) for f in wal_files(path)] == [0o600] * 3
    finally:
        store.close()
    assert mode(tmp_path / "a") == 0o700 and mode(tmp_path / "a" / "b") == 0o700


def test_the_cli_makes_the_store_owner_only_whatever_the_umask(tmp_path):
    path = tmp_path / "cli.sqlite"
    code = "import os, sys; os.umask(0o022); from hotline_tui.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, "--db", str(path), "demo", "--tickets", "3", "--quiet"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert mode(path) == 0o600


def test_an_older_stores_files_are_tightened_when_opened(tmp_path):
    path = tmp_path / "old.sqlite"
    open_store(path).close()
    os.chmod(path, 0o644)
    store = open_store(path)
    try:
        with store.read() as conn:
            conn.exec_driver_sql("SELECT 1").fetchall()
        assert mode(path) == 0o600
    finally:
        store.close()


def test_a_read_only_store_stays_read_only(tmp_path):
    path = tmp_path / "ro.sqlite"
    open_store(path).close()
    os.chmod(path, 0o444)
    with pytest.raises(StoreError, match="read-only"):
        open_store(path)
    assert mode(path) == 0o444
