"""Process start to first paint of the desk, in a real pty, against a minimal Textual app.

    .venv/bin/python -m tests.bench.bench_startup

Spawns ``python -m hotline_tui`` (120x40, TERM=xterm-256color, store and config in a temp dir) and
times until the header text is on the terminal; the baseline is a one-widget Textual app timed the same
way in the same run. Prints the median of 5 runs of each and the ratio (this machine is noisy: compare
ratios, not seconds).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

RUNS = 5
HEADER = "desk A01"
BASELINE_TEXT = "baseline ready"
BASELINE_APP = f'''
from textual.app import App
from textual.widgets import Static

class Tiny(App):
    def compose(self):
        yield Static("{BASELINE_TEXT}")

Tiny().run()
'''


def first_paint(argv: list[str], expect: str, env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=cwd, dimensions=(40, 120), encoding="utf-8", timeout=30)
    try:
        child.expect_exact(expect)
        elapsed = time.perf_counter() - start
        child.sendcontrol("q")
        child.expect(pexpect.EOF, timeout=10)
    finally:
        if child.isalive():
            child.terminate(force=True)
    return elapsed


def main() -> int:
    repo = str(Path(__file__).resolve().parents[2])
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TERM": "xterm-256color", "HOTLINE_DB": f"{tmp}/desk.sqlite",
               "HOTLINE_CONFIG": f"{tmp}/config.toml", "COLUMNS": "120", "LINES": "40"}
        env.pop("TEXTUAL", None)
        tiny = Path(tmp) / "tiny_app.py"
        tiny.write_text(BASELINE_APP)
        # one untimed run each: creates the store and warms the OS file cache for both
        first_paint([sys.executable, "-m", "hotline_tui"], HEADER, env, repo)
        first_paint([sys.executable, str(tiny)], BASELINE_TEXT, env, repo)
        desk, base = [], []
        for _ in range(RUNS):  # interleaved, so drift on a noisy machine hits both alike
            base.append(first_paint([sys.executable, str(tiny)], BASELINE_TEXT, env, repo))
            desk.append(first_paint([sys.executable, "-m", "hotline_tui"], HEADER, env, repo))
    d, b = statistics.median(desk), statistics.median(base)
    print(f"minimal Textual app first paint  median {b * 1000:7.1f} ms  runs {[round(x * 1000) for x in base]}")
    print(f"hotline desk header first paint  median {d * 1000:7.1f} ms  runs {[round(x * 1000) for x in desk]}")
    print(f"ratio desk / minimal app          {d / b:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
