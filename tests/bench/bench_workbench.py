"""The workbench's queries on a large store: the first page and the count of every preset and of five free
filters through the Desk facade (parse, compile, plan, fetch, rows out), each against a hand-written plain
sqlite3 query for the same set in the same run.

    .venv/bin/python -m tests.bench.bench_workbench --db STORE [--runs 15]

STORE is a demo store made once outside the repository, e.g. ``hotline --db STORE demo --tickets 5000000
--days 730``. Each filter is run once untimed (the desk's caches: directory, the shares of its conditions),
then ``--runs`` times; the plain query is run as often, interleaved, and must list the same tickets. Prints
p50/p95 in ms and p95 ratios (facade / plain); the targets are a first page within 20 ms and a count within
200 ms at p95. Machines here are shared and noisy: compare ratios across runs, not seconds.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time

from hotline_tui.config import Settings
from hotline_tui.query.presets import PRESETS
from hotline_tui.services import Desk

RUNNING = "('dispatched', 'claimed', 'return_review')"
OPEN = "('registered', 'dispatched', 'claimed', 'return_review', 'reply_review')"
FINAL = "('closed', 'merged', 'transferred')"
COLS = "number, state, registered_ms, due_ms, lead_unit, place, channel, nature, category, flags, summary, caller_phone"
DAY = 86_400_000

FREE = (
    "overdue unit:市北区",
    "nature:投诉 channel:信访 age<30d",
    "category:占道经营 place:市北区 unfinished sort:due",
    "text:漏水 age<60d",
    "unit:李沧区 callback:unsatisfied registered:last-month",
)
EXAMPLE = "overdue unit:市北区 channel:信访 nature:投诉 repeat>=3 callback:unsatisfied age>15d returned>=2 text:停车"


def marks(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def plain_sql(desk: Desk, text: str) -> tuple[str, str, list]:
    """(WHERE, ORDER BY, params) for ``text`` as a person would write it by hand for plain sqlite3."""
    d, now = desk.directory, desk._now()
    shibei, lican = marks(d.subtree("370203")), marks(d.subtree("370213"))
    fts = ("number IN (SELECT number FROM ticket_key WHERE tid IN"
           " (SELECT rowid >> 16 FROM event_text WHERE event_text MATCH ?))")
    compiled = desk.compile_filter(text)
    month = [p for p in compiled.params.values() if isinstance(p, int) and p > 10**12]
    table = {
        "overdue sort:due": (f"state IN {RUNNING} AND due_ms < ?", "due_ms, number", [now]),
        "due-soon sort:due": (f"state IN {RUNNING} AND due_ms >= ? AND due_ms < ?", "due_ms, number",
                              [now, month[-1] if month else now]),
        "repeat>=3 sort:repeats": ("call_count >= 3", "call_count DESC, registered_ms DESC, number DESC", []),
        "disputed sort:new": ("flags LIKE '%disputed_callback%'", "registered_ms DESC, number DESC", []),
        "unsatisfied sort:new": ("callback = 'unsatisfied'", "registered_ms DESC, number DESC", []),
        "returned>=2 sort:new": ("return_count >= 2", "registered_ms DESC, number DESC", []),
        "open age>30d sort:age": (f"state IN {OPEN} AND registered_ms < ?", "registered_ms, number", [now - 30 * DAY]),
        "listed unfinished sort:due": (f"flags LIKE '%listed%' AND state NOT IN {FINAL}", "due_key, number", []),
        "escalated sort:new": ("flags LIKE '%escalated%'", "registered_ms DESC, number DESC", []),
        FREE[0]: (f"state IN {RUNNING} AND due_ms < ? AND lead_unit IN ({shibei})", "registered_ms DESC, number DESC", [now]),
        FREE[1]: ("nature = 'complaint' AND channel = 'petition' AND registered_ms > ?", "registered_ms DESC, number DESC",
                  [now - 30 * DAY]),
        FREE[2]: (f"category = '城乡建设 › 市容环境 › 占道经营' AND place IN ({shibei}) AND state NOT IN {FINAL}",
                  "due_key, number", []),
        FREE[3]: (f"{fts} AND registered_ms > ?", "registered_ms DESC, number DESC", ['"漏水"', now - 60 * DAY]),
        FREE[4]: (f"lead_unit IN ({lican}) AND callback = 'unsatisfied' AND registered_ms >= ? AND registered_ms < ?",
                  "registered_ms DESC, number DESC", month[-2:]),
    }
    return table[text]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return (time.perf_counter() - start) * 1000, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from pathlib import Path

    settings = Settings(store_path=Path(args.db), config_file=Path(args.db).with_suffix(".toml"), config_exists=False,
                        role="supervisor")
    desk = Desk(settings)
    raw = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    tickets = raw.execute("SELECT max(rowid) FROM ticket").fetchone()[0]
    print(f"store: {args.db}, about {tickets:,} tickets; {args.runs} runs each after one untimed")
    print(f"{'filter':58} {'matches':>9} {'page p50':>9} {'p95':>6} {'plain p95':>9} {'x':>6}"
          f" {'count p50':>9} {'p95':>7} {'plain p95':>9} {'x':>6}")
    worst_page = worst_count = 0.0
    for text in [p.filter for p in PRESETS] + list(FREE):
        where, order, params = plain_sql(desk, text)
        page_sql = f"SELECT {COLS} FROM ticket WHERE {where} ORDER BY {order} LIMIT 100"
        count_sql = f"SELECT COUNT(*) FROM ticket WHERE {where}"
        first = desk.query_page(text, limit=100)
        n = desk.query_count(text)
        plain_rows = raw.execute(page_sql, params).fetchall()
        assert raw.execute(count_sql, params).fetchone()[0] == n, text
        if "sort:due" not in text or "overdue" in text:  # due_ms and due_key order alike where a due date is set
            assert [r[0] for r in plain_rows] == [r["number"] for r in first["rows"]], text
        page_t, count_t, plain_page, plain_count = [], [], [], []
        for _ in range(args.runs):
            page_t.append(timed(lambda: desk.query_page(text, limit=100))[0])
            plain_page.append(timed(lambda: raw.execute(page_sql, params).fetchall())[0])
            count_t.append(timed(lambda: desk.query_count(text))[0])
            plain_count.append(timed(lambda: raw.execute(count_sql, params).fetchone())[0])
        p95, c95 = pct(page_t, .95), pct(count_t, .95)
        worst_page, worst_count = max(worst_page, p95), max(worst_count, c95)
        print(f"{text[:58]:58} {n:9,} {statistics.median(page_t):9.1f} {p95:6.1f} {pct(plain_page, .95):9.1f}"
              f" {p95 / max(pct(plain_page, .95), 0.01):6.2f} {statistics.median(count_t):9.1f} {c95:7.1f}"
              f" {pct(plain_count, .95):9.1f} {c95 / max(pct(plain_count, .95), 0.01):6.2f}")
    ex_page = [timed(lambda: desk.query_page(EXAMPLE, limit=100))[0] for _ in range(args.runs)]
    ex_count = [timed(lambda: desk.query_count(EXAMPLE))[0] for _ in range(args.runs)]
    print(f"the issue's example filter: page p95 {pct(ex_page, .95):.1f} ms, count p95 {pct(ex_count, .95):.1f} ms")
    print(f"worst p95: first page {worst_page:.1f} ms (target 20), count {worst_count:.1f} ms (target 200)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
