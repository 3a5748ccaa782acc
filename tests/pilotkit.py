"""Driving the desk with Pilot: async tests run without an async pytest plugin, and waiting for workers."""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from screens.lookup import LookupScreen

S = TypeVar("S")


def pilot(fn):
    """Run an async Pilot test with asyncio.run."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return run


async def workers_done(app) -> None:
    """Wait for every running worker. One cancelled meanwhile has ended too: a form's worker is cancelled
    when the form it finished closes itself (``dismiss`` from the worker removes the screen that owns it)."""
    from textual.worker import WorkerCancelled

    try:
        await app.workers.wait_for_complete()
    except WorkerCancelled:
        await app.workers.wait_for_complete([w for w in app.workers if not w.is_cancelled])


async def settle(app, pilot) -> None:
    """Let the workers the last key started finish and their results paint, including work a widget put
    off until the keys pause (F3's duty card: ``UnitFinder.waiting``)."""
    from screens.lookup import UnitFinder

    for _ in range(2):
        await workers_done(app)
        await pilot.pause()
    for _ in range(40):
        if not any(f.waiting for f in app.screen.query(UnitFinder)):
            break
        await pilot.pause(0.05)
        await workers_done(app)
        await pilot.pause()


async def open_by_key(app, pilot, key: str, kind: type[S]) -> S:
    """Press ``key`` once the desk has settled and the screen it shows has settled; that screen, a ``kind``."""
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)
    assert isinstance(app.screen, kind)
    return app.screen


async def open_lookup(app, pilot) -> LookupScreen:
    """F3 单位: its LookupScreen."""
    from screens.lookup import LookupScreen

    return await open_by_key(app, pilot, "f3", LookupScreen)


def rows(screen) -> list[str]:
    """The rows F3's result list shows, as text."""
    from textual.widgets import OptionList

    results = screen.query_one("#lookup-results", OptionList)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


def card(screen) -> str:
    """F3's duty card, as text."""
    from textual.widgets import Static

    return str(screen.query_one("#lookup-card", Static).render())


def unit_ticket_lines(screen) -> list[str]:
    """The lines F3's open-tickets list of a unit (``o``) shows, as text."""
    from screens.unit_tickets import UnitTicketList

    return screen.query_one(UnitTicketList).shown()
