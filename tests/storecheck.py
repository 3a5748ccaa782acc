"""Whole tickets only: every ticket's stored row equals the fold of its events (read with plain sqlite3)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from hotline_tui.domain.events import Event, load_payload
from hotline_tui.domain.fold import fold
from hotline_tui.store.projection import TICKET_COLUMNS, ticket_row


def events_by_ticket(path) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = defaultdict(list)
    with sqlite3.connect(path) as con:
        for r in con.execute("SELECT id, ticket, hlc, desk, actor, kind, payload FROM event"):
            out[r[1]].append(Event(r[0], r[1], r[2], r[3], r[4], r[5], load_payload(r[6])))
    return out


def projection_mismatches(path) -> list[str]:
    """Numbers of the tickets whose row differs from the fold of their events, or that lack one of the two."""
    by_ticket = events_by_ticket(path)
    with sqlite3.connect(path) as con:
        stored = {r[0]: dict(zip(TICKET_COLUMNS, r)) for r in con.execute(f"SELECT {', '.join(TICKET_COLUMNS)} FROM ticket")}
    wrong = sorted(set(stored) ^ set(by_ticket))
    wrong += sorted(n for n, events in by_ticket.items() if n in stored and stored[n] != ticket_row(fold(n, events)))
    return wrong
