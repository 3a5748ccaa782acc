"""Key press to repainted F5 list, in a real pty, on a large store; and the running desk's resident memory.

    .venv/bin/python -m tests.bench.bench_workbench_keys --db STORE

Spawns ``python -m hotline_tui`` as a supervisor on STORE (120x40, TERM=xterm-256color, config in a temp dir),
presses F5 (``ESC [ 1 5 ~``) and waits for the first view (the overdue list). Then:

- scrolling: ↓ a hundred times, PgDn twenty times, End, ↑ twenty times, Home; each timed from the write to
  the pty until the cursor row's ticket number (known in this process from the same store) is painted in the
  preview line under the list, which F5 repaints in the same frame as the list;
- typing a filter: ``/``, then the characters of a few filters one at a time; each key is timed until its
  echo shows in the filter line, and, for a key after which the filter reads and lists other tickets, until
  the new first row is painted.

The baseline, in the same run, is a plain Textual Input's echo (as tests/bench/bench_lookup_keys.py). Prints
p50/p95 of each against a 16 ms frame, and the desk's VmRSS and VmHWM (peak) from /proc at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

from tests.bench.bench_lookup_keys import FRAME_MS, baseline_keys, drain, pct, plain, press, spawn, wait_for

FILTERS = ("unfinished unit:市北区", "nature:投诉 channel:信访", "text:漏水 open")


def desk(db: str):
    from hotline_tui.config import Settings
    from hotline_tui.services import Desk

    return Desk(Settings(store_path=Path(db), config_file=Path(db).with_suffix(".toml"), config_exists=False,
                         role="supervisor"))


def expected_rows(d, text: str, n: int) -> list[str]:
    numbers, after = [], None
    while len(numbers) < n:
        page = d.query_page(text, after=after, limit=500)
        numbers += [r["number"] for r in page["rows"]]
        after = page["next"]
        if after is None:
            break
    return numbers


POSITION = re.compile(r"(\d[\d,]*)/[\d,]+ +(QD-[A-Z0-9]+-\d{8}-\d+)")


def wait_position(child, old: int, timeout: float = 5.0) -> int:
    """The cursor's new place in the list (0-based), as the preview line paints it."""
    start, buf = time.perf_counter(), ""
    while time.perf_counter() - start < timeout:
        try:
            buf += child.read_nonblocking(1 << 16, timeout=0.5)
        except pexpect.TIMEOUT:
            continue
        for found in POSITION.finditer(plain(buf)):
            pos = int(found.group(1).replace(",", "")) - 1
            if pos != old:
                return pos
    raise TimeoutError("the cursor's place never showed")


def memory(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0]) // 1024
    return out


def workbench(db: str, env: dict[str, str], cwd: str) -> tuple[list[float], list[float], list[float], dict]:
    d = desk(db)
    overdue = expected_rows(d, "overdue sort:due", 5000)
    last = d.query_page("overdue sort:due", last=True, limit=1)["rows"][0]["number"]
    firsts = {}
    for text in FILTERS:
        for i in range(1, len(text) + 1):
            try:
                rows = d.query_page(text[:i], limit=1)["rows"]
            except Exception:  # a prefix that does not read: the list stays
                continue
            firsts[text[:i]] = rows[0]["number"] if rows else None
    child = spawn([sys.executable, "-m", "hotline_tui", "--db", db], env, cwd)
    scroll, echo, relist = [], [], []
    try:
        wait_for(child, "desk A01", 120)
        drain(child, 0.5)
        child.send("\x1b[15~")  # F5
        wait_for(child, overdue[0], 60)
        drain(child, 1.0)
        pos = 0
        for _ in range(100):
            pos += 1
            scroll.append(press(child, "\x1b[B", overdue[pos]))
        kinds = ["down"] * 100
        for _ in range(20):  # a page is the list's height less one: read where the cursor went from the preview
            drain(child)
            start = time.perf_counter()
            child.send("\x1b[6~")
            pos = wait_position(child, pos)
            scroll.append((time.perf_counter() - start) * 1000)
            kinds.append("pagedown")
            assert pos < len(overdue), "the store's overdue list is shorter than the bench scrolls"
        scroll.append(press(child, "\x1b[F", last))
        drain(child, 0.5)
        scroll.append(press(child, "\x1b[H", overdue[0]))
        kinds += ["end", "home"]
        slowest = sorted(zip(scroll, kinds, range(len(kinds))), reverse=True)[:8]
        print("slowest scroll keys:", ", ".join(f"{k}#{i} {t:.0f} ms" for t, k, i in slowest))
        child.send("/")
        drain(child, 0.3)
        shown = overdue[0]
        for text in FILTERS:
            child.send("\x15")  # ctrl+u: the filter line clears
            drain(child, 0.5)
            for i in range(1, len(text) + 1):
                want = firsts.get(text[:i])
                echo_ms = press(child, text[i - 1], text[:i][-6:])
                echo.append(echo_ms)
                if want and want != shown:
                    relist.append(echo_ms + wait_for(child, want) * 1000)
                    shown = want
                drain(child, 0.2)
        mem = memory(child.pid)
        return scroll, echo, relist, mem
    finally:
        child.terminate(force=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40", HOTLINE_CONFIG=str(Path(tmp) / "config.toml"),
                   HOTLINE_ROLE="supervisor", HOME=tmp)
        env.pop("HOTLINE_HUB", None)
        base = baseline_keys(env, tmp)
        scroll, echo, relist, mem = workbench(args.db, env, tmp)
    rows = (("plain Input echo (baseline)", base), ("F5 scroll key -> row repainted", scroll),
            ("F5 filter key -> echo", echo), ("F5 filter key -> list repainted", relist))
    print(f"{'':34} {'keys':>5} {'p50 ms':>8} {'p95 ms':>8} {'p50/16ms':>9} {'p95/16ms':>9}")
    for name, v in rows:
        print(f"{name:34} {len(v):5d} {statistics.median(v):8.1f} {pct(v, .95):8.1f}"
              f" {statistics.median(v) / FRAME_MS:9.2f} {pct(v, .95) / FRAME_MS:9.2f}")
    print(f"scroll / baseline: p95 {pct(scroll, .95) / pct(base, .95):.2f}x;"
          f" filter echo / baseline: p95 {pct(echo, .95) / pct(base, .95):.2f}x")
    print(f"desk memory with the store open after these keys: VmRSS {mem.get('VmRSS')} MB, peak VmHWM {mem.get('VmHWM')} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
