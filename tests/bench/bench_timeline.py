"""Opening a ticket with 200 events: Desk.show against a plain sqlite3 read of the same events.

    .venv/bin/python -m tests.bench.bench_timeline [--db STORE]

With ``--db`` (for example a store filled by ``hotline demo --tickets 1000000``) the 200-event ticket
is added to that store and read back from among its millions of rows; without it, from a temp store.

Builds a temp store with one ticket of 200 events (register, dispatch, claim, then notes, all via
Desk.act), then times, interleaved, ``Desk.show(number)`` (projection + events + permissions) and a
plain ``sqlite3`` ``SELECT ... FROM event WHERE ticket=? ORDER BY hlc, id`` with the rows turned into
tuples. Prints the p95 of each and the ratio. Also times building the F4 screen's lines from the view
(the part the worker adds before the timeline can paint).
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from tests.deskkit import TAIDONG, make_desk, new_request

EVENTS = 200
ROUNDS = 200


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> int:
    from screens.ticket_page import build_page

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="an existing store to add the ticket to and read it from")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        folder = args.db.parent if args.db else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        desk = make_desk(folder, store_name=args.db.name if args.db else "store.sqlite")
        number = desk.register(new_request(handling={"mode": "dispatch", "lead": TAIDONG}))
        desk.act(number, "claim", {})
        for i in range(EVENTS - 3):
            desk.act(number, "note", {"text": f"第 {i} 次电话回访, 诉求人表示仍有油烟 [bold]{i}[/]"})
        view = desk.show(number)
        assert len(view.events) == EVENTS, len(view.events)

        raw = sqlite3.connect(str(desk.settings.store_path))
        sql = "SELECT id, ticket, hlc, desk, actor, kind, payload FROM event WHERE ticket = ? ORDER BY hlc, id"
        shows, plains, pages = [], [], []
        for _ in range(ROUNDS):
            t = time.perf_counter()
            view = desk.show(number)
            shows.append(time.perf_counter() - t)
            t = time.perf_counter()
            rows = [tuple(r) for r in raw.execute(sql, (number,))]
            plains.append(time.perf_counter() - t)
            t = time.perf_counter()
            build_page(view, desk)
            pages.append(time.perf_counter() - t)
        raw.close()
        assert len(rows) == EVENTS
    s, p, b = p95(shows), p95(plains), p95(pages)
    print(f"plain sqlite3 SELECT of {EVENTS} events  p95 {p * 1000:7.2f} ms")
    print(f"Desk.show (state+events+allowed)    p95 {s * 1000:7.2f} ms")
    print(f"ratio Desk.show / plain SELECT       {s / p:.1f}x")
    print(f"build F4 lines from the view        p95 {b * 1000:7.2f} ms  ({b / p:.1f}x the plain SELECT)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
