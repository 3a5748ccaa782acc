"""Closing the desk ends its process: work still running in a thread (a sync waiting on a hub that does not
answer) does not keep it alive after the terminal has been given back."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time

import pytest

from tests.test_intake_pty import F9, wait_text

pexpect = pytest.importorskip("pexpect", reason="pexpect drives the desk in a pty")


@pytest.fixture
def silent_hub():
    """A TCP port that accepts connections and never answers (a hub that hangs)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held = []

    def accept():
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"postgresql://hotline@127.0.0.1:{server.getsockname()[1]}/hub"
    server.close()
    for conn in held:
        conn.close()


def desk(tmp_path, **env):
    env = {**os.environ, "HOTLINE_DB": str(tmp_path / "store.sqlite"), "HOTLINE_CONFIG": str(tmp_path / "config.toml"),
           "TERM": "xterm-256color", **env}
    child = pexpect.spawn(sys.executable, ["-m", "hotline_tui"], env=env, dimensions=(40, 120), encoding="utf-8")
    wait_text(child, "F4 工单")
    return child


def quit_and_time(child) -> tuple[float, str]:
    started = time.monotonic()
    child.sendcontrol("q")
    child.expect(pexpect.EOF, timeout=30)
    child.close()
    return time.monotonic() - started, child.before


def test_quitting_during_a_hanging_sync_ends_the_process(tmp_path, silent_hub):
    from hotline_tui.app import QUIT_GRACE_S

    child = desk(tmp_path, HOTLINE_HUB=silent_hub, HOTLINE_HUB_TIMEOUT="60")  # the hub would hold a sync 60 s
    wait_text(child, "hub: 127.0.0.1")
    wait_text(child, "to push")  # the store opens in a worker after the first frame; the header then says so
    child.send(F9)
    wait_text(child, "syncing")
    took, said = quit_and_time(child)
    assert took < QUIT_GRACE_S + 10, f"the desk's process lived on {took:.1f} s after ctrl+q"
    assert "hotline: left 1 unfinished: everything saved is kept" in said
    assert child.exitstatus == 0


def test_a_plain_quit_says_nothing_more(tmp_path):
    child = desk(tmp_path)
    time.sleep(1.0)
    took, said = quit_and_time(child)
    assert "hotline:" not in said
    assert child.exitstatus == 0
