"""Driving the desk with Pilot: async tests run without an async pytest plugin, and waiting for workers."""

from __future__ import annotations

import asyncio
import functools


def pilot(fn):
    """Run an async Pilot test with asyncio.run."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return run


async def settle(app, pilot) -> None:
    """Let the workers the last key started finish and their results paint, including work a widget put
    off until the keys pause (F3's duty card: ``UnitFinder.waiting``)."""
    from screens.lookup import UnitFinder

    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()
    for _ in range(40):
        if not any(f.waiting for f in app.screen.query(UnitFinder)):
            break
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
