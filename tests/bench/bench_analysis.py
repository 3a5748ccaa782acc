"""The month's analysis (决策参考) on a large store, against hand-written plain sqlite3 for the same numbers.

    .venv/bin/python -m tests.bench.bench_analysis --db STORE [--month YYYY-MM] [--runs 5]

STORE is a demo store made once outside the repository, e.g. ``hotline --db STORE demo --tickets 200000
--days 400`` (so that last year's month exists). The month defaults to the last whole month. Three parts are
timed, each through the Desk facade and as plain SQL on a plain sqlite3 connection, interleaved, ``--runs``
times after one untimed run (the directory, the keyword list), and the plain side must give the same numbers:

- month: counts by district and category, last month's and last year's, the hot spots, the month's tickets'
  keys, areas and rankings (the facade) — the same GROUP BYs by hand (plain);
- keywords: one full-text lookup per word of the vocabulary over the month's first texts, both sides;
- trend: twelve months of requests and of the three rates (the monthly ranking's city totals: schema 0007's
  report indexes hold every column they read); the plain side is three queries a month.

Prints medians in ms and ratios (facade / plain). Also the keyword technique not taken: instr() over the
month's summaries, per word, on a sample of words. Machines here are shared and noisy: compare ratios.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time

from hotline_tui.reports import analysis_keywords as kw
from hotline_tui.reports.analysis_month import month_of_ms, parse_month
from hotline_tui.services import Desk

REQ = "state != 'merged'"  # a month's requests, as the analysis and the monthly ranking count them
CELLS = ("SELECT substr(place, 1, 6), category, total(state != 'merged'), sum(call_count) FROM ticket"
         " WHERE registered_ms >= ? AND registered_ms < ? GROUP BY 1, 2")
CATS = f"SELECT category, count(*) FROM ticket WHERE registered_ms >= ? AND registered_ms < ? AND {REQ} GROUP BY 1"
HOT = ("SELECT place, category, total(state != 'merged') AS n, sum(call_count) AS calls,"
       " count(DISTINCT nullif(caller_phone, '')) + sum(caller_phone = '') FROM ticket"
       " WHERE registered_ms >= ? AND registered_ms < ? AND place IS NOT NULL"
       " AND category != '' GROUP BY 1, 2 HAVING calls >= 3 ORDER BY calls DESC, n DESC LIMIT 45")
TIDS = f"SELECT tid FROM ticket WHERE registered_ms >= ? AND registered_ms < ? AND {REQ}"
WORD = ("SELECT rowid >> 16 FROM event_text WHERE event_text MATCH ? AND rowid >= ? AND rowid < ?"
        " AND (rowid & 65535) = 1")
COUNT = f"SELECT count(*) FROM ticket WHERE registered_ms >= ? AND registered_ms < ? AND {REQ}"
BY_REG = ("SELECT total(lead_unit IS NOT NULL), total(claimed_ms <= claim_due_ms) FROM ticket"
          f" WHERE registered_ms >= ? AND registered_ms < ? AND {REQ}")
BY_DUE = ("SELECT count(*), total(closed_ms < ?),"
          " total(state IN ('reply_review', 'awaiting_callback', 'visited', 'closed') AND replied_ms <= due_ms)"
          f" FROM ticket WHERE due_key >= ? AND due_key < ? AND {REQ} AND lead_unit IS NOT NULL")
INSTR = "SELECT count(*) FROM ticket WHERE registered_ms >= ? AND registered_ms < ? AND instr(summary, ?) > 0"


def plain_month(raw, m) -> dict:
    a, b = m.start_ms, m.end_ms
    cells = raw.execute(CELLS, (a, b)).fetchall()
    prev, last = m.shift(-1), m.shift(-12)
    before = [raw.execute(CATS, (x.start_ms, x.end_ms)).fetchall() for x in (prev, last)]
    hot = raw.execute(HOT, (a, b)).fetchall()
    tids = [t for (t,) in raw.execute(TIDS, (a, b))]
    return {"tickets": sum(c[2] for c in cells), "cells": cells, "before": before, "hot": hot, "tids": tids,
            "last_month": raw.execute(COUNT, (prev.start_ms, prev.end_ms)).fetchone()[0]}


def plain_keywords(raw, tids: list[int], words) -> dict[str, int]:
    if not tids:
        return {}
    keep, lo, hi = set(tids), min(tids) << 16, (max(tids) + 1) << 16
    out = {}
    for w in words:
        found = {t for (t,) in raw.execute(WORD, (kw.word_match(w), lo, hi))} & keep
        if found:
            out[w] = len(found)
    return out


def plain_trend(raw, m) -> list[tuple]:
    """Three hand-written queries a month (requests, by registration, by deadline)."""
    rows = []
    for x in m.last(12):
        a, b = x.start_ms, x.end_ms
        rows.append((x.label, raw.execute(COUNT, (a, b)).fetchone()[0], *raw.execute(BY_REG, (a, b)).fetchone(),
                     *raw.execute(BY_DUE, (b, a, b)).fetchone()))
    return [(r[0], r[1], int(r[2]), int(r[3]), r[4], int(r[5]), int(r[6])) for r in rows]


def timed(fn):
    t = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t) * 1000, value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--month", help="YYYY-MM (default: the last whole month)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--instr-words", type=int, default=40, help="words in the instr() sample")
    args = ap.parse_args()
    desk = Desk.open(args.db)
    month = parse_month(args.month) if args.month else month_of_ms(desk._now()).shift(-1)
    raw = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    words = kw.vocabulary()

    def facade_month():
        return desk.analysis(month.label, with_trend=False)

    def facade_trend():
        desk.__dict__.pop("_trend_memo", None)  # the memo would answer every run but the first
        return desk.analysis_trend(month.label)

    result, trend = facade_month(), facade_trend()  # untimed: directory, vocabulary, caches
    plain = plain_month(raw, month)
    assert plain["tickets"] == result["tickets"] and plain["last_month"] == result["last_month"]["tickets"]
    hits = plain_keywords(raw, plain["tids"], words)
    assert sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:15] == [(k["word"], k["tickets"]) for k in result["keywords"]]
    assert plain_trend(raw, month) == [
        (t["month"], t["tickets"], t["dispatched"], t["claimed_in_time"], t["due"], t["closed"], t["replied_in_time"])
        for t in trend]

    times: dict[str, list[float]] = {k: [] for k in ("facade month+keywords", "plain month", "plain keywords",
                                                      "facade trend", "plain trend")}
    for _ in range(args.runs):
        times["facade month+keywords"].append(timed(facade_month)[0])
        ms, p = timed(lambda: plain_month(raw, month))
        times["plain month"].append(ms)
        times["plain keywords"].append(timed(lambda: plain_keywords(raw, p["tids"], words))[0])
        times["facade trend"].append(timed(facade_trend)[0])
        times["plain trend"].append(timed(lambda: plain_trend(raw, month))[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    tickets = raw.execute("SELECT count(*) FROM ticket").fetchone()[0]
    print(f"store: {tickets:,} tickets; month {month.label}: {result['tickets']:,} requests, {len(words):,} words, "
          f"{len(hits)} found; runs {args.runs}")
    for k, v in med.items():
        print(f"  {k:<24} median {v:8.1f} ms   (min {min(times[k]):.1f}, max {max(times[k]):.1f})")
    plain_mk = med["plain month"] + med["plain keywords"]
    print(f"  month+keywords: facade / plain = {med['facade month+keywords'] / plain_mk:.2f}")
    print(f"  trend:          facade / plain = {med['facade trend'] / med['plain trend']:.2f}")
    total_f = med["facade month+keywords"] + med["facade trend"]
    print(f"  whole analysis: facade {total_f:.0f} ms, plain {plain_mk + med['plain trend']:.0f} ms, "
          f"ratio {total_f / (plain_mk + med['plain trend']):.2f}")

    sample = words[:: max(1, len(words) // args.instr_words)][: args.instr_words]
    a, b = month.start_ms, month.end_ms
    fts_ms, _ = timed(lambda: plain_keywords(raw, plain["tids"], sample))
    instr_ms, _ = timed(lambda: [raw.execute(INSTR, (a, b, w)).fetchone() for w in sample])
    print(f"keywords technique, {len(sample)} words: full-text index {fts_ms / len(sample):.2f} ms a word, "
          f"instr() over the month's summaries {instr_ms / len(sample):.2f} ms a word "
          f"(instr / index {instr_ms / fts_ms:.1f}x)")


if __name__ == "__main__":
    main()
