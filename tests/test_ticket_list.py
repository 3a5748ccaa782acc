"""The one ticket list: keyset pages asked for ahead of the cursor in both directions, a window that lets the
far side go, Home and End that fetch the list's ends, a failure that leaves the list as it was, a reload
whose late pages are dropped, forward-only sources, marks, and each area's own keymap ids."""

from __future__ import annotations

import asyncio

import pytest
from rich.text import Text
from textual.app import App

from screens import ticket_list
from screens.recent import RecentList
from screens.supervise import SuperviseList
from screens.ticket_list import TicketList, list_bindings
from screens.unit_tickets import UnitTicketList
from tests.pilotkit import workers_done

N = 1000
ROWS = [{"number": f"T-{i:04d}", "key": (i // 3, f"T-{i:04d}")} for i in range(N)]  # equal sort values in threes


class FakeDesk:
    """A keyset source over ROWS (ascending keys), as the Desk's query pages are."""

    def __init__(self, rows=ROWS) -> None:
        self.rows = rows
        self.asked: list[tuple] = []
        self.broken = False

    def page(self, way: str, key, limit: int) -> list[dict]:
        self.asked.append((way, key))
        if self.broken:
            raise RuntimeError("store unavailable")
        if way == "first":
            return self.rows[:limit]
        if way == "last":
            return self.rows[-limit:]
        if way == "after":
            return [r for r in self.rows if r["key"] > key][:limit]
        return [r for r in self.rows if r["key"] < key][-limit:]


def fetch(desk, way, key, limit):
    return desk.page(way, key, limit)


def draw(row: dict, width: int) -> Text:
    return Text(row["number"])


class SomeList(TicketList):
    BINDINGS = list_bindings("some")


class Host(App):
    def __init__(self, desk, **kw) -> None:
        super().__init__()
        self.desk = desk
        self.kw = kw
        self.heard: list[str] = []

    def compose(self):
        yield SomeList(fetch, draw, limit=20, marks=True, **self.kw)

    def on_ticket_list_failed(self, event: TicketList.Failed) -> None:
        self.heard.append(f"failed {event.error}")


async def settled(app, pilot) -> None:
    for _ in range(3):
        await workers_done(app)
        await pilot.pause()


def hosted(body, desk=None, **kw):
    async def run():
        d = desk or FakeDesk()
        app = Host(d, **kw)
        async with app.run_test(size=(60, 12)) as pilot:
            await settled(app, pilot)
            tickets = app.query_one(TicketList)
            tickets.focus()
            await body(app, pilot, tickets, d)

    asyncio.run(run())


def test_pages_come_ahead_of_the_cursor_and_every_row_once_in_order():
    async def body(app, pilot, tickets, desk):
        assert tickets.numbers[:3] == ["T-0000", "T-0001", "T-0002"] and tickets.at_start
        seen = [tickets.number]
        for _ in range(N - 1):  # walk the whole list a line at a time, as a person holding ↓ does
            await pilot.press("down")
            if tickets.number == seen[-1]:
                await settled(app, pilot)
                await pilot.press("down")
            seen.append(tickets.number)
        await settled(app, pilot)
        assert seen == [r["number"] for r in ROWS]  # across equal sort values: none skipped, none twice
        assert len(tickets.rows) <= ticket_list.KEEP  # the far side was let go
        assert tickets.at_end and not tickets.at_start
        assert all(way in ("first", "after") for way, _ in desk.asked)

    hosted(body)


def test_end_fetches_the_last_page_and_paging_up_reads_backwards():
    async def body(app, pilot, tickets, desk):
        await pilot.press("end")
        await settled(app, pilot)
        assert tickets.number == "T-0999" and tickets.at_end and ("last", None) in desk.asked
        await pilot.press("pageup", "pageup")
        await settled(app, pilot)
        assert desk.asked[-1][0] == "before"
        numbers = tickets.numbers
        assert numbers == sorted(numbers) and numbers[-1] == "T-0999" and len(set(numbers)) == len(numbers)
        await pilot.press("home")
        await settled(app, pilot)
        assert tickets.number == "T-0000" and tickets.list_position == 0 and ("first", None) in desk.asked[-3:]

    hosted(body)


def test_a_failure_keeps_the_list_and_the_next_move_asks_again():
    async def body(app, pilot, tickets, desk):
        desk.broken = True
        held = len(tickets.rows)
        await pilot.press("pagedown", "pagedown")
        await settled(app, pilot)
        assert app.heard and app.heard[-1] == "failed store unavailable" and len(tickets.rows) == held
        assert tickets.numbers == [r["number"] for r in ROWS[:held]]
        desk.broken = False
        await pilot.press("down")
        await settled(app, pilot)
        assert len(tickets.rows) > held and tickets.numbers == [r["number"] for r in ROWS[:len(tickets.rows)]]

    hosted(body)


def test_a_page_asked_for_before_a_reload_is_dropped_when_it_lands():
    import threading

    async def body(app, pilot, tickets, desk):
        gate, started = threading.Event(), threading.Event()
        real = desk.page

        def slow(way, key, limit):
            if way == "after":  # the old list's next page: held until the reload has happened
                started.set()
                gate.wait(5)
            return real(way, key, limit)

        desk.page = slow
        await pilot.press("pagedown", "pagedown", "pagedown")
        for _ in range(100):
            if started.is_set():
                break
            await asyncio.sleep(0.01)
        assert started.is_set()
        desk.rows = ROWS[500:]  # the list changed (a sync): listed again from its first page
        tickets.reload()
        await settled(app, pilot)
        gate.set()
        await settled(app, pilot)
        assert tickets.numbers[0] == "T-0500" and tickets.numbers == sorted(set(tickets.numbers))

    hosted(body)


def test_a_forward_only_source_moves_end_as_far_as_it_has_read():
    async def body(app, pilot, tickets, desk):
        await pilot.press("end")
        await settled(app, pilot)
        assert ("last", None) not in desk.asked  # it cannot: End goes to the last row read (more follow it)
        assert int(tickets.number[2:]) >= 39 and tickets.numbers[0] == "T-0000"

    hosted(body, backwards=False)


def test_marks_are_kept_per_ticket_and_an_empty_list_says_so():
    async def body(app, pilot, tickets, desk):
        tickets.toggle_mark()
        await pilot.press("down")
        tickets.toggle_mark()
        assert tickets.marked == {"T-0000", "T-0001"}
        tickets.toggle_mark()
        assert tickets.marked == {"T-0000"}
        desk.rows = []
        tickets.reload()
        await settled(app, pilot)
        assert tickets.shown() == ["没有工单。"] and tickets.number is None

    hosted(body)


@pytest.mark.parametrize("cls, area", [(RecentList, "recent"), (UnitTicketList, "unit_tickets"), (SuperviseList, "supervise")])
def test_each_area_keeps_its_own_keymap_ids(cls, area):
    ids = {b.id for b in cls.BINDINGS}
    assert ids == {f"{area}.{k}" for k in ("down", "up", "pagedown", "pageup", "home", "end")}
    assert all(b.description for b in cls.BINDINGS)
