"""F9 in the desk: sync with the hub in a worker, say what happened, update the header, refresh the screen."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from textual.widgets import Static

from hotline_tui.app import HotlineApp
from hotline_tui.domain.policy import format_local
from screens.frame import DeskHeader
from screens.ticket import TicketScreen
from tests.deskkit import Clock, china_ms, event_count, make_desk, new_request
from tests.pilotkit import pilot, settle


def recorder(app, monkeypatch) -> list[str]:
    seen: list[str] = []
    real = app.notify
    monkeypatch.setattr(app, "notify", lambda message, *a, **k: (seen.append(str(message)), real(message, *a, **k)))
    return seen


def header_text(app) -> str:
    return str(app.screen.query_one(DeskHeader).render())


@pytest.fixture
def clock():
    return Clock(china_ms(2026, 11, 25, 9, 14))


@pytest.fixture
def hub(tmp_path) -> str:
    shared = tmp_path / "shared"
    shared.mkdir()
    return str(shared / "hub.sqlite")


def other_desk(tmp_path, hub, clock):
    return make_desk(tmp_path, desk="B02", operator="李娜", store_name="other.sqlite", clock=clock, hub=hub)


@pilot
async def test_f9_pulls_another_desks_ticket_into_the_recent_list_and_pushes_ours(tmp_path, hub, clock, monkeypatch):
    other = other_desk(tmp_path, hub, clock)
    theirs = other.register(new_request(description="楼上卫生间漏水到我家"))
    other.sync_now()
    clock.advance(minutes=5)
    ours = make_desk(tmp_path, clock=clock, hub=hub)
    mine = ours.register(new_request())
    app = HotlineApp(ours.settings, desk=ours)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = recorder(app, monkeypatch)
        await settle(app, pilot)
        assert "hub: hub.sqlite" in header_text(app)
        assert "never synced · 1 to push" in header_text(app)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert app.screen.query_one("#recent-list").numbers == [mine]

        await pilot.press("f9")
        await settle(app, pilot)
        assert app.screen.name == "recent"
        assert app.screen.query_one("#recent-list").numbers == [mine, theirs]  # newest first
        assert any("pushed 1" in s and "pulled 1" in s for s in seen), seen
        synced_at = format_local(clock.ms, "%m-%d %H:%M")  # the desk's (test) clock
        assert f"synced {synced_at} · 0 to push" in header_text(app)
    other.sync_now()  # and the other desk now has ours: nothing lost either way
    assert {r["number"] for r in other.list_tickets(limit=10)} == {mine, theirs}


@pilot
async def test_f9_warns_when_another_desk_uses_this_desks_code(tmp_path, hub, clock, monkeypatch):
    ours = make_desk(tmp_path, clock=clock, hub=hub)
    ours.register(new_request())
    clock.advance(minutes=1)
    copy = sqlite3.connect(tmp_path / "twin.sqlite")
    with sqlite3.connect(ours.settings.store_path) as source:
        source.backup(copy)  # the same code and desk id: a store copied to a second machine, by mistake
    copy.close()
    twin = make_desk(tmp_path, clock=clock, hub=hub, store_name="twin.sqlite")
    twin.register(new_request(description="路灯不亮"))
    twin.sync_now()
    app = HotlineApp(ours.settings, desk=ours)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = recorder(app, monkeypatch)
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        assert any("also calls itself A07" in s for s in seen), seen


@pilot
async def test_f9_with_a_code_another_desk_enrolled_says_how_to_fix_it_and_sends_nothing(tmp_path, hub, clock, monkeypatch):
    first = make_desk(tmp_path, clock=clock, hub=hub, store_name="first.sqlite")
    first.sync_now()  # enrolls A07
    ours = make_desk(tmp_path, clock=clock, hub=hub)  # also A07, another store
    ours.register(new_request())
    app = HotlineApp(ours.settings, desk=ours)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = recorder(app, monkeypatch)
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        said = [s for s in seen if "already enrolled" in s]
        assert said and "free, for example: A08" in said[0], seen
        assert "1 to push" in header_text(app)  # nothing was sent
    assert ours.sync_status()["pending_push"] == 1


@pilot
async def test_f9_lists_a_units_new_ticket_in_f3s_open_tickets(tmp_path, hub, clock):
    """F3 → unit → o shows 该单位没有未办结工单; another desk dispatches to that unit; F9 lists it there."""
    from screens.unit_tickets import UnitTicketList, UnitTicketsScreen
    from tests.deskkit import TAIDONG
    from tests.pilotkit import open_lookup, unit_ticket_lines

    other = other_desk(tmp_path, hub, clock)
    ours = make_desk(tmp_path, clock=clock, hub=hub)
    app = HotlineApp(ours.settings, desk=ours)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_lookup(app, pilot)
        await pilot.press(*"tdjd", "tab", "o")
        await settle(app, pilot)
        assert isinstance(app.screen, UnitTicketsScreen)
        assert unit_ticket_lines(app.screen) == ["该单位没有未办结工单。"]
        theirs = other.register(new_request(description="楼道灯不亮"))
        other.act(theirs, "dispatch", {"lead": TAIDONG})
        other.sync_now()
        await pilot.press("f9")
        await settle(app, pilot)
        assert isinstance(app.screen, UnitTicketsScreen)
        shown = unit_ticket_lines(app.screen)
        assert len(shown) == 1 and theirs in shown[0] and "楼道灯不亮" in shown[0]
        assert app.screen.query_one(UnitTicketList).border_title == "1 件"


@pilot
async def test_f9_reloads_the_open_ticket_when_another_desk_acted_on_it(tmp_path, hub, clock):
    ours = make_desk(tmp_path, clock=clock, hub=hub)
    number = ours.register(new_request())
    ours.sync_now()
    other = other_desk(tmp_path, hub, clock)
    other.sync_now()
    clock.advance(minutes=3)
    other.act(number, "note", {"text": "已联系物业上门查看"})
    other.sync_now()
    app = HotlineApp(ours.settings, desk=ours)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+o", *number, "enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TicketScreen) and len(screen.page.timeline) == 1
        await pilot.press("f9")
        await settle(app, pilot)
        assert len(screen.page.timeline) == 2
        assert "已联系物业上门查看" in screen.page.timeline[-1].plain


@pilot
async def test_f9_with_an_unreachable_file_hub_says_so_and_the_next_sync_catches_up(tmp_path, clock, monkeypatch):
    hub = tmp_path / "not-mounted" / "hub.sqlite"
    ours = make_desk(tmp_path, clock=clock, hub=str(hub))
    first = ours.register(new_request())
    app = HotlineApp(ours.settings, desk=ours)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = recorder(app, monkeypatch)
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        assert any("cannot be reached" in s for s in seen), seen
        assert "sync failed" in header_text(app) and "1 to push" in header_text(app)
        # the desk keeps working: a new request is recorded while the hub is away
        second = ours.register(new_request(description="路灯不亮"))
        assert event_count(ours) == 2
        hub.parent.mkdir()  # the shared folder is back
        await pilot.press("f9")
        await settle(app, pilot)
        assert any("pushed 2" in s for s in seen), seen
        assert "0 to push" in header_text(app) and "sync failed" not in header_text(app)
    other = other_desk(tmp_path, str(hub), clock)
    other.sync_now()
    assert {r["number"] for r in other.list_tickets(limit=10)} == {first, second}


@pilot
async def test_f9_with_postgres_on_a_closed_port_never_shows_the_password(tmp_path, clock, monkeypatch):
    pytest.importorskip("psycopg")
    monkeypatch.setenv("HOTLINE_HUB_TIMEOUT", "2")
    url = "postgresql://hotline:Sekr1t-pw@127.0.0.1:1/hotline"  # nothing listens on port 1
    ours = make_desk(tmp_path, clock=clock, hub=url)
    number = ours.register(new_request())
    app = HotlineApp(ours.settings, desk=ours)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = recorder(app, monkeypatch)
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        errors = [s for s in seen if "cannot be reached" in s]
        assert errors and "\n" not in errors[0], seen
        assert all("Sekr1t" not in s for s in seen)
        assert "Sekr1t" not in header_text(app) and "sync failed" in header_text(app)
        assert "hub: 127.0.0.1" in header_text(app)
        # still usable: open the ticket by keys
        await pilot.press("ctrl+o", *number, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TicketScreen) and app.screen.page.number == number
    assert event_count(ours) == 1


@pilot
async def test_f9_without_a_hub_says_sync_is_off(tmp_path, clock, monkeypatch):
    ours = make_desk(tmp_path, clock=clock)
    app = HotlineApp(ours.settings, desk=ours)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = recorder(app, monkeypatch)
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        assert any("sync is off" in s for s in seen), seen
        assert "hub: none" in header_text(app)


@pilot
async def test_a_slow_sync_does_not_hold_up_the_keys(tmp_path, hub, clock, monkeypatch):
    ours = make_desk(tmp_path, clock=clock, hub=hub)
    number = ours.register(new_request())
    release = threading.Event()
    real = ours.sync_now

    def slow_sync(progress=None):
        assert release.wait(10), "the test never released the sync"
        return real(progress=progress)

    monkeypatch.setattr(ours, "sync_now", slow_sync)
    app = HotlineApp(ours.settings, desk=ours)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = recorder(app, monkeypatch)
        await settle(app, pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert "syncing" in header_text(app)
        await pilot.press("f9")  # a second F9 while the first runs starts nothing
        assert any("already running" in s for s in seen)
        await pilot.press("ctrl+o", *number, "enter")  # the desk answers keys meanwhile
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, TicketScreen) and app.screen.page is not None:
                break
        assert app.screen.page.number == number
        assert str(app.screen.query_one("#ticket-header", Static).render())
        release.set()
        await settle(app, pilot)
        assert any("pushed 1" in s for s in seen), seen
        assert "0 to push" in header_text(app)
