"""The command line with bad input, as a script would meet it: exit code other than 0, one clear line
on stderr, and the store exactly as it was (same bytes of data: compared by its full dump).

Tried: broken JSON, empty stdin, non-UTF-8 bytes, oversized JSON, a JSON array, unknown fields,
wrong types, unknown units, control characters and terminal escape sequences, a disallowed action,
an unknown action and option, an option without its value, a locked store, a read-only store, a
store that is not SQLite, a damaged SQLite file, an SQLite file of another program, a folder as store.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def hotline(tmp_path: Path, *args: str, stdin: bytes | str = b"", db: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOTLINE_DB": str(db or tmp_path / "store.sqlite"), "HOTLINE_CONFIG": str(tmp_path / "config.toml"),
           "PYTHONPATH": str(ROOT)}
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "hotline_tui", *args], input=data, capture_output=True, env=env, timeout=60)


def dump(path: Path) -> list:
    """Every row of every table, the full-text index's own tables included (its contentless virtual table
    cannot be read row by row, so iterdump cannot dump the store)."""
    con = sqlite3.connect(path)
    try:
        tables = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]
        return [(t, sorted(con.execute(f'SELECT * FROM "{t}"'), key=repr)) for t in tables]
    finally:
        con.close()


GOOD = {"caller_phone": "13805321234", "nature": "complaint", "description": "楼上装修噪音扰民", "place": "370203021"}


@pytest.fixture
def store(tmp_path):
    r = hotline(tmp_path, "ticket", "new", stdin=json.dumps(GOOD))
    assert r.returncode == 0, r.stderr
    return tmp_path / "store.sqlite", r.stdout.decode().strip()


def assert_refused(r: subprocess.CompletedProcess, message: str) -> None:
    err = r.stderr.decode()
    assert r.returncode != 0
    assert err.count("\n") == 1 and err.startswith("hotline: "), err
    assert message in err, err
    assert "Traceback" not in err


BAD_JSON = [
    (b'{"nature": "complaint",', "malformed"),
    (b"", "no ticket JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    (json.dumps({**GOOD, "description": "x" * 70_000}).encode(), "larger than 64 KiB"),
    (b"[1, 2]", "must be a JSON object"),
    (json.dumps({**GOOD, "priority": 1}).encode(), "unknown field 'priority'"),
    (json.dumps({**GOOD, "description": ["a"]}).encode(), "description must be text"),
    (json.dumps({**GOOD, "place": "NOT-A-UNIT"}).encode(), "unknown unit 'NOT-A-UNIT'"),
    (json.dumps({**GOOD, "handling": {"mode": "dispatch", "lead": "NOPE"}}).encode(), "unknown unit 'NOPE'"),
    (json.dumps({**GOOD, "description": "\x1b]0;pwned\x07噪音"}).encode(), "terminal escape sequence"),
    (json.dumps({**GOOD, "caller_name": "a\x07b"}).encode(), "control character U+0007"),
]


@pytest.mark.parametrize("payload,message", BAD_JSON, ids=[m for _, m in BAD_JSON])
def test_bad_ticket_json_is_refused_and_nothing_written(tmp_path, store, payload, message):
    path, _ = store
    before = dump(path)
    assert_refused(hotline(tmp_path, "ticket", "new", stdin=payload), message)
    assert dump(path) == before


@pytest.mark.parametrize("args,message", [
    (["claim"], "cannot claim"),
    (["explode"], "unknown action 'explode'"),
    (["note", "--text", "x", "--colour", "red"], "does not take --colour"),
    (["note", "--text"], "--text needs a value"),
    (["note", "--text", "\x1b[31mred"], "terminal escape sequence"),
    (["dispatch", "--lead", "NOPE"], "unknown unit 'NOPE'"),
])
def test_bad_actions_are_refused_and_nothing_written(tmp_path, store, args, message):
    path, number = store
    before = dump(path)
    assert_refused(hotline(tmp_path, "ticket", "act", number, *args), message)
    assert dump(path) == before


def test_unknown_ticket(tmp_path, store):
    assert_refused(hotline(tmp_path, "ticket", "show", "QD-X-1"), "no ticket QD-X-1")


def test_locked_store(tmp_path, store):
    path, number = store
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        r = hotline(tmp_path, "ticket", "act", number, "note", "--text", "x")
    finally:
        holder.rollback()
        holder.close()
    assert_refused(r, "locked by another program")
    assert "note" not in [row[0] for row in sqlite3.connect(path).execute("SELECT kind FROM event")]


def test_read_only_store(tmp_path, store):
    path, number = store
    before = dump(path)
    path.chmod(0o444)
    try:
        assert_refused(hotline(tmp_path, "ticket", "act", number, "note", "--text", "x"), "read-only")
    finally:
        path.chmod(0o644)
    assert dump(path) == before


@pytest.mark.parametrize("content,message", [
    (b"this is a text file, not a store at all" * 10, "not an SQLite file"),
    (b"SQLite format 3\x00" + b"\x00" * 200, "not a hotline store or is damaged"),
])
def test_a_file_that_is_not_a_store(tmp_path, content, message):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(content)
    assert_refused(hotline(tmp_path, "ticket", "list", db=bad), message)
    assert bad.read_bytes() == content


def test_a_damaged_store(tmp_path, store):
    path, _ = store
    for i in range(30):
        hotline_json = json.dumps({**GOOD, "description": f"第{i}件 " + "很长的描述" * 200})
        hotline(tmp_path, "ticket", "new", stdin=hotline_json)
    raw = bytearray(path.read_bytes())
    raw[4096 * 2: 4096 * 6] = b"\xde\xad\xbe\xef" * 4096
    path.write_bytes(bytes(raw))
    r = hotline(tmp_path, "ticket", "list", "--limit", "50")
    assert_refused(r, "damaged")


def test_an_sqlite_file_of_another_program(tmp_path):
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE songs (title TEXT)")
    con.commit()
    con.close()
    assert_refused(hotline(tmp_path, "ticket", "list", db=other), "not a hotline store")


def test_a_folder_as_store(tmp_path):
    assert_refused(hotline(tmp_path, "ticket", "list", db=tmp_path), "is a folder")


def test_good_path_round_trip(tmp_path, store):
    _, number = store
    shown = json.loads(hotline(tmp_path, "ticket", "show", number, "--json").stdout)
    assert shown["number"] == number and shown["timeline"][0]["kind"] == "register"
    listed = json.loads(hotline(tmp_path, "ticket", "list", "--json", "--limit", "5").stdout)
    assert [row["number"] for row in listed] == [number]
