"""Store write benchmarks, each against plain sqlite3 measured in the same run (ratios, no absolute asserts).

    .venv/bin/python -m tests.bench.bench_store [--actions 300] [--tickets 20000] [--rounds 3]

(a) single-ticket actions: ``Desk.act`` (a note, its own ``synchronous=FULL`` commit: BEGIN IMMEDIATE,
    read the projection, decide, insert the event, rewrite the projection and its unit links) vs plain
    sqlite3 doing the same writes per commit (insert one event row + replace one projection row, WAL, FULL).
(b) bulk events: the demo's bulk path (raw DBAPI connection, ``bulk_session``, ``executemany`` in one
    transaction) vs plain sqlite3 ``executemany`` of the same rows with the same pragmas; SQLAlchemy Core
    ``conn.execute(INSERT_EVENT, [dicts])`` (the Writer's path) is shown for reference.
Rounds alternate the two sides and report medians, because these machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from hotline_tui.config import Settings
from hotline_tui.services import Desk

TICKET = {
    "caller_phone": "13805321234", "caller_name": "张先生", "channel": "hotline", "nature": "complaint",
    "category": ["城乡建设", "市容环境", "占道经营"], "place": "370203021", "address": "台东三路88号",
    "description": "烧烤摊占用人行道经营，晚上油烟大，行人只能走机动车道",
    "handling": {"mode": "dispatch", "lead": "370203-CGJ"},
}


def _desk(folder: Path, name: str) -> Desk:
    settings = Settings(store_path=folder / f"{name}.sqlite", config_file=folder / "none.toml", config_exists=False,
                        desk="B01", operator="王芳")
    return Desk(settings)


def bench_actions(folder: Path, n: int, round_no: int) -> tuple[float, float]:
    desk = _desk(folder, f"act{round_no}")
    number = desk.register(TICKET)
    desk.act(number, "claim", {})
    t0 = time.perf_counter()
    for i in range(n):
        desk.act(number, "note", {"text": f"第{i}次备注：已电话联系来电人，约定明天上午上门查看"})
    desk_rate = n / (time.perf_counter() - t0)
    # the same writes by hand: one event row + one projection row per commit
    events = desk.store.events_of(number)
    with sqlite3.connect(desk.settings.store_path) as c:
        row = c.execute("SELECT * FROM ticket WHERE number = ?", (number,)).fetchone()
        cols = [d[0] for d in c.execute("SELECT * FROM ticket LIMIT 0").description]
    desk.store.close()
    plain_path = folder / f"plain{round_no}.sqlite"
    _desk(folder, f"plain{round_no}").store.close()  # same schema, empty
    conn = sqlite3.connect(plain_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    last = events[-1]
    ticket_sql = f"INSERT OR REPLACE INTO ticket ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    t0 = time.perf_counter()
    for i in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO event (id, ticket, hlc, desk, actor, kind, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (f"{last.id[:-6]}{i:06d}", number, last.hlc + i + 1, last.desk, last.actor, last.kind,
                      json.dumps(last.payload, ensure_ascii=False)))
        conn.execute(ticket_sql, row)
        conn.execute("COMMIT")
    plain_rate = n / (time.perf_counter() - t0)
    conn.close()
    return desk_rate, plain_rate


def demo_rows(tickets: int):
    import datetime as dt
    import random

    from hotline_tui.demo.history import World, day_counts, make_chunk
    from hotline_tui.directory import load_directory
    from hotline_tui.domain.policy import load_policy

    policy = load_policy()
    world = World.build(1, "QD", ("A01", "A02", "A03", "A04"), tickets, load_directory(), policy)
    days = day_counts(tickets, dt.date(2024, 6, 30), dt.date(2025, 6, 29), random.Random(1), policy.calendar)
    t0 = time.perf_counter()
    chunk = make_chunk(world, days, {}, 1_751_245_200_000)
    return chunk, time.perf_counter() - t0


def _bulk_ours(folder: Path, events: list[tuple], tag: str) -> float:
    from hotline_tui.demo import bulk

    store = _desk(folder, f"bulk{tag}").store
    pooled, raw = bulk.driver_connection(store)
    try:
        with bulk.bulk_session(raw) as cur:
            t0 = time.perf_counter()
            bulk.begin(cur)
            bulk.write_rows(cur, events, [], [], {})
            bulk.commit(cur)
            rate = len(events) / (time.perf_counter() - t0)
    finally:
        pooled.close()
    store.close()
    return rate


def _bulk_plain(folder: Path, events: list[tuple], tag: str) -> float:
    path = folder / f"bulkplain{tag}.sqlite"
    _desk(folder, f"bulkplain{tag}").store.close()  # same schema, empty
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    t0 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO event (id, ticket, hlc, desk, actor, kind, payload) VALUES (?, ?, ?, ?, ?, ?, ?)", events)
    conn.execute("COMMIT")
    rate = len(events) / (time.perf_counter() - t0)
    conn.close()
    return rate


def _bulk_core(folder: Path, events: list[tuple], tag: str) -> float:
    from sqlalchemy import text

    from hotline_tui.store.event_store import INSERT_EVENT

    store = _desk(folder, f"bulkcore{tag}").store
    keys = ("id", "ticket", "hlc", "desk", "actor", "kind", "payload")
    params = [dict(zip(keys, e)) for e in events]
    t0 = time.perf_counter()
    with store.engine.begin() as c:
        c.execute(INSERT_EVENT, params)
    rate = len(events) / (time.perf_counter() - t0)
    with store.read() as c:
        assert c.execute(text("SELECT count(*) FROM event")).scalar() == len(events)
    store.close()
    return rate


def bench_bulk(folder: Path, events: list[tuple], round_no: int) -> tuple[float, float, float]:
    tag = str(round_no)
    if round_no % 2:
        plain = _bulk_plain(folder, events, tag)
        ours = _bulk_ours(folder, events, tag)
    else:
        ours = _bulk_ours(folder, events, tag)
        plain = _bulk_plain(folder, events, tag)
    return ours, plain, _bulk_core(folder, events, tag)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.bench.bench_store")
    ap.add_argument("--actions", type=int, default=300)
    ap.add_argument("--tickets", type=int, default=20_000, help="demo tickets whose events the bulk bench inserts")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hotline-bench-") as tmp:
        folder = Path(tmp)
        desk_rates, plain_rates = [], []
        for r in range(args.rounds):
            d, p = bench_actions(folder, args.actions, r)
            desk_rates.append(d)
            plain_rates.append(p)
        d, p = statistics.median(desk_rates), statistics.median(plain_rates)
        print(f"(a) single-ticket actions, synchronous=FULL, {args.actions} commits x {args.rounds} rounds (medians):")
        print(f"    Desk.act (note)                  {d:10,.0f} commits/s")
        print(f"    plain sqlite3 (event + ticket)   {p:10,.0f} commits/s")
        print(f"    ratio Desk.act / plain           {d / p:10.2f}")

        chunk, gen_s = demo_rows(args.tickets)
        events = chunk.events
        print(f"(b) bulk events: {len(events):,} events of {len(chunk.tickets):,} demo tickets"
              f" (generated through the domain in {gen_s:.1f}s, {len(chunk.tickets) / gen_s:,.0f} tickets/s in one process)")
        ours, plain, core = [], [], []
        for r in range(args.rounds):
            o, p, c = bench_bulk(folder, events, r)
            ours.append(o)
            plain.append(p)
            core.append(c)
        o, p, c = statistics.median(ours), statistics.median(plain), statistics.median(core)
        print(f"    demo bulk path                   {o:10,.0f} events/s")
        print(f"    plain sqlite3 executemany        {p:10,.0f} events/s")
        print(f"    ratio demo bulk / plain          {o / p:10.2f}")
        print(f"    (SQLAlchemy Core, Writer's path  {c:10,.0f} events/s, {c / p:.2f} of plain)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
