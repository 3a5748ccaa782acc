"""Key press to repainted F3 results, in a real pty, against a plain Textual Input echo.

    .venv/bin/python -m tests.bench.bench_lookup_keys

Spawns ``python -m hotline_tui`` (120x40, TERM=xterm-256color, store and config in a temp dir), presses
F3 (``ESC O R``), waits WARM_S for F3's warm-up worker to finish, then types pinyin queries one character
at a time (pexpect's default 50 ms sleep before each send is switched off). For each key it times from the
write to the pty until that prefix's top result (computed in this process with the same directory) is
in the output stream (escape sequences stripped); when the top result is the one already shown, F3 repaints
only the rows that changed, so it waits for the echo of the query instead, painted in the same frame. Between words ctrl+u clears the box (not timed).
The baseline, in the same run, is a one-Input Textual app: time until the typed prefix is echoed.
Prints p50/p95 of each, their ratio to a 16 ms frame, and lookup/baseline (the honest figure on a
noisy machine).
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

WORDS = ("taidong", "shibeiqu", "zhuhailu", "laoshanqu", "huangdao", "badaguan")  # 48 keys
FRAME_MS = 1000 / 60
TIMEOUT = 5.0
WARM_S = 2.0
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1bO.")
BASELINE_READY = "baseline ready"
BASELINE_APP = f'''
from textual.app import App
from textual.widgets import Input, Static

class Echo(App):
    def compose(self):
        yield Static("{BASELINE_READY}")
        yield Input()

Echo().run()
'''


def plain(raw: str) -> str:
    return ANSI.sub("", raw)


def drain(child: pexpect.spawn, quiet: float = 0.05) -> None:
    """Read until the terminal has been quiet for ``quiet`` seconds."""
    while True:
        try:
            child.read_nonblocking(1 << 16, timeout=quiet)
        except pexpect.TIMEOUT:
            return


def wait_for(child: pexpect.spawn, text: str, timeout: float = TIMEOUT) -> float:
    """Seconds until ``text`` appears in the (escape-stripped) output from now on."""
    start = time.perf_counter()
    buf = ""
    while True:
        left = timeout - (time.perf_counter() - start)
        if left <= 0:
            raise TimeoutError(f"{text!r} not seen in {timeout}s; tail: {plain(buf)[-200:]!r}")
        try:
            buf += child.read_nonblocking(1 << 16, timeout=min(left, 0.5))
        except pexpect.TIMEOUT:
            continue
        if text in plain(buf):
            return time.perf_counter() - start


def press(child: pexpect.spawn, key: str, expect: str) -> float:
    drain(child)
    start = time.perf_counter()
    child.send(key)
    wait_for(child, expect)
    return (time.perf_counter() - start) * 1000


def spawn(argv: list[str], env: dict[str, str], cwd: str) -> pexpect.spawn:
    child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=cwd, dimensions=(40, 120), encoding="utf-8",
                          codec_errors="replace", timeout=30)
    # pexpect sleeps 50 ms before every send() by default (delaybeforesend): that sleep would be timed
    # as part of each key press
    child.delaybeforesend = None
    return child


def expected_tops() -> list[list[str | None]]:
    from hotline_tui.directory import load_directory

    d = load_directory()
    d.warm()
    out = []
    for word in WORDS:
        tops = []
        for i in range(1, len(word) + 1):
            found = d.lookup(word[:i], 1)
            tops.append(found[0].name if found else None)
        out.append(tops)
    return out


def lookup_keys(env: dict[str, str], cwd: str) -> list[float]:
    tops = expected_tops()
    child = spawn([sys.executable, "-m", "hotline_tui"], env, cwd)
    try:
        wait_for(child, "desk A01", 30)
        drain(child, 0.5)
        child.send("\x1bOR")  # F3
        wait_for(child, "查找单位", 10)
        press(child, "t", tops[0][0] or "")  # the directory is open once a result shows
        child.send("\x15")  # ctrl+u: Input clears
        time.sleep(WARM_S)  # F3's warm-up worker (index, usage, first-key answers) has finished: steady typing is timed
        drain(child)
        times = []
        for word, word_tops in zip(WORDS, tops):
            shown = None
            for i, top in enumerate(word_tops):
                if top is None:
                    child.send(word[i])
                    continue
                # a top result already on screen is not painted again (only changed rows are): then wait
                # for the echo of the query, which F3 paints in the same frame as the results
                times.append(press(child, word[i], top if top != shown else word[: i + 1]))
                shown = top
            child.send("\x15")
            drain(child, 0.2)
        return times
    finally:
        child.terminate(force=True)


def baseline_keys(env: dict[str, str], cwd: str) -> list[float]:
    script = Path(cwd) / "baseline_echo.py"
    script.write_text(BASELINE_APP, encoding="utf-8")
    child = spawn([sys.executable, str(script)], env, cwd)
    try:
        wait_for(child, BASELINE_READY, 30)
        drain(child, 0.5)
        times = []
        for word in WORDS:
            for i in range(len(word)):
                times.append(press(child, word[i], word[: i + 1]))
            child.send("\x15")
            drain(child, 0.2)
        return times
    finally:
        child.terminate(force=True)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40",
                   HOTLINE_DB=str(Path(tmp) / "bench.sqlite"), HOTLINE_CONFIG=str(Path(tmp) / "config.toml"),
                   HOME=tmp)
        env.pop("HOTLINE_HUB", None)
        base = baseline_keys(env, tmp)
        look = lookup_keys(env, tmp)
    rows = (("plain Input echo (baseline)", base), ("F3 key -> results repainted", look))
    print(f"{'':32} {'keys':>5} {'p50 ms':>8} {'p95 ms':>8} {'p50/16ms':>9} {'p95/16ms':>9}")
    for name, v in rows:
        print(f"{name:32} {len(v):5d} {statistics.median(v):8.1f} {pct(v, .95):8.1f}"
              f" {statistics.median(v) / FRAME_MS:9.2f} {pct(v, .95) / FRAME_MS:9.2f}")
    print(f"lookup / baseline: p50 {statistics.median(look) / statistics.median(base):.2f}x,"
          f" p95 {pct(look, .95) / pct(base, .95):.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
