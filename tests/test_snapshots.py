"""What each screen looks like at 80×24 and at 120×40: SVG snapshots (pytest-textual-snapshot).

Deterministic: a fixed clock and a small fixed store, the user's folders isolated (conftest.py), cursors
not blinking, no animation (a scroll lands at once), every worker and every pause in the typing finished
before the picture is taken. ``SCREENS`` is the table of screens: a
new area adds one row (``Shot("supervise", go("f5"))``). After a deliberate change of look, review the
pictures and accept them with ``pytest tests/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from textual.widgets import Input, TextArea

from tests.pilotkit import settle
from tests.screenkit import desk_app, store  # noqa: F401  (store: a fixture)

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@dataclass(frozen=True)
class Shot:
    name: str
    steps: Callable[[object], Awaitable[None]]  # (pilot) -> None: brings the desk to what is pictured


def go(*keys: str) -> Callable:
    """Press ``keys``, then let every worker finish and every pause in the typing pass."""

    async def steps(pilot) -> None:
        await pilot.press(*keys)
        for _ in range(100):  # a loaded machine runs timers late: wait for F2's suggestions to be asked for
            if not getattr(pilot.app.screen, "waiting", False):
                break
            await pilot.pause(0.05)
        await settle(pilot.app, pilot)

    return steps


def then(*parts: Callable) -> Callable:
    async def steps(pilot) -> None:
        for part in parts:
            await part(pilot)

    return steps


def typed(text: str) -> tuple[str, ...]:
    return tuple(text)


OPEN_TICKET = go("f4", "slash", "down", "down", "enter")  # the oldest of the recent list: claimed, overdue
A_CALL = then(go("f2", *typed("13805321234"), "enter", "enter", "1", *typed("zdjy")), go("enter", *typed("td")),
              go("enter", "enter", *typed("烧烤摊占道")), go("tab"), go("tab"), go("tab"))

SCREENS = [
    Shot("intake", go("f2")),
    Shot("intake-call", A_CALL),  # a call typed in, focus on the handling mode
    Shot("lookup", go("f3", *typed("tdjd"))),
    Shot("unit-tickets", go("f3", *typed("sbqcgj"), "tab", "o")),
    Shot("ticket", OPEN_TICKET),
    Shot("ticket-form", go("f4", "slash", "enter", "t")),  # 转办 of the newest, just registered
    Shot("recent", go("f4", "slash")),
    Shot("unit-picker", go("f2", "tab", "ctrl+u", *typed("taidong"))),
    Shot("help", then(OPEN_TICKET, go("f1"))),
    Shot("shadow-not-cadre", go("f7")),  # the operator's desk: F7 is the visiting cadre's
    Shot("reports", go("f6")),  # this month (the store's only one), computed now: not published
    Shot("reports-units", go("f6", "2")),
    Shot("supervise", go("f5")),
    Shot("supervise-fault", go("f5", "slash", "ctrl+u", *typed("overdue untt:市北区"))),
]


def still_cursors(app) -> None:
    for screen in app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            if isinstance(widget, (Input, TextArea)):
                widget.cursor_blink = False


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("shot", SCREENS, ids=[s.name for s in SCREENS])
def test_screen_looks_as_accepted(shot, size, store, tmp_path, snap_compare):  # noqa: F811
    app = desk_app(store, tmp_path)

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        await shot.steps(pilot)
        still_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
