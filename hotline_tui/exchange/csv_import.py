"""Importing historical tickets from CSV: all or nothing, in one transaction, through the bulk write path.

The file is read and decoded whole (csv_format.py), each row is turned into a ticket's events (csv_rows.py) and
written in batches with the demo's bulk statements (events, projection rows, unit links, full-text documents)
inside ONE transaction that holds the store's write lock from the start. Any refused row, a number already in
the file or in the store, or any failure at all rolls the transaction back: the store is exactly as it was.
Errors are collected with their line numbers, at most MAX_ERRORS, so a file can be fixed in one go.
``dry_run`` does every check and every write, then rolls back.

The commit is ``synchronous=NORMAL`` and the WAL is checkpointed after it (which syncs the file), so an
acknowledged import is on disk; a crash before the end leaves nothing of it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from hotline_tui.demo import bulk
from hotline_tui.errors import InputError
from hotline_tui.exchange import csv_format
from hotline_tui.exchange.csv_rows import Built, RowError, Setting, build
from hotline_tui.store import projection
from hotline_tui.store.search_index import documents

MAX_ERRORS = 20
BATCH = 2_000
_OUR_NUMBER = re.compile(r"^[A-Z]{1,4}-([A-Z][A-Z0-9]{1,5})-(\d{8})-(\d{1,9})$")  # city-desk-day-seq


@dataclass
class ImportResult:
    file: str
    encoding: str
    tickets: int = 0
    events: int = 0
    seconds: float = 0.0
    first_ms: int | None = None
    last_ms: int | None = None
    dry_run: bool = False
    errors: list[tuple[int, str]] = field(default_factory=list)
    more_errors: bool = False  # stopped reading at MAX_ERRORS

    @property
    def rate(self) -> float:
        return self.tickets / self.seconds if self.seconds else 0.0


class ImportRefused(InputError):
    """The file had errors; nothing was written. ``result.errors`` holds them, line by line."""

    def __init__(self, result: ImportResult) -> None:
        n = len(result.errors)
        more = f" (stopped after the first {n})" if result.more_errors else ""
        super().__init__(f"{result.file}: {n} error(s){more}; nothing was imported")
        self.result = result


def import_csv(store, path: str | Path, setting: Setting, *, encoding: str | None = None, dry_run: bool = False,
               progress=None) -> ImportResult:
    t0 = time.perf_counter()
    name = Path(path).name
    text, used = csv_format.decode(csv_format.read_bytes(path), name, encoding)
    result = ImportResult(file=name, encoding=used, dry_run=dry_run)
    rows = csv_format.rows(text, name)
    first = next(rows)  # the header is checked here (InputError), before the store is locked
    seen: dict[str, int] = {}
    pending: list[tuple[int, Built]] = []
    pooled, raw = bulk.driver_connection(store)
    try:
        with bulk.bulk_session(raw, synchronous="NORMAL") as cur:
            bulk.begin(cur)
            for line, row in _chain(first, rows):
                if isinstance(row, str):
                    _error(result, line, row)
                elif not result.more_errors:
                    try:
                        built = build(line, row, setting)
                    except RowError as exc:
                        _error(result, line, str(exc))
                    else:
                        if built.number in seen:
                            _error(result, line, f"number {built.number} is already on line {seen[built.number]}")
                        else:
                            seen[built.number] = line
                            pending.append((line, built))
                if result.more_errors:
                    break
                if len(pending) >= BATCH:
                    _flush(cur, pending, result)
                    if progress:
                        progress(result.tickets)
            _flush(cur, pending, result)
            if result.errors:
                raise ImportRefused(result)
            if dry_run:
                raw.rollback()
            else:
                bulk.commit(cur)
        if not dry_run:
            bulk.checkpoint(raw)
    finally:
        rows.close()  # puts the csv module's field limit back at once when the reading stopped early
        pooled.close()
    if not dry_run and result.last_ms is not None:
        store.optimize()
    result.seconds = time.perf_counter() - t0
    return result


def _chain(first, rest):
    yield first
    yield from rest


def _error(result: ImportResult, line: int, message: str) -> None:
    if len(result.errors) >= MAX_ERRORS:
        result.more_errors = True
        return
    result.errors.append((line, message))


def _flush(cur, pending: list[tuple[int, Built]], result: ImportResult) -> None:
    """Check the batch's numbers against the store, then write it (unless the file already failed)."""
    if not pending:
        return
    numbers = [b.number for _, b in pending]
    held: set[str] = set()
    for i in range(0, len(numbers), 500):
        chunk = numbers[i:i + 500]
        held.update(r[0] for r in cur.execute(f"SELECT number FROM ticket WHERE number IN ({','.join('?' * len(chunk))})", chunk))
    for line, b in pending:
        if b.number in held:
            _error(result, line, f"number {b.number} is already in the store")
    if result.errors:
        pending.clear()
        return
    events, tickets, units, counters = [], [], [], {}
    for _, b in pending:
        events += [(e.id, e.ticket, e.hlc, e.desk, e.actor, e.kind, e.payload_json()) for e in b.events]
        tickets.append(projection.ticket_row(b.ticket))
        units += projection.unit_rows(b.ticket)
        m = _OUR_NUMBER.match(b.number)
        if m:  # a number this store's own scheme could give later: its day's counter moves past it
            key = f"{m.group(1)}-{m.group(2)}"
            counters[key] = max(counters.get(key, 0), int(m.group(3)))
        reg = b.ticket.registered_ms
        result.first_ms = reg if result.first_ms is None else min(result.first_ms, reg)
        result.last_ms = reg if result.last_ms is None else max(result.last_ms, reg)
    docs = documents(e for _, b in pending for e in b.events)
    bulk.write_rows(cur, events, tickets, units, counters, docs)
    result.tickets += len(pending)
    result.events += len(events)
    pending.clear()
