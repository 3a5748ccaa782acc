"""Sync on demand: a union of event sets between this desk's store and a hub.

One sync is: pull, push, pull.

* **Pull** asks the hub for the events after the desk's pull cursor, a page at a time. Each page is
  applied in ONE local transaction together with the new cursor: the events the desk lacks are
  inserted (``INSERT OR IGNORE`` by id, marked with their hub seq), the tickets they touch are refolded
  (incrementally when the new events are all later than what was folded, else from the whole log, so
  the projection is always ``fold(events in (hlc, id) order)``), and the cursor moves. A crash
  mid-page loses the whole page and the cursor with it; the next sync fetches it again.
* **Push** sends this desk's events the hub may lack (local ``seq`` after the push cursor, not pulled
  from the hub) a page at a time; the hub adds the ones it lacks (idempotent by id); only after the hub
  answers does the push cursor move. A lost answer means the page is sent again next time: harmless.
  When the hub numbered the page right after the desk's pull cursor, the pull cursor skips them too
  (they are the desk's own events), so a desk does not download what it just sent.
* The second pull fetches what others pushed meanwhile.

The hub's id is kept beside the cursors: pointed at another hub (or a re-created one), the desk
starts over with that hub (re-sends everything, re-reads everything; both are idempotent).
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Callable

from sqlalchemy import text

from hotline_tui.domain.events import Event, event_of
from hotline_tui.domain.clock import hlc_ms
from hotline_tui.domain.fold import EFFECTS, apply, fold
from hotline_tui.domain.ticket import Ticket
from hotline_tui.redact import redact_url
from hotline_tui.store import collisions, projection, search_index, streams
from hotline_tui.store.event_store import decode_payload
from hotline_tui.sync.hub import Hub, HubError, HubRow

PAGE = 5000  # events per pulled page: each is one local transaction with its cursor
# Events per pushed page. Larger than a pulled page: each page is one hub transaction (a commit, a round
# trip), and 20,000 took 10-12% less time than 5,000 in six paired runs of 100k events. The hub's lock
# is held only while it numbers a staged page (about 0.1 s for a full one), never while the page travels.
PUSH_PAGE = 20_000
ORDER = attrgetter("hlc", "id")  # Event.order, the fold's order, without a Python call per event
Probe = Callable[[str, Any], None]
Seal = Callable[[str, str, str], str]  # (event id, kind, payload JSON) -> the payload, any caller in clear sealed


@dataclass
class SyncState:
    hub_id: str
    hub: str
    pull_cursor: int = 0
    push_cursor: int = 0
    last_sync_ms: int | None = None


@dataclass
class SyncReport:
    hub: str
    hub_id: str = ""
    sent: int = 0  # events pushed
    accepted: int = 0  # of those, new to the hub
    received: int = 0  # events pulled
    applied: int = 0  # of those, new to this desk
    pages: int = 0
    started_over: bool = False
    ms: float = 0.0
    tickets: set[str] = field(default_factory=set)  # tickets that changed here
    desk: str | None = None  # this desk's code, when the caller gave it
    first_own_hlc: int | None = -1  # the clock of this store's first own event (None: none yet; -1: not read)
    same_code: int = 0  # events pulled under our code, recorded elsewhere while this store was in use
    same_code_ticket: str = ""  # the latest of their tickets

    def warning(self) -> str | None:
        """What the desk's keeper must hear, or None."""
        if not self.same_code:
            return None
        return (f"warning: {self.same_code} events recorded by another desk that also calls itself {self.desk} arrived"
                f" (ticket {self.same_code_ticket} among them); give each desk its own code ([desk] code in the"
                " config), or both will hand out the same ticket numbers")

    def line(self) -> str:
        head = f"synced with {self.hub}: sent {self.sent} ({self.accepted} new to the hub), received {self.received} ({self.applied} new here)"
        more = ", started over with this hub" if self.started_over else ""
        return f"{head}{more}, {len(self.tickets)} tickets changed, {self.ms:.0f} ms"


def _raw(conn):
    """The sqlite3 connection under an SQLAlchemy connection, in the same transaction."""
    return conn.connection.driver_connection


def read_state(conn) -> SyncState | None:
    row = conn.execute(text("SELECT hub_id, hub, pull_cursor, push_cursor, last_sync_ms FROM sync_state WHERE id = 1")).fetchone()
    return SyncState(*row) if row else None


def ensure_state(store, hub_id: str, display: str) -> tuple[SyncState, bool]:
    """This desk's state for ``hub_id``; a different hub than last time starts over. Returns (state, started over)."""
    with store.write() as w:
        state = read_state(w.conn)
        if state is not None and state.hub_id == hub_id:
            if state.hub != display:
                w.conn.execute(text("UPDATE sync_state SET hub = :h WHERE id = 1"), {"h": display})
                state.hub = display
            return state, False
        # first sync, or another hub: what came from the old hub must now be sent to this one
        w.conn.execute(text("UPDATE event SET hub_seq = NULL WHERE hub_seq IS NOT NULL"))
        w.conn.execute(text("DELETE FROM sync_state"))
        w.conn.execute(text("INSERT INTO sync_state (id, hub_id, hub, pull_cursor, push_cursor) VALUES (1, :i, :h, 0, 0)"),
                       {"i": hub_id, "h": display})
        return SyncState(hub_id, display), state is not None


# --- pulling ----------------------------------------------------------------------------------------

# in the hub row's own order (seq first), so a page's rows are bound as they came, with no tuple built per row
INSERT_PULLED = ("INSERT OR IGNORE INTO event (hub_seq, id, ticket, hlc, desk, actor, kind, payload)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
EVENT_COLS = "id, ticket, hlc, desk, actor, kind, payload"
# pushed as recorded: a moved event under the number it was written with (store/collisions.py)
PUSHED_COLS = "id, coalesce(origin, ticket), hlc, desk, actor, kind, payload"


def to_event(row) -> Event:
    """An Event from ``(id, ticket, hlc, desk, actor, kind, payload JSON)``."""
    return event_of(row[0], row[1], row[2], row[3], row[4], row[5], decode_payload(row[6]))


def insert_new(raw, rows: list[HubRow]) -> list[Event]:
    """Insert the page's events this store lacks; returns exactly those, in the page's (hub seq) order.

    New rows get local seqs above the old max, so counting them tells whether the page was all new (the
    usual case: nothing is read back); otherwise their ids pick them out of the page. Each payload is
    decoded once, from the hub's row."""
    before = raw.execute("SELECT coalesce(max(seq), 0) FROM event").fetchone()[0]
    raw.executemany(INSERT_PULLED, rows)
    added = raw.execute("SELECT count(*) FROM event WHERE seq > ?", (before,)).fetchone()[0]
    if added != len(rows):
        new_ids = {i for (i,) in raw.execute("SELECT id FROM event WHERE seq > ?", (before,))}
        kept = []
        for r in rows:
            if r[1] in new_ids:  # once each, even from a hub that (wrongly) sent an id twice
                new_ids.discard(r[1])
                kept.append(r)
        rows = kept
    return [event_of(r[1], r[2], r[3], r[4], r[5], r[6], decode_payload(r[7])) for r in rows]


BUMP_COUNTER = ("INSERT INTO counter (name, value) VALUES (?, ?)"
                " ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)")


def bump_counters(raw, events: list[Event]) -> None:
    """Move each pulled registration's day counter (``DESK-YYYYMMDD``, as ``Writer.next_number`` keeps it)
    past its number. A desk whose store was set up again, or restored from an old copy, pulls its own
    earlier tickets back: without this it would hand today's numbers out a second time, and two tickets
    would fold into one. Numbers of another shape are left alone."""
    highest: dict[str, int] = {}
    for e in events:
        if e.kind != "register":
            continue
        head, _, seq = e.ticket.rpartition("-")
        head, _, day = head.rpartition("-")
        if seq.isdigit() and len(seq) <= 9 and day.isdigit() and len(day) == 8 and head.endswith(f"-{e.desk}"):
            name = f"{e.desk}-{day}"
            highest[name] = max(highest.get(name, 0), int(seq))
    if highest:
        raw.executemany(BUMP_COUNTER, list(highest.items()))


def read_tickets(raw, numbers: list[str]) -> dict[str, Ticket]:
    out: dict[str, Ticket] = {}
    for i in range(0, len(numbers), 500):
        chunk = numbers[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for number, data in raw.execute(f"SELECT number, data FROM ticket WHERE number IN ({marks})", chunk):
            out[number] = Ticket.from_dict(decode_payload(data))
    return out


def merge_ticket(store, conn, number: str, current: Ticket | None, new: list[Event]) -> Ticket:
    """The ticket's state with ``new`` events added, equal to folding its whole log in (hlc, id) order."""
    new.sort(key=ORDER)
    if current is None:  # no projection row: the store held no event of this ticket, the new ones are all
        current = Ticket(number=number)  # fold(number, new) without sorting again
    elif not (current.event_count and current.last_hlc < new[0].hlc):
        return fold(number, store.ticket_events(conn, number))  # late arrivals: refold from the log
    for e in new:  # all later than what was folded
        apply(current, e)
    return current


def apply_page(store, hub_id: str, rows: list[HubRow], probe: Probe | None = None, changed: set[str] | None = None) -> list[Event]:
    """Apply one pulled page and move the pull cursor past it, in one local transaction.

    The transaction commits with ``synchronous=NORMAL`` (``store.write(durable=False)``): a power cut may
    undo the page, but then its cursor goes with it and the next sync pulls it again."""
    with store.write(durable=False) as w:
        raw = _raw(w.conn)
        fresh = insert_new(raw, rows)
        bump_counters(raw, fresh)
        ticket_events, stream_events = streams.split(fresh)
        streams.project(w.conn, stream_events)
        repaired = collisions.repair_touched(w.conn, ticket_events)
        if repaired:  # refolded and indexed there, with the events they lend to another number
            ticket_events = [e for e in ticket_events if e.ticket not in repaired]
            if changed is not None:
                changed.update(repaired)  # a -R number is a ticket that changed too
        by_ticket: dict[str, list[Event]] = defaultdict(list)
        for e in ticket_events:
            by_ticket[e.ticket].append(e)
        current = read_tickets(raw, list(by_ticket))
        held = {n: projection.unit_values(t) for n, t in current.items()}  # before merging changes them
        changed = [merge_ticket(store, w.conn, n, current.get(n), evs) for n, evs in by_ticket.items()]
        projection.write_tickets(w.conn, changed, held)
        search_index.add(raw, search_index.documents(ticket_events))
        if fresh:
            store.clock.observe(max(e.hlc for e in fresh))
        if probe:
            probe("pull-applied", rows)
        save_pull_cursor(w.conn, hub_id, rows[0][0] - 1, rows[-1][0])
    return fresh


def first_malformed(rows: list[HubRow]) -> tuple[Any, str] | None:
    """(seq, what is wrong) of the first row that is not an event as desks write them, or None. Only run
    when applying a page failed, so a good page pays nothing for it."""
    for r in rows:
        if not isinstance(r, tuple | list) or len(r) != 8:
            return (r[0] if isinstance(r, tuple | list) and r else "?"), "not an event row"
        seq, eid, ticket, hlc, desk, actor, kind, payload = r
        texts = {"id": eid, "ticket": ticket, "desk": desk, "actor": actor, "kind": kind, "payload": payload}
        for name, value in texts.items():
            if not isinstance(value, str) or (name in ("id", "ticket", "kind") and not value):
                return seq, f"its {name} is {'empty' if value == '' else 'not text'}"
        if isinstance(hlc, bool) or not isinstance(hlc, int) or not 0 < hlc < 2**63:
            return seq, "its clock is not a number"
        try:
            value = decode_payload(payload)
        except ValueError:
            return seq, "its payload is not JSON"
        if not isinstance(value, dict):
            return seq, "its payload is not a JSON object"
        try:  # its effect on a new ticket, whatever state it would meet
            event = event_of(eid, ticket, hlc, desk, actor, kind, value)
            apply(Ticket(number=ticket), event)
            if kind in EFFECTS:
                EFFECTS[kind](Ticket(number=ticket), value, hlc_ms(hlc), kind)
        except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:
            return seq, f"its {kind[:20]!r} cannot be applied ({type(exc).__name__})"  # repr: no escapes reach the terminal
    return None


def save_pull_cursor(conn, hub_id: str, expected: int, cursor: int) -> None:
    moved = conn.execute(text("UPDATE sync_state SET pull_cursor = :c WHERE id = 1 AND hub_id = :h AND pull_cursor = :e"),
                         {"c": cursor, "h": hub_id, "e": expected}).rowcount
    if not moved:
        raise HubError("another sync of this desk ran at the same time; nothing was lost, sync again")


def sealed_rows(rows: list[tuple], seal: Seal) -> list[tuple]:
    """Hub rows ``(seq, id, ticket, hlc, desk, actor, kind, payload)`` with every caller in clear sealed."""
    out = None
    for i, r in enumerate(rows):
        payload = seal(r[1], r[6], r[7])
        if payload != r[7]:
            if out is None:
                out = list(rows)
            out[i] = (*r[:7], payload)
    return rows if out is None else out


def pull_all(store, hub: Hub, state: SyncState, report: SyncReport, page: int, probe: Probe | None, progress,
             seal: Seal | None = None) -> None:
    """Pull pages until the hub has no more. While one page is applied, the next is already being asked
    for (in one background thread, so the hub is still used by one thread at a time and in the same
    order): the hub's answer time overlaps the local work instead of adding to it."""
    with ThreadPoolExecutor(1, thread_name_prefix="hotline-pull") as ahead:
        coming = ahead.submit(hub.pull, state.pull_cursor, page)
        while True:
            rows = coming.result()
            full = len(rows) >= page
            seqs = [r[0] for r in rows]
            if seqs and min(seqs) <= state.pull_cursor:  # a page delivered twice, or late
                rows = [r for r in rows if r[0] > state.pull_cursor]
                seqs = [r[0] for r in rows]
            if not rows:
                return
            if seqs != list(range(state.pull_cursor + 1, state.pull_cursor + 1 + len(rows))):
                raise HubError(f"the hub {hub.display} sent events out of order after {state.pull_cursor}; nothing of that page was applied")
            if full:
                coming = ahead.submit(hub.pull, rows[-1][0], page)
            if seal is not None:  # a caller an older desk pushed in clear is sealed before it is stored here
                rows = sealed_rows(rows, seal)
            try:
                fresh = apply_page(store, state.hub_id, rows, probe, changed=report.tickets)
            except (TypeError, ValueError, AttributeError, KeyError, OverflowError):
                bad = first_malformed(rows)
                if bad is None:
                    raise  # not the page's doing
                raise HubError(f"the hub {hub.display} holds a malformed event (seq {bad[0]}: {bad[1]}); nothing of that"
                               " page was applied: remove or mend it on the hub, then sync again") from None
            state.pull_cursor = rows[-1][0]
            report.received += len(rows)
            report.applied += len(fresh)
            report.pages += 1
            report.tickets.update(e.ticket for e in fresh)
            if report.desk:
                ours = [e for e in fresh if e.desk == report.desk]
                if ours:
                    same_code_check(store, report, ours)
            if progress:
                progress("pull", len(rows), state.pull_cursor)
            if not full:
                return


# --- pushing ----------------------------------------------------------------------------------------

def unpushed(store, after: int, limit: int) -> list[tuple]:
    """(seq, id, ticket, hlc, desk, actor, kind, payload) of this desk's events after local seq ``after``."""
    with store.read() as conn:
        return _raw(conn).execute(
            f"SELECT seq, {PUSHED_COLS} FROM event WHERE seq > ? AND hub_seq IS NULL ORDER BY seq LIMIT ?", (after, limit)
        ).fetchall()


def save_push_cursor(store, state: SyncState, cursor: int, result) -> None:
    """After the hub answered: move the push cursor; skip the pull cursor over our own events when the
    hub numbered them right after it. Committed at NORMAL durability: a power cut that undoes it only
    makes the next sync send those events again, which the hub ignores (and pull them back, which the
    desk ignores)."""
    with store.write(durable=False) as w:
        w.conn.execute(text("UPDATE sync_state SET push_cursor = max(push_cursor, :c) WHERE id = 1 AND hub_id = :h"),
                       {"c": cursor, "h": state.hub_id})
        if result.inserted:
            w.conn.execute(text("UPDATE sync_state SET pull_cursor = :t + :n WHERE id = 1 AND hub_id = :h AND pull_cursor = :t"),
                           {"t": result.top_before, "n": result.inserted, "h": state.hub_id})
        fresh = read_state(w.conn)
    state.push_cursor, state.pull_cursor = fresh.push_cursor, fresh.pull_cursor


def push_all(store, hub: Hub, state: SyncState, report: SyncReport, page: int, probe: Probe | None, progress,
             seal: Seal | None = None) -> None:
    """Push pages until nothing is left. While the hub takes one page, the next is read from the store
    in a background thread: the read overlaps the wait for the hub. The push cursor moves only after
    the hub answered, page by page, exactly as without the read-ahead."""
    with ThreadPoolExecutor(1, thread_name_prefix="hotline-push") as ahead:
        coming = ahead.submit(unpushed, store, state.push_cursor, page)
        while True:
            rows = coming.result()
            if not rows:
                return
            if len(rows) >= page:
                coming = ahead.submit(unpushed, store, rows[-1][0], page)
            result = hub.push([r[1:] for r in (sealed_rows(rows, seal) if seal is not None else rows)])
            if probe:
                probe("push-answered", result)
            save_push_cursor(store, state, rows[-1][0], result)
            report.sent += len(rows)
            report.accepted += result.inserted
            report.pages += 1
            if progress:
                progress("push", len(rows), state.push_cursor)
            if len(rows) < page:
                return


# --- pausing the garbage collector -----------------------------------------------------------------

_GC_LOCK = threading.Lock()
_GC_PAUSES = 0  # syncs running now
_GC_WAS_ENABLED = True  # the collector's state when the first of them began


@contextlib.contextmanager
def gc_paused():
    """The cyclic garbage collector off while a sync builds and drops hundreds of thousands of short-lived
    objects (events, payload dicts, tickets), all freed by reference counting: otherwise its passes over
    everything alive take a third of a large pull. Nested or concurrent syncs share one pause; the
    collector comes back as it was when the last one ends."""
    global _GC_PAUSES, _GC_WAS_ENABLED
    with _GC_LOCK:
        if _GC_PAUSES == 0:
            _GC_WAS_ENABLED = gc.isenabled()
            gc.disable()
        _GC_PAUSES += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_PAUSES -= 1
            if _GC_PAUSES == 0 and _GC_WAS_ENABLED:
                gc.enable()


# --- one sync ---------------------------------------------------------------------------------------

def same_code_check(store, report: SyncReport, arrived: list[Event]) -> None:
    """Events under this desk's code that came from the hub were recorded elsewhere. Those older than this
    store's first own event are its own past (a store set up again, or restored); newer ones mean another
    desk uses the same code, and its ticket numbers will clash with ours."""
    if report.first_own_hlc == -1:  # read once a sync, and only once events under our code arrived (rare)
        with store.read() as conn:  # a scan: no index serves it
            report.first_own_hlc = _raw(conn).execute(
                "SELECT min(hlc) FROM event WHERE desk = ? AND hub_seq IS NULL", (report.desk,)).fetchone()[0]
    first = report.first_own_hlc
    theirs = [e for e in arrived if first is not None and e.hlc > first]
    if theirs:
        report.same_code += len(theirs)
        report.same_code_ticket = max(theirs, key=ORDER).ticket


def sync_store(store, hub: Hub, *, page: int | None = None, now_ms: int | None = None, probe: Probe | None = None,
               progress=None, desk: str | None = None, by: str = "", config: str = "the config",
               seal: Seal | None = None) -> SyncReport:
    """Pull, push, pull, ``page`` events a page both ways (by default PAGE pulled, PUSH_PAGE pushed).
    ``desk``, this desk's code: the desk enrolls with the hub under it first (sync/enroll.py; ``by`` who,
    ``config`` the file to name when the code is taken), and the report warns of another desk using it
    (``SyncReport.warning``). ``seal`` (privacy/reseal.json_sealer): a caller held in clear (an older desk's
    event) is sealed before it is pushed or stored, so the hub gets only sealed callers.
    Raises HubError when the hub fails or refuses the code (then nothing was pushed, pulled or written);
    every page applied before a failure stays applied."""
    pull_page, push_page = page or PAGE, page or PUSH_PAGE
    started = time.perf_counter()
    report = SyncReport(hub=hub.display, desk=desk)
    report.hub_id = hub.open()
    if desk is not None:
        from hotline_tui.sync.enroll import ensure_enrolled

        ensure_enrolled(store, hub, desk, by=by, now_ms=now_ms if now_ms is not None else time.time_ns() // 1_000_000,
                        config=config)
    state, report.started_over = ensure_state(store, report.hub_id, hub.display)
    with gc_paused():
        pull_all(store, hub, state, report, pull_page, probe, progress, seal)
        push_all(store, hub, state, report, push_page, probe, progress, seal)
        pull_all(store, hub, state, report, pull_page, probe, progress, seal)
    with store.write() as w:
        w.conn.execute(text("UPDATE sync_state SET last_sync_ms = :t WHERE id = 1"),
                       {"t": now_ms if now_ms is not None else time.time_ns() // 1_000_000})
    report.ms = (time.perf_counter() - started) * 1000
    return report


def sync_with(store, url: str | None, **kw) -> SyncReport:
    """Sync ``store`` with the hub at ``url`` (connect, sync, disconnect)."""
    from hotline_tui.sync.hub import open_hub

    if not url:
        raise HubError("sync is off: no hub configured (set [sync] hub in the config or HOTLINE_HUB, or pass --hub)")
    hub = open_hub(url)
    try:
        return sync_store(store, hub, **kw)
    finally:
        hub.close()


def sync_status(store, url: str | None) -> dict[str, Any]:
    """For the header: {hub (password hidden, None when sync is off), last_sync_ms, pending_push}."""
    display = redact_url(url) if url else None
    with store.read() as conn:
        state = read_state(conn)
        same = state is not None and state.hub == display
        cursor = state.push_cursor if same else 0
        pending = conn.execute(text("SELECT count(*) FROM event WHERE seq > :c AND hub_seq IS NULL"), {"c": cursor}).scalar()
    return {"hub": display, "last_sync_ms": state.last_sync_ms if same else None, "pending_push": pending}
