"""Child processes that never outlive the process that started them, whatever kills it.

A forked worker blocked on a pipe never sees end-of-file when its parent dies: it holds the pipe's write
end itself. So a worker ties itself to its parent when it starts (``tie_to_parent``, a pool initializer):

- on Linux the kernel sends it SIGKILL the moment the parent dies (``prctl(PR_SET_PDEATHSIG)``), even when
  the parent was killed with SIGKILL. The signal follows the death of the parent *thread* that forked the
  worker, so a pool must be started and used by one thread that outlives it (``load_demo`` does both).
- everywhere (macOS and the BSDs have no prctl), a daemon thread notices that the parent is gone: kqueue's
  NOTE_EXIT where there is kqueue, else by polling ``os.getppid()``; the worker then ends at once.
- a parent that died before the worker got this far is noticed right away (the worker has been adopted).
- the worker ignores SIGINT: a Ctrl-C reaches the whole process group, and the parent, which gets it too,
  ends its workers itself (``end_pool``) instead of each printing a traceback.

The desk's own threads (Textual thread workers) cannot be killed, but must not keep the process alive
after the desk has closed, as a sync waiting on a slow hub would: ``join_threads`` gives them a grace
period, after which the desk leaves them (``run_desk``).

Stdlib only.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_SECONDS = 0.5


def tie_to_parent(parent_pid: int, *, use_prctl: bool = True, poll: float = POLL_SECONDS) -> None:
    """In a child process: end this process as soon as ``parent_pid`` is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if use_prctl:
        arm_parent_death_signal()
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid, poll), name="hotline-lifeline", daemon=True).start()


def arm_parent_death_signal(sig: int = signal.SIGKILL) -> bool:
    """Linux: have the kernel send ``sig`` to this process when its parent dies. False where there is no prctl."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError, ImportError):
        return False
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0


def _watch(parent_pid: int, poll: float) -> None:
    if not _wait_by_kqueue(parent_pid):
        while os.getppid() == parent_pid:
            threading.Event().wait(poll)
    os._exit(1)


def _wait_by_kqueue(pid: int) -> bool:
    """Block until ``pid`` exits (macOS, BSD); False where kqueue cannot watch it, so the caller polls."""
    import select

    if not hasattr(select, "kqueue"):
        return False
    try:
        kq = select.kqueue()
        watch = select.kevent(pid, filter=select.KQ_FILTER_PROC, flags=select.KQ_EV_ADD | select.KQ_EV_ONESHOT,
                              fflags=select.KQ_NOTE_EXIT)
        kq.control([watch], 1, None)
    except ProcessLookupError:  # already gone
        return True
    except OSError:
        return False
    return True


def end_pool(pool) -> None:
    """Stop a ``ProcessPoolExecutor`` now, not after its queued work: cancel what waits, end the workers."""
    if hasattr(pool, "terminate_workers"):  # Python 3.14
        pool.terminate_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public handle before Python 3.14
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(2)
        if process.is_alive():
            process.kill()
            process.join(1)
    pool.shutdown(wait=False, cancel_futures=True)


def join_threads(prefix: str, grace: float, say: Callable[[str], None]) -> list[threading.Thread]:
    """Wait up to ``grace`` seconds for the threads named ``prefix…``; returns those still running then.
    ``say`` is told once when the wait is noticeable (half a second)."""
    deadline = time.monotonic() + grace
    noticeable = time.monotonic() + 0.5
    threads = [t for t in threading.enumerate() if t.name.startswith(prefix) and t is not threading.current_thread()]
    told = False
    for thread in threads:
        while thread.is_alive() and (left := deadline - time.monotonic()) > 0:
            thread.join(min(left, 0.1))
            if thread.is_alive() and not told and time.monotonic() >= noticeable:
                running = sum(t.is_alive() for t in threads)
                say(f"waiting up to {grace:g} s for {running} background task{'s' if running > 1 else ''} to finish…")
                told = True
    return [t for t in threads if t.is_alive()]
