"""The event store: append events and keep the projection in step, in one transaction.

A write opens a transaction that holds SQLite's write lock from its first statement, reads the ticket,
lets the domain decide, appends the events and rewrites the projection; the commit is ``synchronous=FULL``.
Events that arrive out of clock order (from sync) make the ticket refold from its whole log, so the
projection always equals ``fold(events)``.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from hotline_tui.domain.actions import Decision
from hotline_tui.domain.calendar import local_date
from hotline_tui.domain.clock import HybridClock, hlc_ms, uuid7
from hotline_tui.domain.events import Event, event_of, load_payload
from hotline_tui.domain.fold import apply, fold
from hotline_tui.domain.ticket import Ticket
from hotline_tui.store import projection, search_index, streams
from hotline_tui.store.db import check_file, make_engine, store_errors
from hotline_tui.store.migrate import ensure_schema

INSERT_EVENT = text(
    "INSERT INTO event (id, ticket, hlc, desk, actor, kind, payload)"
    " VALUES (:id, :ticket, :hlc, :desk, :actor, :kind, :payload)"
)
INSERT_EVENT_IF_NEW = text(
    "INSERT OR IGNORE INTO event (id, ticket, hlc, desk, actor, kind, payload)"
    " VALUES (:id, :ticket, :hlc, :desk, :actor, :kind, :payload)"
)
EVENT_COLUMNS = "id, ticket, hlc, desk, actor, kind, payload"
# positional forms for the sqlite3 connection under SQLAlchemy's (bulk appends)
INSERT_EVENT_RAW = "INSERT INTO event (id, ticket, hlc, desk, actor, kind, payload) VALUES (?, ?, ?, ?, ?, ?, ?)"

_scan = json.JSONDecoder().scan_once


def decode_payload(text: str):
    """``load_payload(text)``, faster for the usual case: one JSON value filling the whole text is decoded by
    the C scanner without json.loads' per-call layers; anything else (spaces around it, garbage, empty)
    goes through load_payload and so decodes or fails exactly as before. (Not orjson: it reads an integer
    beyond 64 bits as a float, silently, and was only a third faster here.)"""
    try:
        value, end = _scan(text, 0)
    except (StopIteration, TypeError):
        return load_payload(text)
    return value if end == len(text) else load_payload(text)


def event_params(e: Event) -> dict:
    return {"id": e.id, "ticket": e.ticket, "hlc": e.hlc, "desk": e.desk, "actor": e.actor, "kind": e.kind, "payload": e.payload_json()}


def event_values(e: Event) -> tuple:
    return (e.id, e.ticket, e.hlc, e.desk, e.actor, e.kind, e.payload_json())


def row_event(row) -> Event:
    return event_of(row[0], row[1], row[2], row[3], row[4], row[5], decode_payload(row[6]))


class Writer:
    """One write transaction: read tickets, record decisions, keep the projection in step."""

    def __init__(self, store: EventStore, conn: Connection) -> None:
        self.store, self.conn = store, conn
        self._tickets: dict[str, Ticket] = {}

    def ticket(self, number: str) -> Ticket | None:
        if number not in self._tickets:
            t = projection.read_ticket(self.conn, number)
            if t is None:
                return None
            self._tickets[number] = t
        return self._tickets[number]

    def next_number(self, city: str, desk: str, now_ms: int) -> str:
        day = local_date(now_ms).strftime("%Y%m%d")
        name = f"{desk}-{day}"
        self.conn.execute(
            text("INSERT INTO counter (name, value) VALUES (:n, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1"), {"n": name}
        )
        seq = self.conn.execute(text("SELECT value FROM counter WHERE name = :n"), {"n": name}).scalar_one()
        return f"{city}-{desk}-{day}-{seq:04d}"

    def record(self, decision: Decision, *, desk: str, actor: str) -> list[Event]:
        """Turn the decision into events stamped by this desk's clock, and apply them."""
        events = []
        for number, kind, payload in decision.events:
            if number in self._tickets:  # after events another process synced in: stamp later than them
                self.store.clock.observe(self._tickets[number].last_hlc)
            hlc = self.store.clock.now()
            events.append(Event(id=uuid7(hlc_ms(hlc)), ticket=number, hlc=hlc, desk=desk, actor=actor, kind=kind, payload=payload))
        self.append(events)
        return events

    def new_ticket(self, number: str) -> Ticket:
        t = Ticket(number=number)
        self._tickets[number] = t
        return t

    def append(self, events: list[Event], *, if_new: bool = False) -> list[Event]:
        """Insert events and update the projection; with ``if_new``, events already held are skipped.
        Returns the events that were new."""
        if not events:
            return []
        if if_new:
            fresh = []
            for e in events:
                if self.conn.execute(INSERT_EVENT_IF_NEW, event_params(e)).rowcount:
                    fresh.append(e)
        else:
            raw = self.conn.connection.driver_connection  # inside this transaction; no per-row dicts
            raw.executemany(INSERT_EVENT_RAW, [event_values(e) for e in events])
            fresh = events
        for e in fresh:
            self.store.clock.observe(e.hlc)
        ticket_events, stream_events = streams.split(fresh)
        streams.project(self.conn, stream_events)
        by_ticket: dict[str, list[Event]] = defaultdict(list)
        for e in ticket_events:
            by_ticket[e.ticket].append(e)
        changed = []
        for number, new in by_ticket.items():
            t = self._tickets.get(number) or projection.read_ticket(self.conn, number)
            new.sort(key=lambda e: e.order)
            if t is not None and t.event_count and t.last_hlc < new[0].hlc:
                for e in new:  # the usual case: newer than everything folded so far
                    apply(t, e)
            else:  # late or first events: refold from the whole log
                t = fold(number, self.store.ticket_events(self.conn, number))
            self._tickets[number] = t
            changed.append(t)
        projection.write_tickets(self.conn, changed)
        search_index.add(self.conn.connection.driver_connection, search_index.documents(ticket_events))
        return fresh

    def record_stream(self, stream: str, kind: str, payload: dict, *, desk: str, actor: str) -> Event:
        """One event of a stream that is not a ticket (store/streams.py), stamped by this desk's clock and
        projected by its family in this transaction."""
        if streams.is_ticket(stream):
            raise ValueError(f"{stream!r} is a ticket number, not a stream key")
        hlc = self.store.clock.now()
        event = Event(id=uuid7(hlc_ms(hlc)), ticket=stream, hlc=hlc, desk=desk, actor=actor, kind=kind, payload=payload)
        self.append([event])
        return event


class EventStore:
    def __init__(self, path: Path, engine: Engine, wall=None) -> None:
        self.path, self.engine = path, engine
        self._wall, self._clock, self._clock_lock = wall, None, threading.Lock()

    @property
    def clock(self) -> HybridClock:
        """This desk's clock, started past every event in the store. On a large store it is read when first
        needed (the first write), not on opening (see EAGER_CLOCK_BYTES): the latest event's time is a walk of every ticket's last event (seconds on millions of
        tickets), which a desk that only reads, or a command that only queries, need not wait for. The desk
        starts it in the background once open (``warm_clock``)."""
        clock = self._clock
        if clock is None:
            with self._clock_lock:
                if self._clock is None:
                    with self.read() as conn:
                        last = conn.execute(text("SELECT max(hlc) FROM event")).scalar() or 0
                    self._clock = HybridClock(last, wall=self._wall)
                clock = self._clock
        return clock

    def warm_clock(self) -> None:
        self.clock  # noqa: B018 (read for its effect)

    @contextlib.contextmanager
    def write(self, *, durable: bool = True) -> Iterator[Writer]:
        """One write transaction. ``durable=False`` commits with ``synchronous=NORMAL`` instead of FULL: in
        WAL mode the commit survives a crash of the program and the store stays consistent, but a power
        cut may undo it (and only it and later ones). For work that is safe to lose and redo, such as a
        pulled page applied together with its cursor; never for a person's action."""
        if durable:
            with store_errors(self.path), self.engine.begin() as conn:
                yield Writer(self, conn)
            return
        with store_errors(self.path), self.engine.connect() as conn:
            raw = conn.connection.driver_connection  # a PRAGMA here must not start SQLAlchemy's transaction
            raw.execute("PRAGMA synchronous=NORMAL")
            try:
                with conn.begin():
                    yield Writer(self, conn)
            finally:
                try:
                    raw.execute("PRAGMA synchronous=FULL")  # before the connection goes back to the pool
                except sqlite3.Error:
                    conn.invalidate()  # never reused with NORMAL

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        with store_errors(self.path), self.engine.connect().execution_options(hotline_read=True) as conn:
            with conn.begin():
                yield conn

    @staticmethod
    def ticket_events(conn: Connection, number: str) -> list[Event]:
        rows = conn.execute(text(f"SELECT {EVENT_COLUMNS} FROM event WHERE ticket = :n ORDER BY hlc, id"), {"n": number})
        return [row_event(r) for r in rows]

    def events_of(self, number: str) -> list[Event]:
        with self.read() as conn:
            return self.ticket_events(conn, number)

    def ticket(self, number: str) -> Ticket | None:
        with self.read() as conn:
            return projection.read_ticket(conn, number)

    def optimize(self) -> None:
        """Let SQLite refresh the query planner's statistics where the tables changed much since they were
        taken (PRAGMA optimize; a sample of each index, not a full ANALYZE, so it stays quick on a large store)."""
        with store_errors(self.path), self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA analysis_limit=1000")
            raw.execute("PRAGMA optimize")

    def close(self) -> None:
        self.engine.dispose()


def open_store(path: Path, *, create: bool = True, wall=None) -> EventStore:
    """Open (creating or upgrading) the store at ``path``; ``wall`` is the clock in ms (tests set it)."""
    path = Path(path)
    with store_errors(path):
        check_file(path, create=create)
        engine = make_engine(path)
        ensure_schema(engine, path)
        store = EventStore(path, engine, wall=wall)
        if path.stat().st_size < EAGER_CLOCK_BYTES:
            store.warm_clock()  # cheap here, and a walk of the event index that finds a damaged one at once
        return store


# Below this size the clock is started on opening (well under 100 ms); above, at the first write or in the
# desk's background (6-13 s on 5M tickets, which a read-only command need not wait for).
EAGER_CLOCK_BYTES = 1 << 30


def iter_all_events(conn: Connection, batch: int = 50_000) -> Iterable[Event]:
    last = 0
    while True:
        rows = conn.execute(text(f"SELECT seq, {EVENT_COLUMNS} FROM event WHERE seq > :s ORDER BY seq LIMIT :b"), {"s": last, "b": batch}).fetchall()
        if not rows:
            return
        for r in rows:
            yield row_event(r[1:])
        last = rows[-1][0]

