"""Events that belong to no ticket (store/streams.py): recorded in the log, projected by their family in the same
transaction, synced to other desks and projected there, projected again by a rebuild, and never taken for a
ticket (no ticket row, no search document, not listed, not shown as a ticket)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from hotline_tui.errors import NotFound
from hotline_tui.store import streams
from tests.deskkit import Clock, china_ms, make_desk, new_request

SEEN: list[tuple[str, str, str]] = []


def project_notes(conn, events) -> None:
    conn.execute(text("CREATE TABLE IF NOT EXISTS test_stream_note (stream TEXT, kind TEXT, body TEXT)"))
    for e in events:
        SEEN.append((e.ticket, e.kind, e.payload.get("body", "")))
        conn.execute(text("INSERT INTO test_stream_note VALUES (:s, :k, :b)"),
                     {"s": e.ticket, "k": e.kind, "b": e.payload.get("body", "")})


def clear_notes(conn) -> None:
    conn.execute(text("DROP TABLE IF EXISTS test_stream_note"))


@pytest.fixture(autouse=True)
def family():
    streams.register("testnote", project_notes, clear_notes)
    SEEN.clear()
    yield
    streams.FAMILIES.pop("testnote", None)


def notes(desk) -> list[tuple]:
    with desk.store.read() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT stream, kind, body FROM test_stream_note ORDER BY rowid"))]


def test_a_stream_event_is_projected_by_its_family_and_never_taken_for_a_ticket(tmp_path):
    desk = make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 2, 9, 0)))
    number = desk.register(new_request())
    stream = streams.key("testnote", "2026-11")
    with desk.store.write() as w:
        e = w.record_stream(stream, "note_written", {"body": "漏水 停电"}, desk="A07", actor="赵强")
    assert e.ticket == "~testnote/2026-11" and notes(desk) == [(stream, "note_written", "漏水 停电")]
    with desk.store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM ticket")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM ticket_key WHERE number LIKE '~%'")).scalar() == 0
    assert desk.query_count("text:停电") == 0 and desk.query_count("") == 1
    assert [r["number"] for r in desk.list_tickets()] == [number]
    with pytest.raises(NotFound):
        desk.show(stream)
    with pytest.raises(ValueError):
        with desk.store.write() as w:
            w.record_stream(number, "note_written", {}, desk="A07", actor="赵强")


def test_a_rebuild_projects_the_streams_again(tmp_path):
    desk = make_desk(tmp_path, clock=Clock(china_ms(2026, 11, 2, 9, 0)))
    desk.register(new_request())
    with desk.store.write() as w:
        for i in range(3):
            w.record_stream(streams.key("testnote", f"n{i}"), "note_written", {"body": f"第{i}条"}, desk="A07", actor="赵强")
    before = notes(desk)
    assert desk.rebuild() == {"tickets": 1, "events": 4}
    assert notes(desk) == before


def test_stream_events_sync_to_another_desk_and_are_projected_there(tmp_path):
    hub = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    clock = Clock(china_ms(2026, 11, 2, 9, 0))
    a = make_desk(tmp_path, desk="A07", clock=clock, hub=hub, store_name="a.sqlite")
    b = make_desk(tmp_path, desk="B02", clock=clock, hub=hub, store_name="b.sqlite")
    with a.store.write() as w:
        w.record_stream(streams.key("testnote", "x"), "note_written", {"body": "从A来"}, desk="A07", actor="赵强")
    a.sync_now()
    SEEN.clear()
    b.sync_now()
    assert SEEN == [("~testnote/x", "note_written", "从A来")]
    assert notes(b) == [("~testnote/x", "note_written", "从A来")]
