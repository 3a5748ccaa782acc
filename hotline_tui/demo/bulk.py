"""The bulk path: plain SQL on the raw DBAPI connection, ``executemany`` in large transactions.

``synchronous`` is lowered only for the bulk session and put back to FULL when it ends (whatever happens),
so the desk's own commits keep their guarantee. A crash during a bulk load can lose the last demo
transactions, never the store: WAL keeps the file consistent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from hotline_tui.errors import StoreError
from hotline_tui.store import projection, search_index

EVENT_SQL = "INSERT INTO event (id, ticket, hlc, desk, actor, kind, payload) VALUES (?, ?, ?, ?, ?, ?, ?)"
# New demo tickets: a plain INSERT, so a number already taken fails loudly instead of replacing a ticket.
TICKET_SQL = projection.UPSERT_TICKET.text.replace("INSERT OR REPLACE", "INSERT", 1)
UNIT_SQL = projection.INSERT_UNIT.text
COUNTER_SQL = ("INSERT INTO counter (name, value) VALUES (?, ?)"
               " ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)")


def driver_connection(store):
    """(pool connection, sqlite3 connection): give the first back with ``.close()``."""
    pooled = store.engine.raw_connection()
    return pooled, pooled.driver_connection


@contextlib.contextmanager
def bulk_session(raw, synchronous: str = "OFF", cache_kib: int = 200_000) -> Iterator:
    """Lower durability for a bulk load on ``raw`` (a sqlite3 connection) and restore it afterwards."""
    if synchronous.upper() not in ("OFF", "NORMAL"):
        raise ValueError("bulk synchronous must be OFF or NORMAL")
    cur = raw.cursor()
    old_cache = cur.execute("PRAGMA cache_size").fetchone()[0]
    cur.execute(f"PRAGMA synchronous={synchronous}")
    cur.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
    try:
        yield cur
    finally:
        if raw.in_transaction:
            raw.rollback()
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA cache_size={int(old_cache)}")
        cur.close()


def read_counters(raw, prefix: str) -> dict[str, int]:
    rows = raw.execute("SELECT name, value FROM counter WHERE name >= ? AND name < ?", (prefix, prefix + "\uffff"))
    return {name: int(value) for name, value in rows}


def write_rows(cur, events: Iterable[tuple], tickets: Iterable[dict], units: Iterable[dict], counters: dict[str, int],
               docs: list[tuple[str, str]] = ()) -> None:
    """Insert one batch (inside the caller's transaction); ``docs`` are the full-text index's (ticket, tokens)."""
    cur.executemany(EVENT_SQL, events)
    keys = projection.ticket_keys(cur, [t["number"] for t in tickets])
    for t in tickets:
        t["tid"] = keys[t["number"]]
    cur.executemany(TICKET_SQL, tickets)
    cur.executemany(UNIT_SQL, units)
    cur.executemany(COUNTER_SQL, counters.items())
    search_index.add(cur, list(docs))


def check_counters(cur, expected: dict[str, int]) -> None:
    """Numbers were planned from these counter values; refuse if a live desk took one meanwhile."""
    for name, value in expected.items():
        row = cur.execute("SELECT value FROM counter WHERE name = ?", (name,)).fetchone()
        if (row[0] if row else 0) != value:
            raise StoreError(f"counter {name} changed while demo data was loading (a desk registered with that code); "
                             "nothing of this batch was written — run the demo again")


def begin(cur) -> None:
    cur.execute("BEGIN IMMEDIATE")


def commit(cur) -> None:
    cur.execute("COMMIT")


def analyze(raw) -> None:
    """After a bulk load: merge the full-text index's segments, and refresh the query planner's statistics
    (which index narrows a filter most)."""
    search_index.optimize(raw)
    raw.execute("ANALYZE")


def checkpoint(raw) -> None:
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
