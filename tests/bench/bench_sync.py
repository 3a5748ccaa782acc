"""Sync throughput through a PostgreSQL hub on loopback, against plain psycopg on the same rows.

    .venv/bin/python -m tests.bench.bench_sync            # 100,000 events
    BENCH_EVENTS=20000 BENCH_RUNS=1 .venv/bin/python -m tests.bench.bench_sync

Measures, in one run and fresh schemas (dropped afterwards), BENCH_RUNS rounds (default 5) that each time
every side once, one after the other; it reports the best run of each side with the spread, and each
round's ratio to its plain baseline with their median (on a shared machine the speed drifts between
minutes, so a ratio is only fair between measurements taken seconds apart):
* push: desk A sends N events to an empty hub (``sync_store``: read the local log, COPY, number under the lock);
* pull: desk B, empty, receives the N events and applies them (insert, fold every ticket, projection,
  cursor per page) -- "applied" events/s;
* plain: psycopg COPY of the same N rows into a plain table, and a plain SELECT of them back (the
  baseline the issue names); and, as a second baseline, that SELECT followed by plain sqlite3
  ``executemany`` of the rows into an empty store's event table (same indexes) in one transaction --
  the least a pull must do to land the rows, before folding and the projection;
* incremental: A makes 100 new events and syncs; B syncs and receives them (wall time of each sync,
  including connecting to the hub).
Targets: >= 50,000 events/s applied, within 2x of plain (push against plain COPY, pull+apply against plain
SELECT + insert: a bare SELECT stores nothing); an incremental sync of 100 events <= 300 ms.
URL: HOTLINE_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from hotline_tui.domain.clock import hlc_ms, make_hlc, uuid7
from hotline_tui.domain.events import Event

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
LIFE = ("dispatch", "claim", "progress", "note", "urge", "progress", "reply", "reply_approve", "callback")


def synthetic_events(desk: str, tickets: int, per_ticket: int, start_ms: int) -> list[Event]:
    """Realistic lifecycles: a registration and then dispatch, claim, progress, ... (``per_ticket`` events each)."""
    out = []
    for t in range(tickets):
        number = f"QD-{desk}-20261102-{t + 1:05d}"
        base = start_ms + t * 1000
        for k in range(per_ticket):
            hlc = make_hlc(base + k * 60_000, 0)
            if k == 0:
                kind, payload = "register", {"caller_phone": "13805321234", "caller_name": "张先生", "channel": "hotline",
                                             "nature": "complaint", "category": ["城乡建设", "市容环境"], "place": "370203021",
                                             "address": "台东三路88号", "description": f"烧烤摊占用人行道经营 {t}"}
            else:
                kind = LIFE[(k - 1) % len(LIFE)]
                payload = {"lead": "370203021", "assist": [], "due_ms": base + 86_400_000} if kind == "dispatch" else {"text": f"进展 {k}"}
            out.append(Event(uuid7(hlc_ms(hlc)), number, hlc, desk, "王芳", kind, payload))
    return out


def with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@contextlib.contextmanager
def fresh_schema(url: str, prefix: str = "hl_bench"):
    import psycopg

    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def load_store(path: Path, events: list[Event]):
    from hotline_tui.store.event_store import open_store

    store = open_store(path)
    with store.write() as w:
        w.append(events)
    return store


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def main() -> int:
    import psycopg

    from hotline_tui.store.event_store import open_store
    from hotline_tui.sync.engine import sync_with

    n = int(os.environ.get("BENCH_EVENTS", "100000"))
    runs = max(1, int(os.environ.get("BENCH_RUNS", "5")))
    per = 10
    url = os.environ.get("HOTLINE_BENCH_POSTGRES_URL", DEFAULT_URL)
    start = 1_793_581_200_000
    events = synthetic_events("A01", n // per, per, start)
    rows = [(i + 1, e.id, e.ticket, e.hlc, e.desk, e.actor, e.kind, e.payload_json()) for i, e in enumerate(events)]
    select = "SELECT seq, id, ticket, hlc, desk, actor, kind, payload FROM plain_event ORDER BY seq"
    t_push, t_pull, t_plain_w, t_plain_r, t_plain_ri = [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp, fresh_schema(url) as hub_url:
        a = load_store(Path(tmp) / "a.sqlite", events)
        first = sync_with(a, hub_url)  # the hub every pull reads (not timed: each round times a push of its own)
        assert first.accepted == n, first
        with psycopg.connect(hub_url) as conn:
            conn.execute("CREATE TABLE plain_event (seq bigint PRIMARY KEY, id text NOT NULL UNIQUE, ticket text NOT NULL,"
                         " hlc bigint NOT NULL, desk text NOT NULL, actor text NOT NULL, kind text NOT NULL, payload text NOT NULL)")
            conn.commit()
            # Each round measures every side once, one after the other, so each ratio compares
            # measurements taken within seconds of each other on this shared machine.
            for i in range(runs):
                with fresh_schema(url, "hl_bench_push") as other:  # desk A pushing everything to an empty hub
                    t0 = time.perf_counter()
                    again = sync_with(a, other)
                    t_push.append(time.perf_counter() - t0)
                    assert again.accepted == n, again
                conn.execute("TRUNCATE plain_event")
                conn.commit()
                t0 = time.perf_counter()
                with conn.cursor() as cur, cur.copy("COPY plain_event (seq, id, ticket, hlc, desk, actor, kind, payload) FROM STDIN") as cp:
                    for r in rows:
                        cp.write_row(r)
                conn.commit()
                t_plain_w.append(time.perf_counter() - t0)

                b = open_store(Path(tmp) / f"b{i}.sqlite")  # an empty desk pulling everything
                t0 = time.perf_counter()
                pull = sync_with(b, hub_url)
                t_pull.append(time.perf_counter() - t0)
                assert pull.applied == n, pull
                if i < runs - 1:
                    b.close()
                t0 = time.perf_counter()
                got = conn.execute(select).fetchall()
                t_plain_r.append(time.perf_counter() - t0)
                assert len(got) == n
                # the second baseline: the same read, then landing the rows in an empty store's event table
                # (same table and indexes) with plain sqlite3 executemany, in one transaction
                plain_store = open_store(Path(tmp) / f"plain{i}.sqlite")
                plain_store.close()
                lite = sqlite3.connect(Path(tmp) / f"plain{i}.sqlite", isolation_level=None)
                lite.execute("PRAGMA journal_mode=WAL")
                t0 = time.perf_counter()
                got = conn.execute(select).fetchall()
                lite.execute("BEGIN IMMEDIATE")
                lite.executemany("INSERT INTO event (id, ticket, hlc, desk, actor, kind, payload, hub_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 [(*r[1:], r[0]) for r in got])
                lite.execute("COMMIT")
                t_plain_ri.append(time.perf_counter() - t0)
                lite.close()
        sync_with(a, hub_url)  # back to the first hub (it starts over: nothing new either way)

        # incremental: 100 new events on A's tickets, then A syncs (push) and B syncs (pull)
        more = []
        for i in range(100):
            e = events[(i * per) % len(events)]
            hlc = make_hlc(hlc_ms(events[-1].hlc) + 1000 + i)
            more.append(Event(uuid7(hlc_ms(hlc)), e.ticket, hlc, "A01", "王芳", "note", {"text": f"补充 {i}"}))
        with a.write() as w:
            w.append(more)
        t0 = time.perf_counter()
        inc_push = sync_with(a, hub_url)
        t_inc_push = time.perf_counter() - t0
        t0 = time.perf_counter()
        inc_pull = sync_with(b, hub_url)
        t_inc_pull = time.perf_counter() - t0
        assert inc_push.accepted == 100 and inc_pull.applied == 100
        a.close()
        b.close()

    push_s, pull_s, w_s, r_s, ri_s = (min(v) for v in (t_push, t_pull, t_plain_w, t_plain_r, t_plain_ri))
    rate = lambda secs: n / secs  # noqa: E731
    spread = lambda v: f"runs {', '.join(f'{x:.2f}' for x in v)}"  # noqa: E731
    ratios = lambda mine, plain: [m / p for m, p in zip(mine, plain)]  # noqa: E731
    shown = lambda v: f"median {median(v):5.2f}x  (rounds {', '.join(f'{x:.2f}' for x in v)})"  # noqa: E731
    push_w, pull_ri, pull_r = ratios(t_push, t_plain_w), ratios(t_pull, t_plain_ri), ratios(t_pull, t_plain_r)
    both = ratios([p + q for p, q in zip(t_push, t_pull)], [w + r for w, r in zip(t_plain_w, t_plain_ri)])
    print(f"events: {n} ({n // per} tickets x {per}), hub: PostgreSQL on loopback, pages of 5,000 pulled and 20,000 pushed; {runs} rounds, each side once a round")
    print(f"push  (desk -> hub):           {push_s:6.2f} s  {rate(push_s):9,.0f} events/s   best; {spread(t_push)}")
    print(f"pull  (hub -> desk, applied):  {pull_s:6.2f} s  {rate(pull_s):9,.0f} events/s   best; {spread(t_pull)}")
    print(f"plain psycopg COPY write:      {w_s:6.2f} s  {rate(w_s):9,.0f} events/s   best; {spread(t_plain_w)}")
    print(f"plain psycopg SELECT read:     {r_s:6.2f} s  {rate(r_s):9,.0f} events/s   best; {spread(t_plain_r)}")
    print(f"plain SELECT + sqlite3 insert: {ri_s:6.2f} s  {rate(ri_s):9,.0f} events/s   best; {spread(t_plain_ri)}"
          "  (same rows into the store's event table, its indexes, one executemany)")
    print("the time against plain, per round (each side measured within seconds of its baseline):")
    print(f"  push / plain COPY write:                {shown(push_w)}")
    print(f"  pull+apply / plain SELECT + insert:     {shown(pull_ri)}")
    print(f"  push+pull / plain write + read+insert:  {shown(both)}")
    print(f"  pull+apply / a bare plain SELECT:       {shown(pull_r)}  (a pull also stores, folds and projects)")
    print(f"incremental sync of 100 events: push side {t_inc_push * 1000:.0f} ms, pull side {t_inc_pull * 1000:.0f} ms (target <= 300 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
