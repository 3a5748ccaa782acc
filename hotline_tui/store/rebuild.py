"""Rebuild every ticket's projection and the full-text index from the event log: the log is the truth, the
projection and the index are caches of it."""

from __future__ import annotations

from sqlalchemy import text

from hotline_tui.domain.fold import apply
from hotline_tui.domain.ticket import Ticket
from hotline_tui.store import projection, search_index, streams
from hotline_tui.store.event_store import EVENT_COLUMNS, row_event

BATCH = 20_000


def rebuild(store) -> dict[str, int]:
    """Refold every ticket in one transaction; returns counts. Ordered by (ticket, hlc, id) via the index."""
    tickets = events = 0
    with store.write() as w:
        conn = w.conn
        conn.execute(text("DELETE FROM ticket_unit"))
        conn.execute(text("DELETE FROM ticket"))
        raw = conn.connection.driver_connection
        search_index.clear(raw)
        streams.clear_all(conn)
        docs: list[tuple[str, str]] = []
        pending: list[Ticket] = []
        current: Ticket | None = None
        others: list = []
        rows = conn.execute(text(f"SELECT {EVENT_COLUMNS} FROM event ORDER BY ticket, hlc, id"))
        for row in rows:
            e = row_event(row)
            events += 1
            if not streams.is_ticket(e.ticket):
                others.append(e)
                continue
            if current is None or current.number != e.ticket:
                if current is not None:
                    pending.append(current)
                current = Ticket(number=e.ticket)
                tickets += 1
            apply(current, e)
            docs += search_index.documents([e])
            if len(pending) >= BATCH:
                projection.write_tickets(conn, pending, {})  # every link was deleted above
                pending = []
            if len(docs) >= BATCH:
                search_index.add(raw, docs)
                docs = []
        if current is not None:
            pending.append(current)
        projection.write_tickets(conn, pending, {})  # every link was deleted above
        search_index.add(raw, docs)
        search_index.optimize(raw)
        streams.project(conn, others)
    return {"tickets": tickets, "events": events}
