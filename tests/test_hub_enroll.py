"""A desk enrolls its code with the hub; a second desk claiming a taken code is refused with a message that says
how to fix it, and nothing is written anywhere. Against a SQLite hub and a PostgreSQL hub."""

from __future__ import annotations

import json
import sqlite3

import pytest

from hotline_tui.cli import main
from hotline_tui.errors import InputError
from hotline_tui.sync import engine
from hotline_tui.sync.enroll import CodeTaken, desk_id, enroll, free_code
from hotline_tui.sync.hub import HubError, open_hub
from tests.bench.bench_sync import fresh_schema
from tests.deskkit import Clock, china_ms, make_desk, new_request


@pytest.fixture(params=["sqlite", "postgres"])
def hub_url(request, tmp_path):
    if request.param == "sqlite":
        yield str(tmp_path / "hub.sqlite")
        return
    base = request.getfixturevalue("postgres_url")
    with fresh_schema(base, "hl_enroll") as url:
        yield url


@pytest.fixture
def clock():
    return Clock(china_ms(2026, 11, 20, 9, 0))


def hub_state(url) -> tuple[list, list]:
    """(the hub's events, its enrolled desks)."""
    hub = open_hub(url)
    try:
        return hub.pull(0, 10_000), hub.desks()
    finally:
        hub.close()


def local_state(path) -> dict:
    """Everything enrollment or a sync could have written in a store."""
    con = sqlite3.connect(path)
    try:
        return {"meta": sorted(con.execute("SELECT key, value FROM meta")),
                "sync": con.execute("SELECT * FROM sync_state").fetchall(),
                "events": con.execute("SELECT id, ticket, hub_seq FROM event ORDER BY seq").fetchall(),
                "tickets": con.execute("SELECT number, data FROM ticket ORDER BY number").fetchall(),
                "counters": con.execute("SELECT * FROM counter ORDER BY name").fetchall()}
    finally:
        con.close()


def test_enrolling_gives_the_code_to_this_desk_and_again_changes_nothing(tmp_path, hub_url, clock):
    desk = make_desk(tmp_path, desk="A07", clock=clock, hub=hub_url)
    first = desk.enroll_desk()
    assert first["new"] and first["code"] == "A07" and first["desk_id"] == desk_id(desk.store) and first["by"] == "王芳"
    clock.advance(days=3)
    again = desk.enroll_desk()
    assert not again["new"] and again["since_ms"] == first["since_ms"]  # enrolling twice is harmless
    status = desk.desk_status()
    assert status["enrolled"] and status["codes"] == ["A07"] and status["desk_id"] == first["desk_id"]
    _, desks = hub_state(hub_url)
    assert [(d.code, d.desk_id) for d in desks] == [("A07", first["desk_id"])]


def test_a_taken_code_is_refused_with_how_to_fix_it_and_nothing_is_written(tmp_path, hub_url, clock):
    one = make_desk(tmp_path, desk="A07", clock=clock, hub=hub_url, store_name="one.sqlite")
    one.register(new_request())
    one.sync_now()  # the first sync enrolls A07 for this desk
    clock.advance(days=5)
    two = make_desk(tmp_path, desk="A07", clock=clock, hub=hub_url, store_name="two.sqlite")
    number = two.register(new_request(description="井盖丢失"))
    hub_before, store_before = hub_state(hub_url), local_state(tmp_path / "two.sqlite")

    for attempt in (two.enroll_desk, two.sync_now):
        with pytest.raises(CodeTaken) as caught:
            attempt()
        said = str(caught.value)
        assert "desk code A07 is already enrolled at the hub by another desk (since 2026-11-20)" in said
        assert f"[desk] code of {tmp_path / 'config.toml'}" in said and "free, for example: A08" in said
        assert "\n" not in said
        assert hub_state(hub_url) == hub_before  # nothing pushed, the desk table as it was
        assert local_state(tmp_path / "two.sqlite") == store_before  # nothing pulled, no cursor, no note
    status = two.desk_status()
    assert status["enrolled"] is False and status["held_by_other"]
    assert two.show(number).ticket.description == "井盖丢失"  # the desk keeps working


def test_the_free_code_suggested_is_not_taken(tmp_path, clock):
    hub = str(tmp_path / "hub.sqlite")
    for code in ("A07", "A08", "A10"):
        make_desk(tmp_path, desk=code, clock=clock, hub=hub, store_name=f"{code}.sqlite").enroll_desk()
    late = make_desk(tmp_path, desk="A07", clock=clock, hub=hub, store_name="late.sqlite")
    with pytest.raises(CodeTaken, match="free, for example: A09"):
        late.enroll_desk()
    assert free_code("A99", {"A100"}) is None or free_code("A99", set()) == "A100"
    assert free_code("QD", set()) == "QD1" and free_code("Z99999", set()) is None  # no longer code fits


@pytest.mark.parametrize("code", ["", "a07", "A", "A1234567", "7AB", "A0\x1b[31m", "A 07", "甲01", 7, None])
def test_a_code_that_is_not_valid_is_refused_before_the_hub_is_asked(tmp_path, clock, code):
    """Bad inputs tried: empty, lower case, too short, too long, a leading digit, a terminal escape sequence, a
    space, CJK, an int, None. The hub named is down: it is never contacted."""
    desk = make_desk(tmp_path, clock=clock)
    desk.store  # noqa: B018 - the store is made
    hub = open_hub(str(tmp_path / "no-such-folder" / "hub.sqlite"))
    before = local_state(desk.settings.store_path)
    with pytest.raises(InputError) as caught:
        enroll(desk.store, hub, code, by="王芳", now_ms=clock())
    assert "desk code" in str(caught.value) and "\x1b" not in str(caught.value)
    assert local_state(desk.settings.store_path) == before


def test_a_hub_that_is_down_or_broken_writes_nothing(tmp_path, clock):
    """Bad inputs tried: a hub in a folder that is not there, a PostgreSQL port nobody listens on, a hub file
    that is not a database, a hub file with a broken desk table."""
    desk = make_desk(tmp_path, clock=clock)
    desk.register(new_request())
    before = local_state(desk.settings.store_path)
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a hub" * 100)
    broken = tmp_path / "broken.sqlite"
    make_desk(tmp_path, desk="B02", clock=clock, hub=str(broken), store_name="b.sqlite").enroll_desk()
    con = sqlite3.connect(broken)
    con.execute("DROP TABLE hub_desk")
    con.execute("CREATE TABLE hub_desk (code TEXT)")  # mended by hand, wrongly
    con.commit()
    con.close()
    for url, said in ((str(tmp_path / "gone" / "hub.sqlite"), "cannot be reached"),
                      ("postgresql://clerk@127.0.0.1:1/x", "cannot be reached"),
                      (str(garbage), "not a hotline hub or is damaged"),
                      (str(broken), "failed while enrolling this desk")):
        for attempt in (lambda: desk.enroll_desk(url), lambda: engine.sync_with(desk.store, url, desk="A07", by="王芳")):
            with pytest.raises(HubError, match=said):
                attempt()
            assert local_state(desk.settings.store_path) == before, url
    assert garbage.read_bytes() == b"this is not a hub" * 100


def test_a_hub_made_before_enrollment_is_upgraded_on_first_use(tmp_path, clock):
    hub = tmp_path / "hub.sqlite"
    old = make_desk(tmp_path, desk="B02", clock=clock, store_name="old.sqlite")
    old.register(new_request())
    engine.sync_with(old.store, str(hub))
    con = sqlite3.connect(hub)
    con.execute("DROP TABLE hub_desk")
    con.execute("UPDATE hub_meta SET value = '1' WHERE key = 'schema'")  # as hub schema 1 left it
    con.commit()
    con.close()
    desk = make_desk(tmp_path, desk="A07", clock=clock, hub=str(hub))
    result = desk.sync_now()
    assert result["received"] == 1 and desk.desk_status()["enrolled"]


def test_a_desk_that_changes_its_code_keeps_its_old_numbers_and_its_old_code(tmp_path, hub_url, clock):
    """Old numbers stay as they are, the old code stays this desk's (nobody else may print those numbers again);
    new tickets get the new code."""
    desk = make_desk(tmp_path, desk="A07", clock=clock, hub=hub_url)
    old_number = desk.register(new_request())
    desk.sync_now()
    renamed = make_desk(tmp_path, desk="A09", clock=clock, hub=hub_url)  # the same store, [desk] code changed
    renamed.sync_now()
    new_number = renamed.register(new_request())
    assert "-A09-" in new_number and renamed.show(old_number).ticket.desk == "A07"
    renamed.sync_now()
    assert renamed.desk_status()["codes"] == ["A07", "A09"]
    other = make_desk(tmp_path, desk="A07", clock=clock, hub=hub_url, store_name="other.sqlite")
    with pytest.raises(CodeTaken, match="A07 is already enrolled"):
        other.sync_now()
    _, desks = hub_state(hub_url)
    assert {d.code: d.desk_id for d in desks} == {"A07": desk_id(desk.store), "A09": desk_id(desk.store)}


def test_a_copied_store_needs_an_id_and_a_code_of_its_own(tmp_path, hub_url, clock):
    """A store copied to a second machine carries the first's desk id: the hub takes it for the same desk.
    ``--new-id`` gives the copy its own id; with the first desk's code it is refused and keeps its old id."""
    first = make_desk(tmp_path, desk="A07", clock=clock, hub=hub_url, store_name="first.sqlite")
    first.enroll_desk()
    copy = sqlite3.connect(tmp_path / "copy.sqlite")
    with sqlite3.connect(tmp_path / "first.sqlite") as source:
        source.backup(copy)
    copy.close()
    same = make_desk(tmp_path, desk="A07", clock=clock, hub=hub_url, store_name="copy.sqlite")
    assert desk_id(same.store) == desk_id(first.store) and not same.enroll_desk()["new"]  # the hazard
    with pytest.raises(CodeTaken):
        same.enroll_desk(new_id=True)
    assert desk_id(same.store) == desk_id(first.store)  # refused: nothing written
    own = make_desk(tmp_path, desk="A08", clock=clock, hub=hub_url, store_name="copy.sqlite")
    done = own.enroll_desk(new_id=True)
    assert done["new"] and done["desk_id"] == desk_id(own.store) != desk_id(first.store)


def test_a_desk_set_up_again_reclaims_its_code(tmp_path, hub_url, clock):
    lost = make_desk(tmp_path, desk="A07", clock=clock, hub=hub_url, store_name="lost.sqlite")
    lost.enroll_desk()
    again = make_desk(tmp_path, desk="A07", clock=clock, hub=hub_url, store_name="again.sqlite")
    with pytest.raises(CodeTaken, match="--reclaim"):
        again.sync_now()
    assert again.enroll_desk(reclaim=True)["new"]
    assert again.sync_now()["sent"] == 0
    with pytest.raises(CodeTaken):  # now the old store is the stranger
        lost.sync_now()


# --- the commands --------------------------------------------------------------------------------------

def test_hub_enroll_and_status_commands(tmp_path, monkeypatch, capsys):
    hub = str(tmp_path / "hub.sqlite")
    monkeypatch.setenv("HOTLINE_DESK", "A07")
    db = str(tmp_path / "cli.sqlite")
    assert main(["--db", db, "hub", "status"]) == 0
    assert "desk A07" in capsys.readouterr().out  # no hub: sync off
    assert main(["--db", db, "hub", "status", "--hub", hub]) == 0
    assert "not enrolled at the hub" in capsys.readouterr().out
    assert main(["--db", db, "hub", "enroll", "--hub", hub]) == 0
    assert capsys.readouterr().out.startswith("enrolled desk A07")
    assert main(["--db", db, "hub", "enroll", "--hub", hub]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert main(["--db", db, "hub", "status", "--hub", hub, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["enrolled"] is True and status["code"] == "A07" and status["codes"] == ["A07"]

    other = str(tmp_path / "other.sqlite")
    assert main(["--db", other, "hub", "enroll", "--hub", hub]) == 6
    err = capsys.readouterr().err
    assert err.startswith("hotline: desk code A07 is already enrolled") and err.count("\n") == 1
    assert main(["--db", other, "sync", "--hub", hub]) == 6
    assert "already enrolled" in capsys.readouterr().err
    assert main(["--db", other, "hub", "status", "--hub", hub]) == 0
    assert "NOT enrolled" in capsys.readouterr().out
    gone = str(tmp_path / "gone" / "hub.sqlite")
    assert main(["--db", other, "hub", "enroll", "--hub", gone]) == 6
    assert "cannot be reached" in capsys.readouterr().err
    assert main(["--db", db, "hub", "status", "--hub", gone]) == 6  # down: what this store knows, and why
    out = capsys.readouterr().out
    assert "desk A07" in out and "cannot be reached" in out and "last enrolled here as A07" in out
