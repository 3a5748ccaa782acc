"""Hybrid logical clock and UUIDv7 ids for events.

An HLC timestamp is one integer: ``physical_ms << 16 | counter``. It never runs backwards on a desk,
stays close to wall time, and orders causally related events across desks (a desk that receives an
event moves its clock past it). Events are ordered everywhere by ``(hlc, id)``.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

COUNTER_BITS = 16
COUNTER_MASK = (1 << COUNTER_BITS) - 1


def hlc_ms(hlc: int) -> int:
    """Wall-clock milliseconds since the epoch (UTC) carried by an HLC timestamp."""
    return hlc >> COUNTER_BITS


def make_hlc(ms: int, counter: int = 0) -> int:
    return (ms << COUNTER_BITS) | counter


class HybridClock:
    """Thread-safe HLC. ``now()`` for a local event, ``observe()`` for one received from elsewhere."""

    def __init__(self, last: int = 0, wall=None) -> None:
        self._last = last
        self._wall = wall or (lambda: time.time_ns() // 1_000_000)
        self._lock = threading.Lock()

    @property
    def last(self) -> int:
        return self._last

    def now(self) -> int:
        with self._lock:
            physical = make_hlc(self._wall())
            self._last = physical if physical > self._last else self._last + 1
            return self._last

    def observe(self, remote: int) -> None:
        with self._lock:
            if remote > self._last:
                self._last = remote


def uuid7(ms: int | None = None) -> str:
    """A UUIDv7 (RFC 9562): 48-bit Unix ms, version 7, 74 random bits. Sorts by time."""
    if ms is None:
        ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 68) & 0xFFF) << 64
    value |= 0x2 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))
