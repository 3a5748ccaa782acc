"""Two requests that were given one number: kept apart, the same way on every desk.

Before desks enrolled with their hub, two desks configured with the same code could each register
``QD-A01-20261125-0001``; after a sync both ``register`` events sat in one stream and folded into one ticket.
A number's identity is its ``register`` event, so a second one is never folded silently:

* **Who keeps the number.** Of the ``register`` events recorded under one number, the one with the
  smallest ``(hlc, id)`` keeps it; the k-th other one (in that order) is moved to ``<number>-R<k>``
  (``QD-A01-20261125-0001-R1``), a number no desk hands out itself.
* **Where the other events go.** An event recorded under the number (not a register) belongs to a request
  registered before it (its clock is later than that registration's: a desk that saw a registration stamps
  later than it). Among those, to the one registered by the same desk code *and* the same operator when
  exactly one matches; otherwise to the request that keeps the number.
  *Limit:* events of two desks that shared a code, by operators with the same name, after both
  registrations, cannot be told apart and stay with the number's keeper; so does an event the moved
  request's desk and operator record on the kept number itself. A supervisor sees both timelines.
* **What is said.** A ``renumber`` event on each timeline (the kept one and the moved one) says which
  registration moved where and why. Its id and clock are derived from the moved registration, so every
  desk that repairs the same collision writes the same event and the hub holds it once.
* **What syncs.** A moved event keeps its id; ``event.origin`` keeps the number it was recorded under, and
  a desk pushes that one, so every desk and the hub see the events as they were written and apply this
  rule to the same data. Events a desk records on a ``-R`` number after the repair stay there.
  *Limit:* a third registration of the number that arrives later but is older than the one kept re-ranks
  them all (the kept one moves too); the ``renumber`` events written before stay on the timelines as history.

The repair runs on every pulled page that brings a second registration, or events of a number that was
repaired before (sync/engine.apply_page), and once over a whole store in migration 0012.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from hotline_tui.domain.events import Event, event_of
from hotline_tui.domain.fold import fold
from hotline_tui.store import projection, search_index
from hotline_tui.store.event_store import EventStore, decode_payload

KIND = "renumber"
ACTOR = "hotline"  # who records a renumber: the rule, not a person
MOVED = re.compile(r"^(?P<base>.+)-R(?P<k>[1-9][0-9]{0,2})$")
NAMESPACE = uuid.UUID("0b5d1f8e-7c42-4d0e-9a57-2f3c1c9f15a1")
REASON = "两个工作台使用了同一桌号，同一单号受理了两张工单"  # two desks used one desk code: one number, two requests
FIND_TWICE = "SELECT ticket FROM event WHERE kind = 'register' GROUP BY ticket HAVING count(*) > 1"
BATCH = 500


def base_of(number: str) -> str:
    m = MOVED.match(number)
    return m.group("base") if m else number


def moved_number(base: str, k: int) -> str:
    return f"{base}-R{k}"


def _raw(conn):
    return conn.connection.driver_connection


def needing_repair(raw, events: Iterable[Event]) -> list[str]:
    """The plain numbers (events arrive under the number they were recorded with) among ``events``' that
    now hold two registrations (asked of the registrations' index, for the numbers registered in
    ``events`` only) or were repaired before (their ``-R1`` ticket exists: a primary-key look-up)."""
    registered, touched = set(), set()
    for e in events:
        if not MOVED.match(e.ticket):
            touched.add(e.ticket)
            if e.kind == "register":
                registered.add(e.ticket)
    found: set[str] = set()
    for numbers, sql in ((sorted(registered), "SELECT ticket FROM event WHERE kind = 'register' AND ticket IN ({})"
                          " GROUP BY ticket HAVING count(*) > 1"),
                         ([moved_number(n, 1) for n in sorted(touched)], "SELECT number FROM ticket WHERE number IN ({})")):
        for i in range(0, len(numbers), BATCH):
            chunk = numbers[i:i + BATCH]
            found.update(base_of(n) for (n,) in raw.execute(sql.format(",".join("?" * len(chunk))), chunk))
    return sorted(found)


def _group(raw, base: str) -> list[tuple[Event, str]]:
    """Every event of ``base`` and its ``-R`` numbers, with the number each was recorded under."""
    rows = raw.execute(
        "SELECT id, ticket, hlc, desk, actor, kind, payload, coalesce(origin, ticket) FROM event"
        " WHERE ticket = ? OR (ticket > ? AND ticket < ?) ORDER BY hlc, id", (base, f"{base}-R", f"{base}-S")).fetchall()
    out = []
    for r in rows:
        if r[1] != base and base_of(r[1]) != base:
            continue
        out.append((event_of(r[0], r[1], r[2], r[3], r[4], r[5], decode_payload(r[6])), r[7]))
    return out


def owner(e: Event, registers: list[Event]) -> Event:
    """The registration ``e`` belongs to (``registers`` in (hlc, id) order; see the module's rule)."""
    before = [r for r in registers if r.hlc < e.hlc] or registers[:1]
    if len(before) > 1:
        same = [r for r in before if r.desk == e.desk and r.actor == e.actor]
        if len(same) == 1:
            return same[0]
    return before[0]


def renumber_events(base: str, keeper: Event, moved: Event, to: str) -> list[Event]:
    """The two ``renumber`` events of one moved registration: the same on every desk."""
    common = {"number": base, "to": to, "kept": keeper.id, "moved": moved.id, "reason": REASON}
    out = []
    for side, number in (("kept", base), ("moved", to)):
        eid = str(uuid.uuid5(NAMESPACE, f"{moved.id}/{side}"))
        out.append(Event(id=eid, ticket=number, hlc=moved.hlc + 1, desk=moved.desk, actor=ACTOR, kind=KIND,
                         payload={**common, "side": side}))
    return out


def repair(conn, base: str) -> list[str]:
    """Keep the requests registered under ``base`` apart (module rule), in ``conn``'s transaction: move events,
    add the ``renumber`` events, refold the numbers involved and their index. Returns those numbers."""
    raw = _raw(conn)
    group = _group(raw, base)
    registers = sorted((e for e, origin in group if e.kind == "register" and origin == base), key=lambda e: e.order)
    if len(registers) < 2:
        return []
    target = {r.id: (base if k == 0 else moved_number(base, k)) for k, r in enumerate(registers)}
    moves = []
    for e, origin in group:
        if origin != base or e.kind == KIND:
            continue  # recorded on a -R number, or a renumber: where it was written
        to = target[e.id] if e.kind == "register" else target[owner(e, registers).id]
        if to != e.ticket:
            moves.append((to, base, e.id))
    added = [ev for k, r in enumerate(registers[1:], start=1) for ev in renumber_events(base, registers[0], r, target[r.id])]
    if not moves and all(raw.execute("SELECT 1 FROM event WHERE id = ?", (e.id,)).fetchone() for e in added):
        return []  # already repaired: nothing moves, nothing to say
    raw.executemany("UPDATE event SET ticket = ?, origin = coalesce(origin, ?) WHERE id = ?", moves)
    raw.executemany("INSERT OR IGNORE INTO event (id, ticket, hlc, desk, actor, kind, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(e.id, e.ticket, e.hlc, e.desk, e.actor, e.kind, e.payload_json()) for e in added])
    numbers = sorted({base, *target.values(), *(e.ticket for e, _ in group)})
    refold(conn, numbers)
    return numbers


def refold(conn, numbers: list[str]) -> None:
    """Fold ``numbers`` again from their events and index their texts under fresh keys: the full-text index
    cannot drop one ticket's documents, so the old ones are left under a key no ticket holds any more."""
    raw = _raw(conn)
    events = {n: EventStore.ticket_events(conn, n) for n in numbers}
    top = raw.execute("SELECT coalesce(max(tid), 0) FROM ticket_key").fetchone()[0]
    raw.executemany("DELETE FROM ticket_key WHERE number = ?", [(n,) for n in numbers])
    raw.executemany("INSERT INTO ticket_key (tid, number, texts) VALUES (?, ?, 0)",
                    [(top + 1 + i, n) for i, n in enumerate(numbers)])  # above every old key: none is reused
    tickets = [fold(n, evs) for n, evs in events.items() if evs]
    gone = [n for n, evs in events.items() if not evs]
    if gone:
        raw.executemany("DELETE FROM ticket WHERE number = ?", [(n,) for n in gone])
        raw.executemany("DELETE FROM ticket_unit WHERE number = ?", [(n,) for n in gone])
    projection.write_tickets(conn, tickets, None)
    search_index.add(raw, search_index.documents(e for evs in events.values() for e in evs))


def repair_touched(conn, events: list[Event]) -> set[str]:
    """Repair every number ``events`` (just added) touch that needs it; returns the numbers refolded (with
    their -R ones)."""
    done: set[str] = set()
    for base in needing_repair(_raw(conn), events):
        done.update(repair(conn, base))
    return done


def repair_store(conn) -> list[str]:
    """Every collision in the store (migration 0012): one query on the registrations' index finds them."""
    return [base for (base,) in _raw(conn).execute(FIND_TWICE).fetchall() if repair(conn, base)]

