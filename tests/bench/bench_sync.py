"""Sync throughput through a PostgreSQL hub on loopback, against plain psycopg on the same rows.

    .venv/bin/python -m tests.bench.bench_sync            # 100,000 events
    BENCH_EVENTS=20000 BENCH_RUNS=1 .venv/bin/python -m tests.bench.bench_sync

Measures, in one run and fresh schemas (dropped afterwards), each side BENCH_RUNS times (default 3), and
reports the best run of each (this machine is shared: the spread of the runs is printed too):
* push: desk A sends N events to the hub (``sync_store``: read the local log, COPY, number under the lock);
* pull: desk B, empty, receives the N events and applies them (insert, fold every ticket, projection,
  cursor per page) -- "applied" events/s;
* plain: psycopg COPY of the same N rows into a plain table, and a plain SELECT of them back (the
  baseline the issue names); and, as a second baseline, that SELECT followed by plain sqlite3
  ``executemany`` of the rows into an empty store's event table (same indexes) in one transaction --
  the least a pull must do to land the rows, before folding and the projection;
* incremental: A makes 100 new events and syncs; B syncs and receives them (wall time of each sync,
  including connecting to the hub).
Targets: >= 50,000 events/s applied, within 2x of plain; an incremental sync of 100 events <= 300 ms.
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


def main() -> int:
    import psycopg

    from hotline_tui.store.event_store import open_store
    from hotline_tui.sync.engine import sync_with

    n = int(os.environ.get("BENCH_EVENTS", "100000"))
    runs = max(1, int(os.environ.get("BENCH_RUNS", "3")))
    per = 10
    url = os.environ.get("HOTLINE_BENCH_POSTGRES_URL", DEFAULT_URL)
    start = 1_793_581_200_000
    events = synthetic_events("A01", n // per, per, start)
    rows = [(i + 1, e.id, e.ticket, e.hlc, e.desk, e.actor, e.kind, e.payload_json()) for i, e in enumerate(events)]
    t_push, t_pull, t_plain_w, t_plain_r, t_plain_ri = [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp, fresh_schema(url) as hub_url:
        a = load_store(Path(tmp) / "a.sqlite", events)
        for i in range(runs):  # the same desk pushing everything to a fresh hub each time (it starts over)
            if i == 0:
                t0 = time.perf_counter()
                push = sync_with(a, hub_url)
                t_push.append(time.perf_counter() - t0)
                assert push.accepted == n, push
                continue
            with fresh_schema(url, "hl_bench_push") as other:
                t0 = time.perf_counter()
                again = sync_with(a, other)
                t_push.append(time.perf_counter() - t0)
                assert again.accepted == n, again
        sync_with(a, hub_url)  # back to the first hub (it starts over again: nothing new either way)
        for i in range(runs):  # an empty desk pulling everything
            b = open_store(Path(tmp) / f"b{i}.sqlite")
            t0 = time.perf_counter()
            pull = sync_with(b, hub_url)
            t_pull.append(time.perf_counter() - t0)
            assert pull.applied == n, pull
            if i < runs - 1:
                b.close()

        with psycopg.connect(hub_url) as conn:
            conn.execute("CREATE TABLE plain_event (seq bigint PRIMARY KEY, id text NOT NULL UNIQUE, ticket text NOT NULL,"
                         " hlc bigint NOT NULL, desk text NOT NULL, actor text NOT NULL, kind text NOT NULL, payload text NOT NULL)")
            conn.commit()
            for _ in range(runs):
                conn.execute("TRUNCATE plain_event")
                conn.commit()
                t0 = time.perf_counter()
                with conn.cursor() as cur, cur.copy("COPY plain_event (seq, id, ticket, hlc, desk, actor, kind, payload) FROM STDIN") as cp:
                    for r in rows:
                        cp.write_row(r)
                conn.commit()
                t_plain_w.append(time.perf_counter() - t0)
            select = "SELECT seq, id, ticket, hlc, desk, actor, kind, payload FROM plain_event ORDER BY seq"
            for _ in range(runs):
                t0 = time.perf_counter()
                got = conn.execute(select).fetchall()
                t_plain_r.append(time.perf_counter() - t0)
                assert len(got) == n
            # a second baseline: the same read, then landing the rows in an empty store's event table
            # (same table and indexes) with plain sqlite3 executemany, in one transaction
            for i in range(runs):
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
    print(f"events: {n} ({n // per} tickets x {per}), hub: PostgreSQL on loopback, page 5000; best of {runs} runs each")
    print(f"push  (desk -> hub):           {push_s:6.2f} s  {rate(push_s):9,.0f} events/s   {spread(t_push)}")
    print(f"pull  (hub -> desk, applied):  {pull_s:6.2f} s  {rate(pull_s):9,.0f} events/s   {spread(t_pull)}")
    print(f"plain psycopg COPY write:      {w_s:6.2f} s  {rate(w_s):9,.0f} events/s   {spread(t_plain_w)}")
    print(f"plain psycopg SELECT read:     {r_s:6.2f} s  {rate(r_s):9,.0f} events/s   {spread(t_plain_r)}")
    print(f"plain SELECT + sqlite3 insert: {ri_s:6.2f} s  {rate(ri_s):9,.0f} events/s   {spread(t_plain_ri)}"
          "  (same rows into the store's event table, its indexes, one executemany)")
    print(f"push / plain write: {push_s / w_s:5.2f}x the time   pull+apply / plain read: {pull_s / r_s:5.2f}x the time"
          f"   pull+apply / plain read+insert: {pull_s / ri_s:5.2f}x the time")
    print(f"push+pull / plain write+read: {(push_s + pull_s) / (w_s + r_s):5.2f}x the time")
    print(f"incremental sync of 100 events: push side {t_inc_push * 1000:.0f} ms, pull side {t_inc_pull * 1000:.0f} ms (target <= 300 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
