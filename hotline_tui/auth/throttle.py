"""The wait after repeated failed sign-ins: pure, so the rule is tested with an injected clock, never by sleeping.

Rule: ``FREE_FAILURES`` failed sign-ins for a name within ``WINDOW_MS`` (counted since that name's last
successful sign-in) cost nothing; from then on each failure makes the next attempt wait, 30 s after the third,
doubling with each further one, at most 15 minutes. While the wait lasts an attempt is refused without the
password being checked (and does not lengthen the wait).
"""

from __future__ import annotations

FREE_FAILURES = 3
WINDOW_MS = 15 * 60_000
FIRST_WAIT_S = 30
MAX_WAIT_S = 15 * 60


def wait_after(failures: int) -> int:
    """Seconds to wait after ``failures`` failures in the window."""
    if failures < FREE_FAILURES:
        return 0
    return min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** (failures - FREE_FAILURES))


def seconds_left(failure_ms: list[int], last_success_ms: int | None, now_ms: int) -> int:
    """How long a sign-in for this name must still wait (0: go ahead), from the times of its failures."""
    since = now_ms - WINDOW_MS
    if last_success_ms is not None:
        since = max(since, last_success_ms)
    recent = sorted(t for t in failure_ms if t > since)
    if len(recent) < FREE_FAILURES:
        return 0
    until = recent[-1] + wait_after(len(recent)) * 1000
    return max(0, -(-(until - now_ms) // 1000))


def message(name: str, wait_s: int, failures: int) -> str:
    return (f"too many failed sign-ins for {name}: wait {wait_s} s before trying again"
            f" ({failures} failures in {WINDOW_MS // 60_000} minutes; after {FREE_FAILURES} each failure doubles the wait,"
            f" at most {MAX_WAIT_S // 60} minutes)")
