"""CSV import benchmark: ``hotline import csv`` of N historical tickets vs a plain sqlite3 insert of the same events.

    .venv/bin/python -m tests.bench.bench_import [--rows 100000] [--rounds 1]

The file is generated (closed, in-progress, answered and registered tickets over 2023, real units and categories).
(a) the import: read, decode, check every row, make each ticket's events through the domain's decide, write
    events, projection rows, unit links and full-text documents in one transaction, commit, checkpoint;
(b) the baseline: the events the import wrote, read back, inserted with plain sqlite3 ``executemany`` into an
    empty store of the same schema in one transaction (WAL, synchronous=NORMAL, then a checkpoint).
Prints rows/s of each and their ratio (the import does much more than (b): the ratio says how much more it costs).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from hotline_tui.config import Settings
from hotline_tui.services import Desk
from tests.csvkit import csv_text, row

STATES = (("已办结", 0.7), ("办理中", 0.1), ("已办结-答复", 0.1), ("已登记", 0.05), ("待回访", 0.05))


def make_rows(n: int, seed: int = 1) -> list[dict]:
    from hotline_tui.directory import load_directory
    from hotline_tui.routing.taxonomy import load_taxonomy

    rng = random.Random(seed)
    d = load_directory()
    streets = [u.code for u in d if u.kind == "street"]
    cats = [" › ".join(c.path) for c in load_taxonomy().categories]
    start = int(time.mktime((2023, 1, 1, 0, 0, 0, 0, 0, -1)))  # only a spread of dates; the zone does not matter
    out = []
    for i in range(n):
        reg = start + rng.randrange(0, 360 * 86400)
        state = rng.choices([s for s, _ in STATES], [w for _, w in STATES])[0]

        def at(seconds):
            return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))
        street = rng.choice(streets)
        cells = dict(number=f"BENCH{i:08d}", registered=at(reg), nature=rng.choice(("投诉", "求助", "咨询")),
                     category=rng.choice(cats), place=street, caller_phone=f"138{rng.randrange(10**8):08d}",
                     description=f"第{i}件：小区门口有人占道经营，晚上油烟很大，请尽快处理", state=state)
        if state == "已办结-答复":
            cells.update(state="已办结", reply="已告知办理流程", closed=at(reg + 300))
        elif state != "已登记":
            cells.update(lead_unit=street, dispatched=at(reg + 600))
            if state in ("已办结", "办理中", "待回访"):
                cells.update(claimed=at(reg + 7200))
            if state in ("已办结", "待回访"):
                cells.update(replied=at(reg + 3 * 86400), reply="已现场处理，摊点已撤离")
            if state == "已办结":
                cells.update(callback="满意", closed=at(reg + 4 * 86400))
        out.append(row(**cells))
    return out


def _desk(folder: Path, name: str) -> Desk:
    return Desk(Settings(store_path=folder / f"{name}.sqlite", config_file=folder / "none.toml", config_exists=False,
                         desk="B01", operator="王芳"))


def bench(folder: Path, csv_path: Path, n: int, round_no: int) -> tuple[float, float, int]:
    desk = _desk(folder, f"import{round_no}")
    desk.store  # the schema is made before the clock starts, as for (b)
    t0 = time.perf_counter()
    result = desk.import_csv(str(csv_path))
    import_s = time.perf_counter() - t0
    assert result.tickets == n, result
    with sqlite3.connect(desk.settings.store_path) as c:
        events = c.execute("SELECT id, ticket, hlc, desk, actor, kind, payload FROM event ORDER BY seq").fetchall()
    desk.store.close()
    plain = _desk(folder, f"plain{round_no}")
    plain.store.close()  # same schema, empty
    conn = sqlite3.connect(plain.settings.store_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    t0 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO event (id, ticket, hlc, desk, actor, kind, payload) VALUES (?, ?, ?, ?, ?, ?, ?)", events)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain_s = time.perf_counter() - t0
    conn.close()
    return import_s, plain_s, len(events)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "old.csv"
        csv_path.write_text(csv_text(make_rows(args.rows)), encoding="utf-8")
        size = csv_path.stat().st_size
        runs = [bench(folder, csv_path, args.rows, i) for i in range(args.rounds)]
    imp = statistics.median(r[0] for r in runs)
    plain = statistics.median(r[1] for r in runs)
    events = runs[0][2]
    print(f"file: {args.rows:,} rows, {size / 1048576:.1f} MB, {events:,} events")
    print(f"(a) hotline import csv: {imp:.2f} s = {args.rows / imp:,.0f} rows/s ({events / imp:,.0f} events/s)")
    print(f"(b) plain sqlite3 insert of the same events: {plain:.2f} s = {events / plain:,.0f} events/s")
    print(f"ratio (a)/(b): {imp / plain:.1f}x the time of inserting the events alone")


if __name__ == "__main__":
    main()
