"""Two desks that printed the same number: both requests are kept, on every desk and through either hub.

The desks here sync the way desks did before enrollment (``engine.sync_with`` without a desk code), which is
how stores came to hold such collisions; the rule is store/collisions.py's."""

from __future__ import annotations

import sqlite3

import pytest

from hotline_tui.domain.fold import fold
from hotline_tui.store import collisions
from hotline_tui.store.db import make_engine
from hotline_tui.store.event_store import EventStore, open_store
from hotline_tui.store.migrate import downgrade
from hotline_tui.sync import engine
from hotline_tui.sync.hub import open_hub
from tests.bench.bench_sync import fresh_schema
from tests.deskkit import SHINAN, TAIDONG, Clock, china_ms, make_desk, new_request


@pytest.fixture(params=["sqlite", "postgres"])
def hub_url(request, tmp_path):
    if request.param == "sqlite":
        yield str(tmp_path / "hub.sqlite")
        return
    base = request.getfixturevalue("postgres_url")
    with fresh_schema(base, "hl_collide") as url:
        yield url


def live_tickets(store) -> dict[str, dict]:
    with store.read() as conn:
        raw = conn.connection.driver_connection
        return {n: d for n, d in raw.execute("SELECT number, data FROM ticket")}


def folded(store) -> dict[str, str]:
    """Every ticket as the fold of its stored events gives it (what the projection must equal)."""
    from hotline_tui.store.projection import ticket_json

    with store.read() as conn:
        numbers = [n for (n,) in conn.connection.driver_connection.execute("SELECT DISTINCT ticket FROM event WHERE ticket NOT LIKE '~%'")]
        return {n: ticket_json(fold(n, store.ticket_events(conn, n))) for n in numbers}


def two_desks_one_number(tmp_path, clock):
    """Desk X (王芳) and desk Y (李强), both configured A07, each register QD-A07-...-0001 while apart; each then
    acts on its own request."""
    x = make_desk(tmp_path, desk="A07", operator="王芳", clock=clock, store_name="x.sqlite", role="supervisor")
    y = make_desk(tmp_path, desk="A07", operator="李强", clock=clock, store_name="y.sqlite", role="supervisor")
    nx = x.register(new_request(description="路灯不亮，晚上很黑"))
    clock.advance(minutes=1)
    ny = y.register(new_request(description="井盖丢失，有人掉进去", caller_phone="13905320000"))
    assert nx == ny  # the collision: one number printed twice
    clock.advance(minutes=1)
    x.act(nx, "dispatch", {"lead": TAIDONG})
    clock.advance(minutes=1)
    y.act(ny, "dispatch", {"lead": SHINAN})
    return x, y, nx


def test_two_desks_with_one_code_keep_both_requests_through_the_hub(tmp_path, hub_url):
    clock = Clock(china_ms(2026, 11, 25, 9, 14))
    x, y, number = two_desks_one_number(tmp_path, clock)
    moved = f"{number}-R1"
    for store in (x.store, y.store, x.store):
        engine.sync_with(store, hub_url)
    z = make_desk(tmp_path, desk="B02", clock=clock, store_name="z.sqlite", role="supervisor")  # a third desk, fresh
    engine.sync_with(z.store, hub_url)

    for desk in (x, y, z):
        kept, other = desk.show(number), desk.show(moved)
        # the earlier registration keeps the number, with its own dispatch; the later one moved, with its own
        assert kept.ticket.description.startswith("路灯不亮") and kept.ticket.lead_unit == TAIDONG
        assert other.ticket.description.startswith("井盖丢失") and other.ticket.lead_unit == SHINAN
        assert other.ticket.caller_phone == "139****0000" and other.ticket.registered_by == "李强"
        for view in (kept, other):
            assert "conflict" not in view.ticket.flags and view.ticket.state == "dispatched"
            said = [e for e in view.events if e.kind == "renumber"]
            assert len(said) == 1 and said[0].payload["number"] == number and said[0].payload["to"] == moved
        assert live_tickets(desk.store) == live_tickets(x.store)  # every desk holds the same tickets
        assert {n: d for n, d in live_tickets(desk.store).items()} == folded(desk.store)  # = the fold of the events
        # what Y's caller said is found under the moved number only
        assert [r["number"] for r in desk.query_page("井盖")["rows"]] == [moved]
        assert [r["number"] for r in desk.query_page("路灯")["rows"]] == [number]

    hub = open_hub(hub_url)
    try:
        rows = hub.pull(0, 1000)
    finally:
        hub.close()
    assert len({r[1] for r in rows}) == len(rows)
    assert sum(r[6] == "renumber" for r in rows) == 2  # each desk wrote the same two; the hub holds them once
    assert {r[2] for r in rows if r[6] == "register"} == {number}  # the hub keeps the events as they were written

    # later events land where they belong: Y's next action on its request, X's on the kept one
    clock.advance(minutes=5)
    y.act(moved, "urge", {"note": "请尽快"})
    x.act(number, "note", {"text": "已电话联系"})
    for store in (x.store, y.store, z.store, x.store):
        engine.sync_with(store, hub_url)
    for desk in (x, y, z):
        assert desk.show(moved).ticket.urge_count == 1 and desk.show(number).ticket.urge_count == 0
        assert live_tickets(desk.store) == folded(desk.store) == live_tickets(x.store)


def test_events_from_before_the_repair_follow_their_registration(tmp_path):
    """Y acted offline after its registration (the same operator): when those events arrive after the repair
    they go to Y's request; an event older than Y's registration can only be X's."""
    clock = Clock(china_ms(2026, 11, 25, 9, 14))
    hub = str(tmp_path / "hub.sqlite")
    x, y, number = two_desks_one_number(tmp_path, clock)
    engine.sync_with(x.store, hub)
    report = engine.sync_with(y.store, hub)  # Y repairs: its own request is now -R1 ...
    assert {number, f"{number}-R1"} <= report.tickets  # both changed: F9 refreshes what shows them
    clock.advance(minutes=1)
    y.act(f"{number}-R1", "note", {"text": "补充：井盖在路口东侧"})
    engine.sync_with(y.store, hub)
    engine.sync_with(x.store, hub)  # ... and X repairs the same way when the events reach it
    assert [e.kind for e in x.show(f"{number}-R1").events] == ["register", "renumber", "dispatch", "note"]
    assert [e.kind for e in x.show(number).events] == ["register", "renumber", "dispatch"]
    assert live_tickets(x.store) == live_tickets(y.store)


def test_owner_rule(tmp_path):
    """The rule alone: registered before the event; same desk and operator when exactly one matches; else the keeper."""
    from hotline_tui.domain.events import Event

    def ev(eid, hlc, actor, desk="A07", kind="note"):
        return Event(id=eid, ticket="QD-A07-20261125-0001", hlc=hlc, desk=desk, actor=actor, kind=kind, payload={})

    keep, later = ev("a", 100, "王芳", kind="register"), ev("b", 200, "李强", kind="register")
    regs = [keep, later]
    assert collisions.owner(ev("c", 150, "李强"), regs) is keep  # before Y's registration: only X's can it be
    assert collisions.owner(ev("d", 250, "李强"), regs) is later
    assert collisions.owner(ev("e", 250, "王芳"), regs) is keep
    assert collisions.owner(ev("f", 250, "李强", desk="B02"), regs) is keep  # another desk: the keeper
    assert collisions.owner(ev("g", 250, "张三"), regs) is keep  # nobody's operator: the keeper
    assert collisions.base_of("QD-A07-20261125-0001-R12") == "QD-A07-20261125-0001"
    assert collisions.base_of("QD-A07-20261125-0001") == "QD-A07-20261125-0001"


# --- migration 0012 on stores made before it ----------------------------------------------------------

def old_store(path):
    """A store at schema 0011 (just before this migration), written to as desks did then."""
    open_store(path).close()
    eng = make_engine(path)
    downgrade(eng, "0011")
    return EventStore(path, eng)


def test_migration_repairs_a_store_that_folded_two_requests_into_one(tmp_path):
    clock = Clock(china_ms(2026, 11, 25, 9, 14))
    x, y, number = two_desks_one_number(tmp_path, clock)
    theirs = y.store.events_of(number)
    store = old_store(tmp_path / "old.sqlite")
    with store.write() as w:
        w.append(x.store.events_of(number) + theirs)  # both streams in one, as a sync before 0012 left them
    assert store.ticket(number).conflicts >= 1 and "conflict" in store.ticket(number).flags
    store.close()

    repaired = open_store(tmp_path / "old.sqlite")  # migrates to 0012
    kept, moved = repaired.ticket(number), repaired.ticket(f"{number}-R1")
    assert kept.description.startswith("路灯不亮") and "conflict" not in kept.flags and kept.lead_unit == TAIDONG
    assert moved.description.startswith("井盖丢失") and moved.lead_unit == SHINAN
    assert [e.kind for e in repaired.events_of(f"{number}-R1")] == ["register", "renumber", "dispatch"]
    assert live_tickets(repaired) == folded(repaired)
    con = sqlite3.connect(tmp_path / "old.sqlite")
    links = set(con.execute("SELECT number, unit, role FROM ticket_unit"))
    assert links == {(number, TAIDONG, "lead"), (f"{number}-R1", SHINAN, "lead")}
    # a moved event keeps the number it was written with, for the hub
    assert set(con.execute("SELECT origin FROM event WHERE ticket = ?", (f"{number}-R1",))) == {(number,), (None,)}
    con.close()
    repaired.close()


def test_migration_leaves_a_store_without_collisions_as_it_was(tmp_path):
    """One indexed query finds none; no event or ticket row changes."""
    clock = Clock(china_ms(2026, 11, 25, 9, 14))
    x = make_desk(tmp_path, clock=clock, store_name="x.sqlite")
    numbers = [x.register(new_request()) for _ in range(3)]
    x.act(numbers[0], "dispatch", {"lead": TAIDONG})
    events = [e for n in numbers for e in x.store.events_of(n)]
    store = old_store(tmp_path / "plain.sqlite")
    with store.write() as w:
        w.append(events)
    before = live_tickets(store)
    store.close()
    con = sqlite3.connect(tmp_path / "plain.sqlite")
    rows_before = con.execute("SELECT seq, id, ticket, hlc, payload FROM event ORDER BY seq").fetchall()
    con.close()

    after = open_store(tmp_path / "plain.sqlite")
    assert live_tickets(after) == before
    con = sqlite3.connect(tmp_path / "plain.sqlite")
    assert con.execute("SELECT seq, id, ticket, hlc, payload FROM event ORDER BY seq").fetchall() == rows_before
    plan = " ".join(str(r) for r in con.execute("EXPLAIN QUERY PLAN " + collisions.FIND_TWICE))
    assert "USING COVERING INDEX ix_event_register" in plan  # the registrations alone, not every event
    con.close()
    after.close()
