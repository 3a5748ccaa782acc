"""Worker processes never outlive the process that started them (hotline_tui/lifeline.py)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from hotline_tui import lifeline
from tests import proctree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

POOL_PARENT = textwrap.dedent("""
    import functools, multiprocessing, os, sys, time
    sys.path.insert(0, {root!r})
    from concurrent.futures import ProcessPoolExecutor
    from hotline_tui import lifeline
    tie = functools.partial(lifeline.tie_to_parent, use_prctl={use_prctl!r}, poll=0.1)
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"), initializer=tie, initargs=(os.getpid(),))
    busy = [pool.submit(time.sleep, 600) for _ in range(2)]
    while len(multiprocessing.active_children()) < 2:
        time.sleep(0.01)
    print("ready", flush=True)
    time.sleep(600)
""")

pytestmark = pytest.mark.skipif(not proctree.HAS_PROC, reason="reads /proc (Linux)")


@pytest.mark.parametrize("use_prctl", [True, False], ids=["prctl", "watcher-only (as on macOS)"])
def test_pool_workers_die_when_their_parent_is_killed(use_prctl):
    parent = subprocess.Popen([sys.executable, "-c", POOL_PARENT.format(root=ROOT, use_prctl=use_prctl)],
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert parent.stdout.readline().strip() == "ready"
        workers = proctree.children(parent.pid)
        assert len(workers) == 2
    finally:
        parent.kill()
        parent.wait()
    left = proctree.wait_gone(workers, timeout=3)
    assert left == [], f"workers outlived their SIGKILLed parent: {left}"


def _tie_then_exit(parent_pid: int) -> None:
    lifeline.tie_to_parent(parent_pid, use_prctl=False)
    sys.exit(0)


def test_a_worker_whose_parent_is_already_gone_ends_at_once():
    ctx = multiprocessing.get_context("fork")
    orphan = ctx.Process(target=_tie_then_exit, args=(os.getpid() + 10_000_000,))  # not our pid: "the parent died"
    orphan.start()
    orphan.join(5)
    assert orphan.exitcode == 1
    kept = ctx.Process(target=_tie_then_exit, args=(os.getpid(),))
    kept.start()
    kept.join(5)
    assert kept.exitcode == 0


def test_a_demo_stopped_early_ends_its_workers_at_once_and_writes_nothing(tmp_path):
    from hotline_tui.demo import load_demo
    from hotline_tui.directory import load_directory
    from hotline_tui.domain.policy import load_policy
    from hotline_tui.store.event_store import open_store

    def interrupt(done, total, events, elapsed):
        raise KeyboardInterrupt  # as Ctrl-C would, right after the first chunk was written

    store = open_store(tmp_path / "demo.sqlite")
    try:
        load_demo(store, tickets=9_000, seed=2, directory=load_directory(), policy=load_policy(),
                  until_ms=1_751_245_200_000, workers=2, progress=interrupt)
    except KeyboardInterrupt as exc:
        reported = exc  # still held, as by a caller that reports it: its traceback keeps load_demo's frame
    assert isinstance(reported, KeyboardInterrupt)
    assert multiprocessing.active_children() == []  # ended at once, not after the chunks still queued
    store.close()
    with sqlite3.connect(tmp_path / "demo.sqlite") as con:
        assert con.execute("SELECT count(*) FROM ticket").fetchone() == (0,)  # the open transaction was rolled back
        assert con.execute("SELECT count(*) FROM event").fetchone() == (0,)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_sigint_is_left_to_the_parent():
    ctx = multiprocessing.get_context("fork")
    child = ctx.Process(target=_ignores_sigint, args=(os.getpid(),))
    child.start()
    child.join(5)
    assert child.exitcode == 0


def _ignores_sigint(parent_pid: int) -> None:
    lifeline.tie_to_parent(parent_pid)
    os.kill(os.getpid(), signal.SIGINT)  # a Ctrl-C reaching the whole process group
    sys.exit(0)
