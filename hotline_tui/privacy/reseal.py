"""Sealing what was stored before callers were sealed: a desk's store (``hotline store seal``) and a hub
(``hotline store seal --hub URL``).

A store is sealed a batch of events at a time, each batch in one transaction with the tickets it touched
refolded (all or nothing per batch) and the place reached kept in ``meta`` (``seal_cursor``): stopped
half-way, the next run goes on from there. At the end the WAL is checkpointed and the file VACUUMed, so
the clear bytes leave it (pages SQLite freed would otherwise keep them). An event keeps its id: only its
payload's caller fields change (clear → mask, keyed hash and sealed values), so a hub or another desk that
holds the same event sealed by itself holds the same caller.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Callable

from hotline_tui.domain.events import dump_payload, load_payload
from hotline_tui.domain.phone import parse_phone
from hotline_tui.privacy.seal import Sealer, is_clear, may_be_clear

CURSOR = "seal_cursor"


def seal_payload(sealer: Sealer, event_id: str, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with its caller sealed (a number added to a call normalised first when it is one). The
    nonce comes from the event's id and the value, so every desk and hub that seals the same event in clear
    writes the same bytes: stores and hubs stay equal event for event."""
    phone = payload.get("caller_phone")
    if kind == "add_call" and isinstance(phone, str) and phone and "caller_phone_enc" not in payload:
        parsed = parse_phone(phone)
        if parsed is not None:
            payload = {**payload, "caller_phone": parsed.number}
    return sealer.seal_caller(payload, context=event_id)


def json_sealer(sealer: Sealer | Callable[[], Sealer]) -> Callable[[str, str, str], str]:
    """(event id, kind, payload JSON) -> payload JSON with any caller in clear sealed; anything else returned as it
    is (a malformed payload is left for the sync's own checks to name). ``sealer`` may be a function that
    gives it, called only when a caller in clear is found (so a desk with nothing to seal makes no key)."""
    held: list[Sealer] = [sealer] if isinstance(sealer, Sealer) else []

    def get() -> Sealer:
        if not held:
            held.append(sealer())
        return held[0]

    def seal(event_id: str, kind: str, text: str) -> str:
        if not isinstance(text, str) or not may_be_clear(text):
            return text
        try:
            payload = load_payload(text)
        except ValueError:
            return text
        if not is_clear(payload):
            return text
        return dump_payload(seal_payload(get(), str(event_id), kind, payload))

    return seal


def seal_store(store, sealer: Sealer, *, batch: int = 5000, progress: Callable[[int, int, int], None] | None = None,
               vacuum: bool = True) -> dict[str, int]:
    """Seal every clear caller in ``store``; ``progress(seq reached, last seq, events sealed so far)``.
    Returns {events, tickets, batches}."""
    from hotline_tui.domain.fold import fold
    from hotline_tui.store import projection, streams

    seal = json_sealer(sealer)
    with store.read() as conn:
        raw = conn.connection.driver_connection
        top = raw.execute("SELECT coalesce(max(seq), 0) FROM event").fetchone()[0]
        row = raw.execute("SELECT value FROM meta WHERE key = ?", (CURSOR,)).fetchone()
    cursor = int(row[0]) if row and str(row[0]).isdigit() else 0
    events = batches = 0
    tickets: set[str] = set()
    while True:
        with store.write() as w:
            raw = w.conn.connection.driver_connection
            rows = raw.execute("SELECT seq, id, ticket, kind, payload FROM event WHERE seq > ? ORDER BY seq LIMIT ?",
                               (cursor, batch)).fetchall()
            if not rows:
                raw.execute("DELETE FROM meta WHERE key = ?", (CURSOR,))
                break
            updates, touched = [], set()
            for seq, event_id, ticket, kind, text in rows:
                new = seal(event_id, kind, text)
                if new != text:
                    updates.append((new, seq))
                    if streams.is_ticket(ticket):
                        touched.add(ticket)
            if updates:
                raw.executemany("UPDATE event SET payload = ? WHERE seq = ?", updates)
            if touched:
                refolded = [fold(n, store.ticket_events(w.conn, n)) for n in sorted(touched)]
                projection.write_tickets(w.conn, refolded)
            cursor = rows[-1][0]
            raw.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (CURSOR, str(cursor)))
        events += len(updates)
        tickets |= touched
        batches += 1
        if progress:
            progress(cursor, top, events)
    if vacuum:
        compact(store)
    return {"events": events, "tickets": len(tickets), "batches": batches}


def compact(store) -> None:
    """Checkpoint the WAL and VACUUM the store, then empty the WAL: no freed page keeps old bytes."""
    from hotline_tui.store.db import store_errors

    store.engine.dispose()  # no pooled connection holds a snapshot the checkpoint would have to keep
    with store_errors(store.path):
        con = sqlite3.connect(store.path, timeout=10, isolation_level=None)
        try:
            con.execute("PRAGMA busy_timeout=10000")
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute("VACUUM")
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()


def seal_hub(url: str | None, sealer: Sealer, *, batch: int = 5000,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Seal every clear caller a hub holds, a batch per hub transaction, then compact it.
    ``progress(seq reached, events sealed so far)``. Returns {hub, events, scanned}."""
    from hotline_tui.sync.hub import HubError, open_hub

    if not url:
        raise HubError("no hub given (pass --hub URL, or set [sync] hub in the config or HOTLINE_HUB)")
    seal = json_sealer(sealer)
    hub = open_hub(url)
    try:
        hub.open()
        after = sealed = scanned = 0
        while True:
            rows = hub.pull(after, batch)
            if not rows:
                break
            updates = []
            for seq, event_id, _ticket, _hlc, _desk, _actor, kind, text in rows:
                new = seal(event_id, kind, text)
                if new != text:
                    updates.append((seq, new))
            if updates:
                hub.replace_payloads(updates)
            sealed += len(updates)
            scanned += len(rows)
            after = rows[-1][0]
            if progress:
                progress(after, sealed)
        hub.compact()
        return {"hub": hub.display, "events": sealed, "scanned": scanned}
    finally:
        hub.close()
