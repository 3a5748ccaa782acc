"""hotline demo: counts, projection == fold(events), the mix of histories, numbering, determinism, appending."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from hotline_tui import cli
from hotline_tui.store import projection
from tests.storecheck import events_by_ticket, projection_mismatches

UNTIL = "2025-06-30"
NUMBER = re.compile(r"^QD-A0[1-8]-(\d{8})-(\d{4})$")


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_DB", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("HOTLINE_CONFIG", str(tmp_path / "config.toml"))
    for name in ("HOTLINE_DESK", "HOTLINE_ROLE", "HOTLINE_OPERATOR", "HOTLINE_UNIT", "HOTLINE_HUB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return tmp_path / "store.sqlite"


def demo(*extra: str) -> int:
    return cli.main(["demo", "--until", UNTIL, "--quiet", *extra])


def rows(path, sql):
    with sqlite3.connect(path) as c:
        return c.execute(sql).fetchall()


TICKET_COLUMNS = ", ".join(projection.TICKET_COLUMNS)  # every column, the filters' copies included


@pytest.fixture
def loaded(env):
    assert demo("--tickets", "400", "--seed", "7") == 0
    return env


def test_counts_and_projection_equals_fold(loaded):
    path = loaded
    assert rows(path, "SELECT count(*) FROM ticket") == [(400,)]
    assert len(events_by_ticket(path)) == 400
    assert projection_mismatches(path) == []
    # every lead/assist unit link is there too
    links = rows(path, "SELECT count(*) FROM ticket_unit WHERE role = 'lead'")[0][0]
    assert links == rows(path, "SELECT count(*) FROM ticket WHERE lead_unit IS NOT NULL")[0][0]


def test_rebuild_gives_identical_tickets(loaded):
    from hotline_tui.services import Desk

    before = rows(loaded, f"SELECT {TICKET_COLUMNS} FROM ticket ORDER BY number")
    units_before = rows(loaded, "SELECT * FROM ticket_unit ORDER BY number, unit")
    counts = Desk.open(str(loaded)).rebuild()
    assert counts["tickets"] == 400
    assert rows(loaded, f"SELECT {TICKET_COLUMNS} FROM ticket ORDER BY number") == before
    assert rows(loaded, "SELECT * FROM ticket_unit ORDER BY number, unit") == units_before


def test_the_mix_of_histories(loaded):
    kinds = {k for (k,) in rows(loaded, "SELECT DISTINCT kind FROM event")}
    for kind in ("register", "dispatch", "claim", "progress", "reply", "reply_approve", "callback", "close",
                 "return", "return_accept", "extend", "extend_approve", "add_call", "urge", "supervise",
                 "merge", "merged_in", "answer", "transfer", "reopen", "reply_reject"):
        assert kind in kinds, kind
    flags = " ".join(f for (f,) in rows(loaded, "SELECT flags FROM ticket"))
    for flag in ("repeat", "urged", "supervised", "merged", "disputed_callback", "listed"):
        assert flag in flags, flag
    states = {s for (s,) in rows(loaded, "SELECT DISTINCT state FROM ticket")}
    assert {"closed", "merged", "transferred"} <= states
    assert states & {"dispatched", "claimed", "reply_review", "awaiting_callback"}  # open ones near the end
    channels = {c for (c,) in rows(loaded, "SELECT DISTINCT channel FROM ticket")}
    assert len(channels) >= 5
    # some callers call more than once
    assert rows(loaded, "SELECT max(n) FROM (SELECT count(*) n FROM ticket WHERE caller_phone != '' GROUP BY caller_phone)")[0][0] > 1
    # overdue: replied after the deadline
    late = rows(loaded, "SELECT count(*) FROM ticket WHERE json_extract(data, '$.replied_ms') > due_ms")[0][0]
    assert late > 0
    # three-level categories with real places
    cats = rows(loaded, "SELECT category FROM ticket LIMIT 50")
    assert all(c.count(" › ") == 2 for (c,) in cats)


def test_numbers_unique_and_counters_ahead(loaded):
    numbers = [n for (n,) in rows(loaded, "SELECT number FROM ticket")]
    assert len(set(numbers)) == len(numbers)
    highest: dict[str, int] = {}
    for n in numbers:
        m = NUMBER.match(n)
        assert m, n
        name = f"{n.split('-')[1]}-{m.group(1)}"
        highest[name] = max(highest.get(name, 0), int(m.group(2)))
    counters = dict(rows(loaded, "SELECT name, value FROM counter"))
    for name, seq in highest.items():
        assert counters[name] >= seq
    assert len(set(i for (i,) in rows(loaded, "SELECT id FROM event"))) == rows(loaded, "SELECT count(*) FROM event")[0][0]


def test_cli_list_after_demo(loaded, capsys):
    capsys.readouterr()
    assert cli.main(["ticket", "list", "--json", "--limit", "5"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 5
    assert all(NUMBER.match(r["number"]) for r in listed)
    assert all("****" in r["caller_phone"] or not r["caller_phone"] for r in listed)


def test_appending_and_live_registration_do_not_collide(loaded, capsys, monkeypatch):
    assert demo("--tickets", "400", "--seed", "7") == 0  # the same seed again: new numbers, new ids
    assert rows(loaded, "SELECT count(*) FROM ticket") == [(800,)]
    assert rows(loaded, "SELECT count(DISTINCT ticket) FROM event") == [(800,)]
    # a live desk with a demo desk's code, registering on a demo day, takes the next number
    from hotline_tui.config import load_settings
    from hotline_tui.domain.calendar import CHINA
    from hotline_tui.services import Desk
    import datetime as dt

    monkeypatch.setenv("HOTLINE_DESK", "A01")
    busiest = rows(loaded, "SELECT name, value FROM counter WHERE name LIKE 'A01-%' ORDER BY value DESC LIMIT 1")[0]
    day = dt.datetime.strptime(busiest[0].split("-")[1], "%Y%m%d").replace(hour=12, tzinfo=CHINA)
    desk = Desk(load_settings(), clock_ms=lambda: int(day.timestamp() * 1000))
    number = desk.register({"caller_phone": "13805321234", "nature": "consultation", "description": "咨询公积金提取"})
    assert number == f"QD-A01-{busiest[0].split('-')[1]}-{busiest[1] + 1:04d}"
    # the desk's own commits are back to synchronous=FULL (2) after the bulk load
    with desk.store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_same_seed_same_data_with_or_without_workers(tmp_path):
    from hotline_tui.demo import load_demo
    from hotline_tui.directory import load_directory
    from hotline_tui.domain.policy import load_policy
    from hotline_tui.store.event_store import open_store

    directory, policy = load_directory(), load_policy()
    until = 1_751_245_200_000  # 2025-06-30 09:00 China
    dumps = []
    for name, workers in (("a", 0), ("b", 1), ("c", 0)):
        store = open_store(tmp_path / f"{name}.sqlite")
        result = load_demo(store, tickets=150, seed=3 if name != "c" else 4, directory=directory, policy=policy,
                           until_ms=until, workers=workers)
        assert result.tickets == 150 and result.refused == 0
        store.close()
        dumps.append(rows(tmp_path / f"{name}.sqlite", "SELECT id, ticket, hlc, desk, actor, kind, payload FROM event ORDER BY seq"))
    assert dumps[0] == dumps[1]
    assert dumps[0] != dumps[2]


def test_bad_input(env, capsys):
    assert cli.main(["demo", "--tickets", "0"]) == 2
    assert "--tickets" in capsys.readouterr().err
    assert cli.main(["demo", "--tickets", "5", "--until", "yesterday"]) == 2
    assert "--until" in capsys.readouterr().err
    assert cli.main(["demo", "--tickets", "5", "--desk-prefix", "a1"]) == 2
    assert "--desk-prefix" in capsys.readouterr().err


def test_desk_prefix(env):
    assert demo("--tickets", "30", "--desks", "2", "--desk-prefix", "Z") == 0
    desks = {n.split("-")[1] for (n,) in rows(env, "SELECT number FROM ticket")}
    assert desks <= {"Z01", "Z02"} and desks
