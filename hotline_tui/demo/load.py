"""Fill a store with demo tickets: plan the days, generate chunks (in worker processes when it pays),
write them in order in large transactions. Memory stays bounded: a few chunks are in flight at once."""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from hotline_tui.demo import bulk
from hotline_tui.demo.history import World, day_counts, make_chunk
from hotline_tui.domain.calendar import local_date
from hotline_tui.errors import InputError

MAX_TICKETS = 5_000_000
CHUNK_TICKETS = 2_000  # tickets generated together (whole days; merges stay inside a chunk)
TXN_TICKETS = 50_000  # tickets per write transaction
WINDOW_DAYS = 365
MAX_DAYS = 3 * 366

_WORLD: World | None = None  # the worker processes' copy (set before forking)


@dataclass
class DemoResult:
    tickets: int
    events: int
    seconds: float
    first_day: str
    last_day: str
    desks: tuple[str, ...]
    workers: int
    refused: int = 0  # tickets whose generated history hit a refusal (stopped there, still valid); expected 0

    @property
    def rate(self) -> float:
        return self.tickets / self.seconds if self.seconds else 0.0


def desk_codes(count: int, prefix: str = "A") -> tuple[str, ...]:
    if not 1 <= count <= 99:
        raise InputError("--desks must be between 1 and 99")
    return tuple(f"{prefix}{i:02d}" for i in range(1, count + 1))


def plan_chunks(days: list[tuple[dt.date, int]], size: int | None = None) -> list[list[tuple[dt.date, int]]]:
    size = size or CHUNK_TICKETS
    chunks, current, n = [], [], 0
    for day, count in days:
        if count == 0:
            continue
        current.append((day, count))
        n += count
        if n >= size:
            chunks.append(current)
            current, n = [], 0
    if current:
        chunks.append(current)
    return chunks


def _chunk_in_worker(days, bases, until):
    return make_chunk(_WORLD, days, bases, until)


def load_demo(store, *, tickets: int, seed: int = 1, desks: int = 8, city: str = "QD", directory, policy,
              until_ms: int | None = None, workers: int | None = None, desk_prefix: str = "A",
              progress: Callable[[int, int, int, float], None] | None = None, days: int = WINDOW_DAYS,
              sealer=None) -> DemoResult:
    """Add ``tickets`` demo tickets over the ``days`` days before ``until_ms`` (default now) to ``store``; callers
    sealed by ``sealer`` (the desk's; without one, under a key made from the seed: see World.build)."""
    global _WORLD
    if not 1 <= tickets <= MAX_TICKETS:
        raise InputError(f"--tickets must be between 1 and {MAX_TICKETS:,}")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InputError(f"--days must be between 1 and {MAX_DAYS:,}")
    codes = desk_codes(desks, desk_prefix)
    until = until_ms if until_ms is not None else time.time_ns() // 1_000_000
    last = local_date(until) - dt.timedelta(days=1)
    first = last - dt.timedelta(days=days - 1)
    t0 = time.perf_counter()
    world = World.build(seed, city, codes, tickets, directory, policy, sealer)
    days = day_counts(tickets, first, last, random.Random(f"{seed}|days"), policy.calendar)
    chunks = plan_chunks(days)
    if workers is None:
        workers = 0 if tickets < 20_000 else max(1, min(4, (os.cpu_count() or 1)))
    pooled, raw = bulk.driver_connection(store)
    done = events = refused = 0
    max_hlc = 0
    results = None
    try:
        with bulk.bulk_session(raw) as cur:
            existing = bulk.read_counters(raw, desk_prefix)
            results = _results(world, chunks, existing, until, workers)
            in_txn = 0
            for chunk_days, result in results:
                if in_txn == 0:
                    bulk.begin(cur)
                bulk.check_counters(cur, {name: existing.get(name, 0) for name in result.counters})
                bulk.write_rows(cur, result.events, result.tickets, result.units, result.counters, result.docs)
                done += len(result.tickets)
                events += len(result.events)
                refused += result.refused
                max_hlc = max([max_hlc] + [e[2] for e in result.events[-50:]])
                in_txn += len(result.tickets)
                if in_txn >= TXN_TICKETS:
                    bulk.commit(cur)
                    in_txn = 0
                if progress:
                    progress(done, tickets, events, time.perf_counter() - t0)
            if in_txn:
                bulk.commit(cur)
        bulk.analyze(raw)
        bulk.checkpoint(raw)
    finally:
        if results is not None:
            results.close()  # ends the workers now if the loop stopped early
        pooled.close()
        _WORLD = None
    if max_hlc:
        with store.read() as conn:
            from sqlalchemy import text

            store.clock.observe(conn.execute(text("SELECT max(hlc) FROM event")).scalar() or 0)
    return DemoResult(done, events, time.perf_counter() - t0, first.isoformat(), last.isoformat(), codes, workers, refused)


def _results(world: World, chunks, existing: dict[str, int], until: int, workers: int):
    """(days, ChunkResult) in chunk order; with workers, a bounded window of chunks in flight."""
    def bases(days):
        return {n: v for n, v in existing.items() if n.rsplit("-", 1)[-1] in {d.strftime("%Y%m%d") for d, _ in days}}

    if workers <= 0:
        for days in chunks:
            yield days, make_chunk(world, days, bases(days), until)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from hotline_tui import lifeline

    global _WORLD
    _WORLD = world  # inherited by the forked workers
    ctx = multiprocessing.get_context("fork")
    # Each worker dies with this process, whatever kills it (lifeline); if the loop stops early (an error,
    # Ctrl-C, the caller closing the generator) the workers are ended at once, not after their queued chunks.
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=lifeline.tie_to_parent, initargs=(os.getpid(),))
    finished = False
    try:
        pending: deque = deque()
        it = iter(chunks)
        for days in it:
            pending.append((days, pool.submit(_chunk_in_worker, days, bases(days), until)))
            if len(pending) >= workers * 3:
                break
        while pending:
            days, fut = pending.popleft()
            result = fut.result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_chunk_in_worker, nxt, bases(nxt), until)))
            yield days, result
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            lifeline.end_pool(pool)
