"""The monthly ranking on a large store, as ratios to hand-written SQL aggregates of the same numbers.

    .venv/bin/python -m tests.bench.bench_reports --db STORE [--month YYYY-MM] [--rounds 5] [--publish]

STORE: for example one filled by ``hotline demo --tickets 1000000``. Times, interleaved over ``--rounds``:

- ``month``: the report of one month when the months before it are published (the usual case: last month's
  ranks and the year's earlier deductions come from their publications), against the baseline: plain sqlite3
  aggregates of the same counts (dispatched, claimed, claimed in time; due, replied, replied in time, closed,
  callbacks, satisfied) over the same two index ranges, rows into Python, grouped by lead unit, by channel and
  by nature (the report's three kinds of table; the baseline leaves out the returns' attribution, the
  supervision list and rolling units up to districts);
- ``cold``: ``Desk.monthly_report`` when nothing is published (last month computed too, for the ranks'
  changes; the year's deduction adds published months only), against the baseline run for both months;
- with ``--publish`` (writes one publication event into STORE, of the last finished month, the one F6 opens on,
  unless it is already published): F6's first paint of the published month (from pressing F6 to the ranking on screen, Pilot, 120×40), against
  pressing F7 (a placeholder that reads nothing) in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import time
from pathlib import Path

BASELINE_MONTH = ("SELECT {by}, count(*), sum(claimed_ms IS NOT NULL), sum(claimed_ms <= claim_due_ms)"
                  " FROM ticket WHERE registered_ms >= ? AND registered_ms < ? AND lead_unit IS NOT NULL"
                  " AND state != 'merged'"
                  " GROUP BY {by}")
BASELINE_DUE = ("SELECT {by}, count(*), sum(replied_ms < ?), sum(replied_ms <= due_ms), sum(closed_ms < ?),"
                " sum(callback != ''), sum(callback IN ('satisfied', 'basically_satisfied'))"
                " FROM ticket WHERE due_key >= ? AND due_key < ? AND lead_unit IS NOT NULL AND state != 'merged'"
                " GROUP BY {by}")


def baseline(con, months) -> float:
    t = time.perf_counter()
    for m in months:
        for by in ("lead_unit", "channel", "nature"):
            con.execute(BASELINE_MONTH.format(by=by), (m.start_ms, m.end_ms)).fetchall()
            con.execute(BASELINE_DUE.format(by=by), (m.end_ms, m.end_ms, m.start_ms, m.end_ms)).fetchall()
    return time.perf_counter() - t


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


async def paint_times(desk, rounds: int) -> tuple[list[float], list[float]]:
    from hotline_tui.app import HotlineApp

    f6, f7 = [], []
    for _ in range(rounds):
        app = HotlineApp(desk.settings, desk=desk)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.3)
            t = time.perf_counter()
            await pilot.press("f7")
            await pilot.pause(0)
            f7.append(time.perf_counter() - t)
            t = time.perf_counter()
            await pilot.press("f6")
            screen = app.screen
            while getattr(screen, "report", None) is None:
                await asyncio.sleep(0.002)
            await pilot.pause(0)  # the painted frame
            f6.append(time.perf_counter() - t)
    return f6, f7


def main() -> int:
    from hotline_tui.reports import monthly
    from hotline_tui.reports.month import parse_month, this_month
    from hotline_tui.services import Desk

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True, help="the store to report on")
    parser.add_argument("--month", help="YYYY-MM (default: the last finished month)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--publish", action="store_true", help="publish the month into STORE and time F6's first paint")
    args = parser.parse_args()

    desk = Desk.open(args.db)
    month = parse_month(args.month) if args.month else this_month(desk._now()).prev()
    months_cold = [month.prev(), month]  # last month unpublished is computed too; earlier months never are
    with desk.store.read() as conn:
        n = conn.exec_driver_sql("SELECT count(*) FROM ticket").scalar()
    print(f"store {args.db} · {n:,} tickets · month {month} · {args.rounds} rounds")
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rules, directory = desk.report_rules(), desk.directory
    as_published = {"districts": [], "units": []}

    def one_month():
        with desk.store.read() as conn:
            monthly.compute(conn, month, directory, rules, lambda m: as_published)

    rows = {"month": ([], []), "cold": ([], [])}
    for _ in range(args.rounds):
        rows["month"][1].append(baseline(con, [month]))
        rows["month"][0].append(timed(one_month))
        rows["cold"][1].append(baseline(con, months_cold))
        rows["cold"][0].append(timed(lambda: desk.monthly_report(str(month), fresh=True)))
    for name, (ours, base) in rows.items():
        ratios = [o / b for o, b in zip(ours, base)]
        print(f"{name:6} report median {statistics.median(ours) * 1000:8.1f} ms (best {min(ours) * 1000:.1f})"
              f" · baseline {statistics.median(base) * 1000:8.1f} ms · ratio median {statistics.median(ratios):.2f}"
              f" (range {min(ratios):.2f}–{max(ratios):.2f})")
    if args.publish:  # F6 opens on the last finished month: that is the one published and painted
        shown = str(this_month(desk._now()).prev())
        if desk.report_published(shown) is None:
            desk.settings = desk.settings.__class__(**{**desk.settings.__dict__, "role": "supervisor"})
            desk.publish_report(shown)
        t = timed(lambda: desk.report_published(shown))
        print(f"published month {shown} read: {t * 1000:.1f} ms")
        f6, f7 = asyncio.run(paint_times(desk, args.rounds))
        print(f"F6 first paint of the published month: median {statistics.median(f6) * 1000:.0f} ms"
              f" (max {max(f6) * 1000:.0f}) · F7 placeholder {statistics.median(f7) * 1000:.0f} ms"
              f" · ratio {statistics.median(f6) / statistics.median(f7):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
