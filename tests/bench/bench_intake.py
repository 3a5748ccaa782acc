"""Call intake on a big store: saving a request, the caller's history, similar open requests.

    .venv/bin/python -m tests.bench.bench_intake [--db STORE] [--tickets 20000] [--saves 300] [--reads 300]

With ``--db`` (for example a store filled by ``hotline demo --tickets 1000000``) everything runs against
that store; the requests it saves (at random communities) and the baseline's rows are deleted again at
the end, so that runs stay comparable: use a store made for benchmarks. Without
it, a temporary store of ``--tickets`` demo tickets is built first.

(a) save: ``Desk.register`` of a standard request (a new caller each time) dispatched to one unit (parse, decide, two events, the
    projection and its unit links, one ``synchronous=FULL`` commit) vs plain sqlite3 writing the same rows
    (two event rows, one ticket row, one unit row) in one FULL commit, interleaved.
(b) ``Desk.caller_history`` for phones with several requests in the store (the most frequent callers and
    a random sample of callers with 3 or more) and for new phones; ``Desk.repeat_candidates`` for the
    same callers; vs a plain sqlite3 indexed SELECT of the caller's 10 newest rows.
(c) ``Desk.similar_open`` around the busiest places of the last 30 days (each with a real summary and
    category from that street) vs a plain sqlite3 SELECT of the same unfinished rows.
Prints p50/p95 and the ratio to the baseline measured in the same run; targets: save p95 <= 10 ms,
history and similar p95 <= 20 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from hotline_tui.config import Settings
from hotline_tui.services import Desk

REQUEST = {
    "caller_phone": "13805321234", "caller_name": "张先生", "channel": "hotline", "nature": "complaint",
    "category": ["城乡建设", "市容环境", "占道经营"], "place": "370203021001", "address": "台东三路88号",
    "description": "烧烤摊占用人行道经营，晚上油烟大，行人只能走机动车道",
    "handling": {"mode": "dispatch", "lead": "370203021"},
}
FINAL = "('closed', 'merged', 'transferred')"
PLAIN_PREFIX = "BENCH-PLAIN-"
TARGETS = {"save": 10.0, "history": 20.0, "similar": 20.0}


def pct(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1] * 1000


def line(name: str, ours: list[float], base: list[float], target: float | None = None) -> str:
    o50, o95, b50, b95 = pct(ours, 50), pct(ours, 95), pct(base, 50), pct(base, 95)
    verdict = "" if target is None else f"  target p95 <= {target:g} ms: {'met' if o95 <= target else 'MISSED'}"
    return (f"{name:<34} p50 {o50:6.2f} ms  p95 {o95:6.2f} ms | baseline p50 {b50:6.2f} p95 {b95:6.2f} ms"
            f" | p95 ratio {o95 / b95:5.1f}x{verdict}")


def open_desk(path: Path) -> Desk:
    settings = Settings(store_path=path, config_file=path.parent / "bench-none.toml", config_exists=False,
                        desk="B09", operator="王芳")
    return Desk(settings)


def build_store(folder: Path, tickets: int) -> Path:
    from hotline_tui.demo import load_demo

    path = folder / "intake.sqlite"
    desk = open_desk(path)
    t0 = time.perf_counter()
    load_demo(desk.store, tickets=tickets, directory=desk.directory, policy=desk.policy)
    print(f"built a store of {tickets:,} demo tickets in {time.perf_counter() - t0:.1f} s")
    desk.store.close()
    return path


def plain_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


# --- (a) save --------------------------------------------------------------------------------------
def communities(desk: Desk) -> list[tuple[str, str]]:
    """(community, its street) for every community in the directory: where the saved requests happen."""
    return [(u.code, u.parent) for u in desk.directory if u.level == "community" and u.parent]


def bench_save(desk: Desk, plain: sqlite3.Connection, n: int, rng: random.Random,
               saved: list[str]) -> tuple[list[float], list[float]]:
    cols = [d[0] for d in plain.execute("SELECT * FROM ticket LIMIT 0").description]
    ticket_sql = f"INSERT INTO ticket ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    event_sql = "INSERT INTO event (id, ticket, hlc, desk, actor, kind, payload) VALUES (?, ?, ?, ?, ?, ?, ?)"
    ours, base = [], []
    places = communities(desk)
    for i in range(n + 10):
        place, street = rng.choice(places)
        request = {**REQUEST, "caller_phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}", "place": place,
                   "handling": {"mode": "dispatch", "lead": street}}
        t = time.perf_counter()
        number = desk.register(request)
        took = time.perf_counter() - t
        saved.append(number)
        events = plain.execute("SELECT id, ticket, hlc, desk, actor, kind, payload FROM event WHERE ticket = ?", (number,)).fetchall()
        row = list(plain.execute("SELECT * FROM ticket WHERE number = ?", (number,)).fetchone())
        fake = f"{PLAIN_PREFIX}{uuid.uuid4().hex[:12]}"
        row[0] = fake
        t = time.perf_counter()
        plain.execute("BEGIN IMMEDIATE")
        plain.executemany(event_sql, [(str(uuid.uuid4()), fake, *e[2:]) for e in events])
        plain.execute(ticket_sql, row)
        plain.execute("INSERT INTO ticket_unit (number, unit, role) VALUES (?, ?, 'lead')", (fake, street))
        plain.execute("COMMIT")
        if i >= 10:  # the first few warm the caches
            ours.append(took)
            base.append(time.perf_counter() - t)
    return ours, base


def remove_rows(plain: sqlite3.Connection, saved: list[str]) -> None:
    """Take out the baseline's rows and this run's saved requests, so that runs stay comparable."""
    plain.execute("BEGIN IMMEDIATE")
    for number in saved:
        plain.execute("DELETE FROM event WHERE ticket = ?", (number,))
        plain.execute("DELETE FROM ticket_unit WHERE number = ?", (number,))
        plain.execute("DELETE FROM ticket WHERE number = ?", (number,))
    plain.execute("DELETE FROM event WHERE ticket >= ? AND ticket < ?", (PLAIN_PREFIX, PLAIN_PREFIX + "~"))
    plain.execute("DELETE FROM ticket_unit WHERE number >= ? AND number < ?", (PLAIN_PREFIX, PLAIN_PREFIX + "~"))
    plain.execute("DELETE FROM ticket WHERE number >= ? AND number < ?", (PLAIN_PREFIX, PLAIN_PREFIX + "~"))
    plain.execute("COMMIT")


# --- (b) caller history ----------------------------------------------------------------------------
def pick_callers(plain: sqlite3.Connection, n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    counts = plain.execute("SELECT caller_phone, COUNT(*) AS c FROM ticket INDEXED BY ix_ticket_caller"
                           " WHERE caller_phone != '' GROUP BY caller_phone HAVING c >= 3").fetchall()
    counts.sort(key=lambda r: -r[1])
    frequent = [p for p, _ in counts[: n // 4]]
    rest = [p for p, _ in counts[n // 4:]]
    known = frequent + rng.sample(rest, min(len(rest), n - len(frequent)))
    fresh = []
    while len(fresh) < n:
        phone = f"199{rng.randrange(10**8):08d}"
        if not plain.execute("SELECT 1 FROM ticket WHERE caller_phone = ? LIMIT 1", (phone,)).fetchone():
            fresh.append(phone)
    print(f"callers: {len(counts):,} with 3+ requests; timing {len(known)} of them"
          f" ({counts[0][1] if counts else 0} requests for the most frequent) and {len(fresh)} new numbers")
    return known, fresh


def bench_history(desk: Desk, plain: sqlite3.Connection, phones: list[str]) -> tuple[list[float], list[float], int]:
    sql = ("SELECT number, registered_ms, state, summary, place, lead_unit, category FROM ticket"
           " WHERE caller_phone = ? ORDER BY registered_ms DESC LIMIT 10")
    ours, base, seen = [], [], 0
    for phone in phones:
        t = time.perf_counter()
        seen += desk.caller_history(phone)["count"]
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        plain.execute(sql, (phone,)).fetchall()
        base.append(time.perf_counter() - t)
    return ours, base, seen


def bench_repeat(desk: Desk, plain: sqlite3.Connection, phones: list[str]) -> tuple[list[float], list[float]]:
    sql = f"SELECT number, registered_ms, state, summary, place, category FROM ticket WHERE caller_phone = ? AND state NOT IN {FINAL}"
    ours, base = [], []
    for phone in phones:
        t = time.perf_counter()
        desk.repeat_candidates(phone, REQUEST["category"], REQUEST["place"], REQUEST["description"])
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        plain.execute(sql, (phone,)).fetchall()
        base.append(time.perf_counter() - t)
    return ours, base


# --- (c) similar open requests ---------------------------------------------------------------------
def pick_places(desk: Desk, plain: sqlite3.Connection, n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(place, description, category) for the communities of the busiest streets of the last 30 days."""
    since = desk._now() - 30 * 86_400_000
    rows = plain.execute(f"SELECT place, COUNT(*) FROM ticket INDEXED BY ix_ticket_registered WHERE registered_ms >= ?"
                         f" AND state NOT IN {FINAL} AND place IS NOT NULL GROUP BY place", (since,)).fetchall()
    by_street: dict[str, int] = {}
    for place, c in rows:
        codes, _ = desk._place_scope(place)
        by_street[codes[0]] = by_street.get(codes[0], 0) + c
    busiest = sorted(by_street, key=lambda s: -by_street[s])[:20]
    print(f"places: busiest streets have {', '.join(str(by_street[s]) for s in busiest[:5])} unfinished requests"
          f" in the last 30 days")
    picks = []
    for street in busiest:
        codes, _ = desk._place_scope(street)
        marks = ", ".join("?" * len(codes))
        samples = plain.execute(f"SELECT place, summary, category FROM ticket INDEXED BY ix_ticket_place WHERE place IN ({marks})"
                                " AND registered_ms >= ? ORDER BY registered_ms DESC LIMIT 40", (*codes, since)).fetchall()
        picks += samples
    rng.shuffle(picks)
    return [(p, s[: rng.randrange(6, 40)], c) for p, s, c in picks[:n] if p]


def bench_similar(desk: Desk, plain: sqlite3.Connection, picks: list[tuple[str, str, str]],
                  cold: bool = False) -> tuple[list[float], list[float], list[int]]:
    """With ``cold``, the cache of stored summaries' features is emptied before each lookup (the first
    lookup around a place; while the operator types, the same requests are scored again and hit it)."""
    from hotline_tui.facade.history import _summary_features

    since = desk._now() - desk.settings.similar_days * 86_400_000
    ours, base, rows, found = [], [], [], 0
    for place, description, category in picks:
        if cold:
            _summary_features.cache_clear()
        t = time.perf_counter()
        found += len(desk.similar_open(description, place, category.split(" › ")))
        ours.append(time.perf_counter() - t)
        codes, _ = desk._place_scope(place)
        marks = ", ".join("?" * len(codes))
        sql = (f"SELECT number, registered_ms, state, summary, place, category FROM ticket INDEXED BY ix_ticket_place_open"
               f" WHERE place IN ({marks}) AND registered_ms >= ? AND state NOT IN {FINAL} ORDER BY registered_ms DESC LIMIT 400")
        t = time.perf_counter()
        rows.append(len(plain.execute(sql, (*codes, since)).fetchall()))
        base.append(time.perf_counter() - t)
    if not cold:
        print(f"similar: {found / max(1, len(picks)):.1f} found per lookup; unfinished rows scored per lookup:"
              f" median {statistics.median(rows):.0f}, max {max(rows)}")
    return ours, base, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="an existing store (saves add tickets to it)")
    parser.add_argument("--tickets", type=int, default=20_000, help="size of the temporary store without --db")
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with contextlib.ExitStack() as stack:
        if args.db:
            path = args.db
        else:
            path = build_store(Path(stack.enter_context(tempfile.TemporaryDirectory())), args.tickets)
        desk = open_desk(path)
        plain = plain_connection(path)
        stack.callback(plain.close)
        total = plain.execute("SELECT COUNT(*) FROM ticket").fetchone()[0]
        print(f"store: {total:,} tickets")
        t = time.perf_counter()
        desk.caller_history(REQUEST["caller_phone"])  # opens the store and loads the directory
        print(f"first call (store open, directory load): {(time.perf_counter() - t) * 1000:.0f} ms")

        known, fresh = pick_callers(plain, args.reads, rng)
        picks = pick_places(desk, plain, args.reads, rng)
        for phone in known[:20]:  # warm-up, not timed
            desk.caller_history(phone)
        results = {}
        results["history"] = bench_history(desk, plain, known)
        results["history_new"] = bench_history(desk, plain, fresh)
        results["repeat"] = bench_repeat(desk, plain, known)
        results["similar"] = bench_similar(desk, plain, picks)
        results["similar_cold"] = bench_similar(desk, plain, picks, cold=True)
        saved: list[str] = []
        try:
            results["save"] = bench_save(desk, plain, args.saves, rng, saved)
        finally:
            remove_rows(plain, saved)

    print()
    print(line(f"(a) save: Desk.register ({args.saves})", *results["save"], TARGETS["save"]))
    hist = results["history"]
    print(line(f"(b) caller_history, known ({len(known)})", hist[0], hist[1], TARGETS["history"])
          + f"  [{hist[2] / len(known):.1f} requests each]")
    new = results["history_new"]
    print(line(f"(b) caller_history, new ({len(fresh)})", new[0], new[1], TARGETS["history"]))
    print(line(f"(b) repeat_candidates ({len(known)})", *results["repeat"], TARGETS["history"]))
    sim = results["similar"]
    print(line(f"(c) similar_open, busy ({len(picks)})", sim[0], sim[1], TARGETS["similar"]))
    cold = results["similar_cold"]
    print(line("(c) similar_open, cold cache", cold[0], cold[1], TARGETS["similar"]))
    print(json.dumps({k: {"p50_ms": round(pct(v[0], 50), 3), "p95_ms": round(pct(v[0], 95), 3),
                          "baseline_p95_ms": round(pct(v[1], 95), 3)} for k, v in results.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
