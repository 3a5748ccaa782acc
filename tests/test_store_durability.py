"""Durability and the log as truth: a desk killed mid-write loses no acknowledged action; rebuilding
the projection from the log gives identical state; an older store is upgraded with its data kept."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import text

from hotline_tui.errors import StoreError
from hotline_tui.store.db import make_engine
from hotline_tui.store.event_store import open_store
from hotline_tui.store.migrate import HEAD, current_version, upgrade
from tests.deskkit import SHINAN, TAIDONG, make_desk, new_request

CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from tests.deskkit import make_desk, new_request
    desk = make_desk(Path({tmp!r}))
    number = desk.register(new_request())
    print("ticket", number, flush=True)
    i = 0
    while True:
        i += 1
        desk.act(number, "note", {{"text": f"note {{i}}"}})
        print("ack", i, flush=True)
""")


def test_every_acknowledged_commit_survives_sigkill(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(root=root, tmp=str(tmp_path))],
                             stdout=subprocess.PIPE, text=True)
    number, acked, deadline = None, 0, time.monotonic() + 60
    try:
        for line in child.stdout:
            kind, value = line.split()
            if kind == "ticket":
                number = value
            else:
                acked = int(value)
            if acked >= 150 or time.monotonic() > deadline:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert number and acked > 0
    con = sqlite3.connect(tmp_path / "store.sqlite")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    notes = [json.loads(p)["text"] for (p,) in con.execute("SELECT payload FROM event WHERE ticket=? AND kind='note' ORDER BY hlc, id", (number,))]
    assert notes[:acked] == [f"note {i}" for i in range(1, acked + 1)]
    # the projection is in step with the log it was written with
    data = json.loads(con.execute("SELECT data FROM ticket WHERE number=?", (number,)).fetchone()[0])
    assert data["event_count"] == len(notes) + 1


def test_rebuild_from_the_log_gives_identical_state(tmp_path):
    desk = make_desk(tmp_path)
    numbers = [desk.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG})) for _ in range(5)]
    desk.act(numbers[0], "claim", {})
    desk.act(numbers[0], "return", {"reason": "not_our_duty"})
    desk.act(numbers[0], "return_accept", {"lead": SHINAN})
    desk.act(numbers[1], "merge", {"into": numbers[2]})
    desk.act(numbers[3], "extend", {"reason": "协调", "days": "3"})

    def snapshot():
        with desk.store.read() as conn:
            return (conn.execute(text("SELECT * FROM ticket ORDER BY number")).fetchall(),
                    conn.execute(text("SELECT * FROM ticket_unit ORDER BY number, unit")).fetchall())

    before = snapshot()
    assert desk.rebuild() == {"tickets": 5, "events": 16}
    assert snapshot() == before


def test_an_older_store_is_upgraded_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.sqlite"
    engine = make_engine(path)
    upgrade(engine, "0001")  # a store as the first release made it
    state = {"number": "QD-A01-20260101-0001", "lead_unit": TAIDONG, "assist_units": [SHINAN], "state": "dispatched"}
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO event (id, ticket, hlc, desk, actor, kind, payload) VALUES ('e1', :n, 1, 'A01', 'op', 'register', '{}')"), {"n": state["number"]})
        conn.execute(text("INSERT INTO ticket (number, state, desk, registered_ms, channel, nature, data) VALUES (:n, 'dispatched', 'A01', 1, 'hotline', 'complaint', :d)"),
                     {"n": state["number"], "d": json.dumps(state)})
    engine.dispose()
    assert current_version(path) == "0001"

    store = open_store(path)
    assert current_version(path) == HEAD
    with store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM event")).scalar() == 1
        links = conn.execute(text("SELECT unit, role FROM ticket_unit ORDER BY role")).fetchall()
    assert [tuple(r) for r in links] == [(SHINAN, "assist"), (TAIDONG, "lead")]


def test_a_store_from_a_newer_desk_is_refused(tmp_path):
    desk = make_desk(tmp_path)
    desk.register(new_request())
    desk.store.close()
    con = sqlite3.connect(tmp_path / "store.sqlite")
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer hotline"):
        open_store(tmp_path / "store.sqlite")
