"""Which processes are alive, read from /proc (Linux): for tests that check that nothing outlives its parent."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HAS_PROC = sys.platform.startswith("linux") and Path("/proc/self/stat").exists()


@dataclass(frozen=True)
class Proc:
    pid: int
    state: str
    ppid: int
    pgrp: int
    started: int  # clock ticks after boot: tells a pid from a later process that reuses it

    @property
    def alive(self) -> bool:
        return self.state not in ("Z", "X")  # a zombie holds no memory and runs nothing


def read(pid: int) -> Proc | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = raw[raw.rindex(")") + 2:].split()  # after "pid (comm) "
    return Proc(pid, fields[0], int(fields[1]), int(fields[2]), int(fields[19]))


def every() -> list[Proc]:
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            proc = read(int(name))
            if proc is not None:
                out.append(proc)
    return out


def children(pid: int) -> list[Proc]:
    return [p for p in every() if p.ppid == pid and p.alive]


def still_there(procs: list[Proc], pgrp: int | None = None) -> list[Proc]:
    """Those of ``procs`` (the same processes, not reused pids) still alive, and any live member of ``pgrp``."""
    left = [now for p in procs if (now := read(p.pid)) is not None and now.started == p.started and now.alive]
    if pgrp is not None:
        left += [p for p in every() if p.pgrp == pgrp and p.alive and p.pid not in {q.pid for q in left}]
    return left


def wait_gone(procs: list[Proc], pgrp: int | None = None, timeout: float = 5.0) -> list[Proc]:
    """Wait until none of them is alive; returns those still alive after ``timeout``."""
    deadline = time.monotonic() + timeout
    while (left := still_there(procs, pgrp)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left
