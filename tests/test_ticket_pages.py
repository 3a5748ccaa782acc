"""The shared paged ticket list: keyset pages asked for as the cursor nears the end, a failure that leaves the
list as it was, listing again from the first page, and each area's own keymap ids."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.app import App

from screens.recent import RecentList
from screens.ticket_pages import TicketPages, page_bindings
from screens.unit_tickets import UnitTicketList
from tests.pilotkit import workers_done

ROWS = [{"number": f"T-{i}", "registered_ms": 1000 - i, "lead_unit": "U1"} for i in range(7)]  # newest first


class FakeDesk:
    def __init__(self) -> None:
        self.asked: list = []
        self.names: list = []
        self.broken = False

    def unit_name(self, code: str) -> str:
        self.names.append(code)
        return "台东街道"

    def page(self, before, limit: int) -> list[dict]:
        self.asked.append(before)
        if self.broken:
            raise RuntimeError("store unavailable")
        rows = [r for r in ROWS if before is None or (r["registered_ms"], r["number"]) < before]
        return rows[:limit]


def load(desk, before, limit):
    return desk.page(before, limit)


def row_text(row: dict, unit_name) -> Text:
    return Text(f"{row['number']} {unit_name(row['lead_unit'])}")


class SomeList(TicketPages):
    BINDINGS = page_bindings("some")


class Host(App):
    def __init__(self, desk) -> None:
        super().__init__()
        self.desk = desk
        self.heard: list[str] = []

    def compose(self):
        yield SomeList(load, row_text, limit=3, id="pages")

    def on_ticket_pages_loaded(self, event: TicketPages.Loaded) -> None:
        self.heard.append(f"loaded {len(event.pages.numbers)}")

    def on_ticket_pages_failed(self, event: TicketPages.Failed) -> None:
        self.heard.append(f"failed {event.error}")


async def settled(app, pilot) -> None:
    for _ in range(2):
        await workers_done(app)  # a reload cancels the page worker in flight
        await pilot.pause()


def hosted(body):
    """Run ``body(app, pilot, pages, desk)`` once the first page has arrived in a focused list."""

    async def run():
        desk = FakeDesk()
        app = Host(desk)
        async with app.run_test(size=(60, 20)) as pilot:
            await settled(app, pilot)
            pages = app.query_one(TicketPages)
            pages.focus()
            await body(app, pilot, pages, desk)

    asyncio.run(run())


def test_pages_arrive_as_the_cursor_nears_the_end_each_after_the_last_key():
    async def body(app, pilot, pages, desk):
        assert pages.numbers == ["T-0", "T-1", "T-2"] and pages.border_title == "3 件+"
        assert str(pages._lines[0]) == "T-0 台东街道" and desk.names == ["U1"]  # one look-up a page
        await pilot.press("down")
        await settled(app, pilot)
        await pilot.press("j")
        await settled(app, pilot)
        assert pages.numbers == [r["number"] for r in ROWS] and pages.border_title == "7 件"
        assert desk.asked == [None, (998, "T-2"), (995, "T-5")]
        assert pages.done and pages.number == "T-2"
        await pilot.press("pagedown")
        assert pages.number == "T-6" and len(desk.asked) == 3  # no more pages asked for
        await pilot.press("home")
        assert pages.number == "T-0"
        assert app.heard == ["loaded 3", "loaded 6", "loaded 7"]

    hosted(body)


def test_a_failure_keeps_the_list_and_reload_lists_from_the_first_page():
    async def body(app, pilot, pages, desk):
        desk.broken = True
        await pilot.press("down")
        await settled(app, pilot)
        assert app.heard[-1] == "failed store unavailable" and pages.numbers == ["T-0", "T-1", "T-2"]
        desk.broken = False
        await pilot.press("down")  # not done: moving asks again
        await settled(app, pilot)
        assert len(pages.numbers) == 6 and desk.asked[-1] == (998, "T-2")
        pages.reload()
        await settled(app, pilot)
        assert pages.numbers == ["T-0", "T-1", "T-2"] and pages.cursor == 0 and desk.asked[-1] is None
        pages.end(Text("nothing more"))
        assert pages.done and [str(t) for t in pages._lines] == ["nothing more"]

    hosted(body)


def test_a_page_asked_for_before_a_reload_is_dropped_when_it_lands():
    """reload() while the first list's page is still being read: that page lands after the reset and must
    not be shown in front of (or twice beside) the new list's first page."""
    import threading

    async def body(app, pilot, pages, desk):
        gate, started = threading.Event(), threading.Event()
        real = desk.page

        def slow_page(before, limit):
            if before is not None:  # the old list's second page: held until the reload has happened
                started.set()
                gate.wait(5)
            return real(before, limit)

        desk.page = slow_page
        await pilot.press("down")  # near the end: the second page is asked for
        for _ in range(100):
            if started.is_set():
                break
            await asyncio.sleep(0.01)
        assert started.is_set()
        pages.reload()
        await settled(app, pilot)  # the new first page (not held) lands
        gate.set()
        await settled(app, pilot)
        await asyncio.sleep(0.05)
        await settled(app, pilot)
        assert pages.numbers == ["T-0", "T-1", "T-2"], pages.numbers
        assert [str(t) for t in pages._lines] == ["T-0 台东街道", "T-1 台东街道", "T-2 台东街道"]
        assert pages.border_title == "3 件+" and not pages._loading

    hosted(body)


def test_each_area_keeps_its_own_keymap_ids():
    for cls, area in ((RecentList, "recent"), (UnitTicketList, "unit_tickets")):
        ids = {b.id for b in cls.BINDINGS}
        assert ids == {f"{area}.{k}" for k in ("down", "up", "pagedown", "pageup", "home")}
        assert all(b.description for b in cls.BINDINGS)
