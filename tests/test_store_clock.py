"""The store's clock is started when first needed, not on opening (finding the latest event walks every ticket's
last event: seconds on millions of tickets, which a desk that only reads or a query need not wait for); once
started it is past every event the store holds, even one stamped by a desk whose clock ran ahead."""

from __future__ import annotations

from hotline_tui.domain.clock import make_hlc
from hotline_tui.store.event_store import open_store


def test_the_clock_starts_on_the_first_write_past_every_event(tmp_path, monkeypatch):
    from hotline_tui.store import event_store

    monkeypatch.setattr(event_store, "EAGER_CLOCK_BYTES", 0)  # as on a large store
    path = tmp_path / "s.sqlite"
    wall = [1_790_000_000_000]
    store = open_store(path, wall=lambda: wall[0])
    ahead = make_hlc(wall[0] + 3_600_000, 5)  # an event from a desk an hour ahead
    with store.write() as w:
        w.record_stream("~test/a", "note", {"text": "x"}, desk="B01", actor="x")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE event SET hlc = ?", (ahead,))
    store.close()

    again = open_store(path, wall=lambda: wall[0])
    assert again._clock is None  # opening read nothing of the log
    with again.read() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM event").fetchall()
    assert again._clock is None  # nor did a read
    with again.write() as w:
        event = w.record_stream("~test/b", "note", {"text": "y"}, desk="A01", actor="y")
    assert event.hlc > ahead
    again.warm_clock()
    assert again.clock.last >= event.hlc
    again.close()


def test_a_small_store_starts_its_clock_on_opening(tmp_path):
    """Cheap there, and it reads the event index once: a damaged one is found on opening (test_cli_bad_input)."""
    store = open_store(tmp_path / "small.sqlite")
    assert store._clock is not None
    store.close()
