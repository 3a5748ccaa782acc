"""The fast paths of applying pulled pages give exactly what the plain ones gave: payloads, projection rows,
commits that go back to synchronous=FULL, incremental folds equal to full ones, and pages from PostgreSQL
never moving a cursor past what was applied."""

from __future__ import annotations

import json
import sqlite3

import pytest

from hotline_tui.domain.events import load_payload
from hotline_tui.domain.fold import fold
from hotline_tui.store.event_store import EventStore, decode_payload
from hotline_tui.domain.ticket import Ticket
from hotline_tui.store.projection import TICKET_COLUMNS, ticket_json, ticket_row, ticket_values
from hotline_tui.store.rebuild import rebuild
from hotline_tui.sync import engine
from hotline_tui.sync.hub import HubError, open_hub
from tests.bench.bench_sync import load_store, synthetic_events
from tests.deskkit import SHINAN, TAIDONG, Clock, china_ms, make_desk, new_request


@pytest.mark.parametrize("text", ['{"a":1}', '{"text":"漏水 \\u6f0f","n":[1,2,{"x":null}]}', ' {"a":1}', '{"a":1} \n', "", "{}",
                                  '{"a":1.5e3,"b":true}'])
def test_decode_payload_is_load_payload(text):
    assert decode_payload(text) == load_payload(text)


@pytest.mark.parametrize("text", ['{"a":1}x', '{"a":', "nope", '{"a":1}{"b":2}'])
def test_decode_payload_refuses_what_load_payload_refuses(text):
    with pytest.raises(ValueError):
        load_payload(text)
    with pytest.raises(ValueError):
        decode_payload(text)


def test_projection_row_is_the_tickets_dict_as_before(tmp_path):
    desk = make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 25, 9, 14)))
    number = desk.register(new_request())
    desk.act(number, "dispatch", {"lead": TAIDONG, "assist": [SHINAN]})
    t = fold(number, desk.store.events_of(number))
    data = json.loads(ticket_json(t))
    assert Ticket.from_dict(data) == t  # the defaults left out come back
    assert "return_count" not in data and "merged_into" not in data and data["lead_unit"] == TAIDONG
    assert ticket_json(t) == json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert ticket_values(t) == tuple(ticket_row(t)[c] for c in TICKET_COLUMNS)
    with desk.store.read() as conn:
        stored = engine._raw(conn).execute(f"SELECT {', '.join(TICKET_COLUMNS)} FROM ticket WHERE number = ?", (number,)).fetchone()
        units = engine._raw(conn).execute("SELECT unit, role FROM ticket_unit WHERE number = ? ORDER BY role", (number,)).fetchall()
    assert stored == ticket_values(t)
    assert units == [(SHINAN, "assist"), (TAIDONG, "lead")]


def synchronous_level(store: EventStore) -> int:
    with store.write() as w:
        return engine._raw(w.conn).execute("PRAGMA synchronous").fetchone()[0]


def test_a_page_commits_with_normal_and_the_connection_goes_back_full(tmp_path):
    a = load_store(tmp_path / "a.sqlite", synthetic_events("A01", 30, 5, 1_793_581_200_000))
    hub = str(tmp_path / "hub.sqlite")
    engine.sync_with(a, hub)
    b = load_store(tmp_path / "b.sqlite", [])
    seen = []

    def probe(point, _data):
        if point == "pull-applied":
            seen.append(point)

    engine.sync_with(b, hub, page=40, probe=probe)
    assert len(seen) == 4
    assert synchronous_level(b) == 2  # FULL: an action after a sync is as durable as ever
    with pytest.raises(RuntimeError):
        with b.write(durable=False):
            raise RuntimeError("a failed page")
    assert synchronous_level(b) == 2


def projection(path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT number, data FROM ticket ORDER BY number").fetchall()
    finally:
        con.close()


def test_pages_that_continue_tickets_and_late_events_fold_as_a_whole_log_would(tmp_path):
    """Tickets spread over many small pages (incremental folds), then events older than what a desk folded
    (refold from the log): the projection equals a rebuild from the log."""
    hub = str(tmp_path / "hub.sqlite")
    early = synthetic_events("A01", 12, 9, 1_793_581_200_000)
    a = load_store(tmp_path / "a.sqlite", early[::2])
    engine.sync_with(a, hub, page=7)
    b = load_store(tmp_path / "b.sqlite", [])
    engine.sync_with(b, hub, page=5)
    late = load_store(tmp_path / "c.sqlite", early[1::2])  # the same tickets' in-between events, arriving later
    engine.sync_with(late, hub, page=3)
    report = engine.sync_with(b, hub, page=4)
    assert report.applied == len(early[1::2])
    live = projection(tmp_path / "b.sqlite")
    rebuild(b)
    assert projection(tmp_path / "b.sqlite") == live
    engine.sync_with(a, hub)  # a pulls c's events: late for it too
    rebuild(a)
    assert projection(tmp_path / "a.sqlite") == live


# --- pages from PostgreSQL ------------------------------------------------------------------------------

@pytest.fixture
def pg_hub_url(postgres_url):
    from tests.bench.bench_sync import fresh_schema

    with fresh_schema(postgres_url, "hl_test") as url:
        yield url


class Crash(Exception):
    pass


@pytest.mark.postgres
def test_a_crash_or_a_failing_hub_mid_pull_never_moves_the_cursor_past_what_was_applied(tmp_path, pg_hub_url):
    a = load_store(tmp_path / "a.sqlite", synthetic_events("A01", 10, 5, 1_793_581_200_000))  # 50 events
    engine.sync_with(a, pg_hub_url)
    b = load_store(tmp_path / "b.sqlite", [])
    hub = open_hub(pg_hub_url)
    calls = []
    real_pull = hub.pull
    hub.pull = lambda after, limit: (calls.append(after), real_pull(after, limit))[1]

    def crash_on_third(point, rows):
        if point == "pull-applied" and rows[0][0] > 8:
            raise Crash(point)

    try:
        with pytest.raises(Crash):
            engine.sync_store(b, hub, page=4, probe=crash_on_third)
        # the page after the one that crashed was already asked for (the read-ahead) but never applied
        assert calls == [0, 4, 8, 12]
        with b.read() as conn:
            assert engine.read_state(conn).pull_cursor == 8
            assert engine._raw(conn).execute("SELECT count(*) FROM event").fetchone()[0] == 8

        # the hub fails halfway: the pages before stay applied, the cursor with them
        def failing_pull(after, limit):
            if after >= 20:
                raise HubError("the hub went away")
            return real_pull(after, limit)

        hub.pull = failing_pull
        with pytest.raises(HubError):
            engine.sync_store(b, hub, page=4)
        with b.read() as conn:
            assert engine.read_state(conn).pull_cursor == 20
            assert engine._raw(conn).execute("SELECT count(*) FROM event").fetchone()[0] == 20

        hub.pull = real_pull
        report = engine.sync_store(b, hub, page=4)
        assert report.applied == 30
    finally:
        hub.close()
    live = projection(tmp_path / "b.sqlite")
    rebuild(b)
    assert projection(tmp_path / "b.sqlite") == live == projection(tmp_path / "a.sqlite")


def test_the_collector_is_off_during_a_sync_and_back_as_it_was_after(tmp_path):
    import gc

    a = load_store(tmp_path / "a.sqlite", synthetic_events("A01", 20, 5, 1_793_581_200_000))
    hub = str(tmp_path / "hub.sqlite")
    states = []

    def probe(point, _data):
        states.append(gc.isenabled())

    assert gc.isenabled()
    engine.sync_with(a, hub, page=30, probe=probe)
    b = load_store(tmp_path / "b.sqlite", [])
    engine.sync_with(b, hub, page=30, probe=probe)
    assert states and not any(states)  # off at every page pushed and pulled
    assert gc.isenabled()  # and back on afterwards

    def crash(point, _data):  # a sync that fails half way gives the collector back too
        raise RuntimeError("crash mid-page")

    c = load_store(tmp_path / "c.sqlite", [])
    with pytest.raises(RuntimeError):
        engine.sync_with(c, hub, page=30, probe=crash)
    assert gc.isenabled()

    gc.disable()  # a caller that had it off keeps it off
    try:
        engine.sync_with(load_store(tmp_path / "d.sqlite", []), hub, page=30)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_pauses_give_the_collector_back_once_the_last_ends():
    import gc

    with engine.gc_paused():
        with engine.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer sync is still running
    assert gc.isenabled()


# --- ticket numbers after a desk is set up again ------------------------------------------------------

def test_a_desk_set_up_again_numbers_after_its_own_tickets_pulled_back(tmp_path):
    """The desk's store is lost and set up again (same desk code): its first sync pulls its own earlier
    tickets, and its next registration today gets the next number, not one already used."""
    clock = Clock(china_ms(2026, 11, 25, 9, 14))
    hub = str(tmp_path / "hub.sqlite")
    first = make_desk(tmp_path, clock=clock, hub=hub)
    numbers = [first.register(new_request()) for _ in range(3)]
    first.sync_now()
    again = make_desk(tmp_path, clock=clock, hub=hub, store_name="again.sqlite")
    with pytest.raises(HubError, match="already enrolled"):
        again.sync_now()  # a new store is a new desk id: the hub keeps A07 for the lost one ...
    again.enroll_desk(reclaim=True)  # ... until the desk takes its code back
    again.sync_now()
    fresh = again.register(new_request())
    assert fresh not in numbers
    assert fresh == numbers[-1][:-4] + "0004"
    assert again.store.ticket(numbers[0]).event_count == 1  # the old ticket was not folded into the new one


def test_odd_ticket_numbers_leave_the_counters_alone(tmp_path):
    """Bad inputs tried: a seven-digit day, a number far beyond SQLite's integers, another desk's code in
    the number, no dashes, an empty number; only the well-formed registration moves its counter."""
    from hotline_tui.domain.events import Event

    store = load_store(tmp_path / "s.sqlite", [])

    def reg(number, desk="A07"):
        return Event(f"id-{number}", number, 1, desk, "王芳", "register", {})

    odd = [reg("QD-A07-2026112-0009"), reg("QD-A07-20261125-" + "9" * 30), reg("QD-B02-20261125-0042"),
           reg("nodashes"), reg(""), reg("QD-A07-20261125-0007", desk="A07"),
           Event("id-x", "QD-A07-20261125-0050", 2, "A07", "王芳", "note", {})]
    with store.write() as w:
        engine.bump_counters(engine._raw(w.conn), odd)
    with store.read() as conn:
        assert engine._raw(conn).execute("SELECT name, value FROM counter").fetchall() == [("A07-20261125", 7)]


# --- a hub holding a malformed event -----------------------------------------------------------------

@pytest.mark.parametrize("row, said", [
    (("x1", "QD-A01-20261129-0001", "abc", "A01", "x", "register", "{}"), "a field of the wrong type"),
    (("x1", "QD-A01-20261129-0001", 5, "A01", "x", "register", "[1]"), "its payload is not a JSON object"),
    (("x1", "QD-A01-20261129-0001", 5, "A01", "x", "register", "{nope"), "its payload is not JSON"),
    (("x1", "QD-A01-20261129-0001", 5, "A01", "x", "dispatch", '{"assist": []}'), "its 'dispatch' cannot be applied (KeyError)"),
    (("x1", "QD-A01-20261129-0001", 2.5, "A01", "x", "note", "{}"), "a field of the wrong type"),
    (("x1", "QD-A01-20261129-0001\x1b[2J", 5, "A01", "x", "dispatch\x1b[31m", "{nope"), "its payload is not JSON"),
    (("x1", "QD-A01-20261129-0001", 5, "A01", "x", "note", b"{}"), "a field of the wrong type"),
])
def test_a_malformed_event_on_the_hub_stops_the_sync_with_one_line_and_changes_nothing(tmp_path, row, said):
    """A hub file written by something else (or damaged): the pull stops at the bad page with a HubError
    that names its seq and what is wrong, the desk holds exactly what it held, and a later sync after the
    hub is mended catches up. Bad inputs tried: text or a float for the clock, a JSON array, broken JSON,
    a dispatch without a lead, bytes for the payload, escape sequences in the ticket number and kind."""
    import sqlite3 as sq

    a = load_store(tmp_path / "a.sqlite", synthetic_events("A01", 2, 3, 1_793_581_200_000))
    hub = str(tmp_path / "hub.sqlite")
    engine.sync_with(a, hub)
    con = sq.connect(hub)
    con.execute("INSERT INTO hub_event (id, ticket, hlc, desk, actor, kind, payload) VALUES (?, ?, ?, ?, ?, ?, ?)", row)
    con.commit()
    b = load_store(tmp_path / "b.sqlite", [])
    with pytest.raises(HubError) as caught:
        engine.sync_with(b, hub, page=4)
    message = str(caught.value)
    assert "seq 7" in message and said in message and "\n" not in message and "\x1b" not in message
    with b.read() as conn:
        assert engine._raw(conn).execute("SELECT count(*) FROM event").fetchone()[0] == 4  # the first page only
        assert engine.read_state(conn).pull_cursor == 4
    con.execute("DELETE FROM hub_event WHERE seq = 7")  # the hub's keeper removes it
    con.commit()
    con.close()
    assert engine.sync_with(b, hub, page=4).applied == 2
    assert projection(tmp_path / "b.sqlite") == projection(tmp_path / "a.sqlite")


# --- two desks with one code -------------------------------------------------------------------------

def test_another_desk_with_this_desks_code_is_warned_of_but_a_desk_set_up_again_is_not(tmp_path):
    """Two live desks both called A07 with one desk id (a store copied to a second machine: the hub cannot
    tell them apart): the second to sync hears of the first (its events were recorded while this store was in
    use). A desk set up again pulling its own past hears nothing."""
    clock = Clock(china_ms(2026, 11, 25, 9, 14))
    hub = str(tmp_path / "hub.sqlite")
    one = make_desk(tmp_path, clock=clock, hub=hub, store_name="one.sqlite")
    one.register(new_request())
    assert one.sync_now()["warning"] is None
    again = make_desk(tmp_path, clock=clock, hub=hub, store_name="again.sqlite")  # set up again: its past comes back
    again.enroll_desk(reclaim=True)
    assert again.sync_now()["warning"] is None
    clock.advance(minutes=1)
    copy = sqlite3.connect(tmp_path / "two.sqlite")
    with sqlite3.connect(tmp_path / "again.sqlite") as source:
        source.backup(copy)  # a second desk, same code, same desk id
    copy.close()
    two = make_desk(tmp_path, clock=clock, hub=hub, store_name="two.sqlite")
    two.register(new_request())
    clock.advance(minutes=1)
    theirs = again.register(new_request())
    again.sync_now()
    said = two.sync_now()["warning"]
    assert said is not None and "A07" in said and "1 events" in said and theirs in said and "\n" not in said
    assert two.sync_now()["warning"] is None  # said once, when they arrive
    other = make_desk(tmp_path, desk="B02", clock=clock, hub=hub, store_name="other.sqlite")
    other.register(new_request())
    assert other.sync_now()["warning"] is None  # everyone else's events are nobody's concern
