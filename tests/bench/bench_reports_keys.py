"""F6's first paint in a real pty: from pressing F6 to the published month's status and first ranked row on
screen, against pressing F7 (a placeholder that reads nothing) timed the same way in the same run.

    .venv/bin/python -m tests.bench.bench_reports_keys --db STORE [--rounds 5]

STORE must have the last finished month published (``bench_reports --publish`` does it). Each round starts the
desk afresh (120x40, TERM=xterm-256color, a supervisor, config in a temp dir), waits for it to open, presses F7
and waits for its text, then F6 and waits for "已发布" and the ranking's first row; F6 is opened for the first
time in the round, as a supervisor opening the month's report would.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from tests.bench.bench_lookup_keys import drain, spawn, wait_for


def first_row(db: str) -> str:
    from hotline_tui.services import Desk

    desk = Desk.open(db)
    month = desk.report_default_month()
    report = desk.monthly_report(month)
    if not report.get("published"):
        raise SystemExit(f"{month} is not published in {db}: run bench_reports --publish first")
    return report["districts"][0]["name"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    name = first_row(args.db)
    f6, f7 = [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40", HOME=tmp, HOTLINE_ROLE="supervisor",
                   HOTLINE_CONFIG=str(Path(tmp) / "config.toml"))
        env.pop("HOTLINE_HUB", None)
        for _ in range(args.rounds):
            child = spawn([sys.executable, "-m", "hotline_tui", "--db", args.db], env, tmp)
            try:
                wait_for(child, "desk A01", 120)
                drain(child, 0.5)
                child.send("\x1b[18~")  # F7
                f7.append(wait_for(child, "体悟") * 1000)
                drain(child, 0.5)
                child.send("\x1b[17~")  # F6
                f6.append(wait_for(child, "已发布", 30) * 1000)
                wait_for(child, name, 5)
            finally:
                child.terminate(force=True)
    print(f"F6 first paint of a published month: median {statistics.median(f6):.0f} ms, max {max(f6):.0f} ms"
          f" (runs {', '.join(f'{v:.0f}' for v in f6)})")
    print(f"F7 placeholder the same way:          median {statistics.median(f7):.0f} ms"
          f" · ratio {statistics.median(f6) / statistics.median(f7):.1f}x · target 300 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
