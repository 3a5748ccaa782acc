"""``hotline demo`` killed at random moments leaves no process behind and a store that opens, passes its
integrity check and holds whole tickets only (each ticket's projection equals the fold of its events).

The demo runs with two worker processes, in its own session so that its whole process group can be killed
as a terminal or a service manager would. The kills land while chunks are being generated, in the middle
of a write transaction and at a commit, by SIGKILL (to the process and to the group), SIGTERM and SIGINT
(Ctrl-C, to the group). One store takes all the kills in turn, so every run also opens a store that the
previous one left behind; a last run completes on it.

To hit the phases, the demo runs through a small launcher that makes the write transactions small and
prints a line as each write step starts (bulk.begin / write_rows / commit), then calls the real
``hotline`` command line; the test kills the process a random few milliseconds after the line it waits for.
One more run kills the installed ``hotline`` entry point itself at a random moment.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests import proctree
from tests.storecheck import projection_mismatches

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not proctree.HAS_PROC, reason="reads /proc (Linux)")]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNTIL = "2025-06-30"
LAUNCHER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from hotline_tui import cli
    from hotline_tui.demo import bulk, load
    load.CHUNK_TICKETS, load.TXN_TICKETS = 300, 900  # three chunks a transaction

    def announce(step, fn):
        def run(*args):
            print(step, flush=True)
            return fn(*args)
        return run

    for step in ("begin", "write_rows", "commit"):
        setattr(bulk, step, announce(step, getattr(bulk, step)))
    sys.exit(cli.main(sys.argv[1:]))
""")
# (phase: the launcher's line to wait for and how many of them, signal, to the process or its group)
KILLS = [
    ("generating", None, signal.SIGKILL, "process"),
    ("mid-transaction", ("write_rows", 2), signal.SIGKILL, "process"),
    ("commit", ("commit", 1), signal.SIGKILL, "process"),
    ("commit", ("commit", 2), signal.SIGKILL, "group"),
    ("mid-transaction", ("write_rows", 5), signal.SIGTERM, "process"),
    ("mid-transaction", ("write_rows", 2), signal.SIGINT, "group"),
]


def hotline_command() -> list[str]:
    entry = Path(sys.executable).with_name("hotline")
    return [str(entry)] if entry.exists() else [sys.executable, "-m", "hotline_tui"]


@contextlib.contextmanager
def running(command: list[str], db: Path, seed: int):
    """The demo in its own session; whatever happens, nothing of its process group is left afterwards."""
    args = ["--db", str(db), "demo", "--tickets", "4000", "--workers", "2", "--until", UNTIL, "--seed", str(seed), "--quiet"]
    demo = subprocess.Popen(command + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        yield demo
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(demo.pid, signal.SIGKILL)  # workers left over by a failure keep the group (and the pipes)
        demo.wait()


def wait_for_workers(demo: subprocess.Popen, count: int = 2, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(proctree.children(demo.pid)) < count:
        assert demo.poll() is None, demo.stderr.read()
        assert time.monotonic() < deadline, "the demo's workers never started"
        time.sleep(0.005)


def wait_for_line(demo: subprocess.Popen, step: str, count: int) -> list[str]:
    seen = []
    for line in demo.stdout:
        seen.append(line.strip())
        if seen.count(step) >= count:
            return seen
    raise AssertionError(f"the demo ended before {count}× {step}: {seen} {demo.stderr.read()}")


def kill(demo: subprocess.Popen, sig: int, target: str) -> list[proctree.Proc]:
    """Send ``sig``; returns the processes the demo had started at that moment (its workers)."""
    workers = proctree.children(demo.pid)
    if target == "group":
        os.killpg(demo.pid, sig)
    else:
        os.kill(demo.pid, sig)
    return workers


def check_store(db: Path, command: list[str]) -> int:
    """The store passes ``hotline store check`` and holds whole tickets only; returns its ticket count."""
    checked = subprocess.run(command + ["--db", str(db), "store", "check", "--json"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    info = json.loads(checked.stdout)
    assert info["integrity"] == "ok"
    with sqlite3.connect(db) as con:
        with_events = con.execute("SELECT count(DISTINCT ticket) FROM event").fetchone()[0]
    assert info["tickets"] == with_events  # no ticket without its events, no events without their ticket
    assert projection_mismatches(db) == []
    return info["tickets"]


def test_demo_killed_at_random_moments_leaves_no_process_and_a_sound_store(tmp_path):
    seed = int(os.environ.get("HOTLINE_KILL_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    note = f"(HOTLINE_KILL_SEED={seed} repeats these moments)"
    db = tmp_path / "demo.sqlite"
    launcher = [sys.executable, "-c", LAUNCHER.format(root=ROOT)]
    tickets = 0
    for run, (phase, line, sig, target) in enumerate(KILLS, start=1):
        what = f"run {run}: {signal.Signals(sig).name} to the {target} at {phase} {note}"
        with running(launcher, db, seed=run) as demo:
            wait_for_workers(demo)
            seen = wait_for_line(demo, *line) if line else []
            time.sleep(rng.uniform(0, 0.02))
            workers = kill(demo, sig, target)
            code = demo.wait(30)
            assert len(workers) == 2, what
            assert proctree.wait_gone(workers, pgrp=demo.pid) == [], f"{what}: processes outlived the demo"
            out, stderr = demo.communicate()
        seen += out.split()
        if sig == signal.SIGINT:
            assert code == 130 and stderr.strip().endswith("hotline: interrupted"), (what, stderr)
            assert "Traceback" not in stderr, (what, stderr)
        else:
            assert code == -sig, (what, code, stderr)
        if phase == "generating":
            assert "begin" not in seen, f"{what}: the first write had begun already"
        now = check_store(db, [sys.executable, "-m", "hotline_tui"])
        assert now >= tickets, what
        tickets = now

    # the installed entry point itself, killed at a random moment of its run
    entry = hotline_command()
    with running(entry, db, seed=99) as demo:
        wait_for_workers(demo)
        time.sleep(rng.uniform(0, 1.5))
        workers = kill(demo, signal.SIGKILL, "process")
        demo.wait(30)
        assert proctree.wait_gone(workers, pgrp=demo.pid) == [], f"the entry point's workers outlived it {note}"
    tickets = check_store(db, entry)

    # and the store takes a complete run after all that
    done = subprocess.run(entry + ["--db", str(db), "demo", "--tickets", "300", "--workers", "0", "--until", UNTIL,
                                   "--seed", "100", "--quiet"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert check_store(db, entry) == tickets + 300
