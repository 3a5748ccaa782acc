"""Writing and reading the ticket projection: the folded state beside the events it came from."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from hotline_tui.domain.ticket import Ticket

_SPACES = re.compile(r"\s+")
SUMMARY_CHARS = 80

UPSERT_TICKET = text(
    "INSERT OR REPLACE INTO ticket (number, state, desk, registered_ms, caller_phone, channel, nature, category,"
    " place, lead_unit, claim_due_ms, due_ms, closed_ms, flags, summary, last_hlc, data)"
    " VALUES (:number, :state, :desk, :registered_ms, :caller_phone, :channel, :nature, :category, :place,"
    " :lead_unit, :claim_due_ms, :due_ms, :closed_ms, :flags, :summary, :last_hlc, :data)"
)
DELETE_UNITS = text("DELETE FROM ticket_unit WHERE number = :number")
INSERT_UNIT = text("INSERT OR IGNORE INTO ticket_unit (number, unit, role) VALUES (:number, :unit, :role)")


def summary_of(description: str) -> str:
    return _SPACES.sub(" ", description).strip()[:SUMMARY_CHARS]


def ticket_row(t: Ticket) -> dict[str, Any]:
    return {
        "number": t.number,
        "state": t.state,
        "desk": t.desk,
        "registered_ms": t.registered_ms,
        "caller_phone": t.caller_phone,
        "channel": t.channel,
        "nature": t.nature,
        "category": " › ".join(t.category),
        "place": t.place,
        "lead_unit": t.lead_unit,
        "claim_due_ms": t.claim_due_ms,
        "due_ms": t.due_ms,
        "closed_ms": t.closed_ms,
        "flags": " ".join(t.flags),
        "summary": summary_of(t.description),
        "last_hlc": t.last_hlc,
        "data": json.dumps(t.to_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=True),
    }


def unit_rows(t: Ticket) -> list[dict[str, str]]:
    rows = []
    if t.lead_unit:
        rows.append({"number": t.number, "unit": t.lead_unit, "role": "lead"})
    rows += [{"number": t.number, "unit": u, "role": "assist"} for u in t.assist_units if u != t.lead_unit]
    return rows


def write_tickets(conn: Connection, tickets: list[Ticket]) -> None:
    if not tickets:
        return
    conn.execute(UPSERT_TICKET, [ticket_row(t) for t in tickets])
    conn.execute(DELETE_UNITS, [{"number": t.number} for t in tickets])
    links = [row for t in tickets for row in unit_rows(t)]
    if links:
        conn.execute(INSERT_UNIT, links)


def read_ticket(conn: Connection, number: str) -> Ticket | None:
    row = conn.execute(text("SELECT data FROM ticket WHERE number = :n"), {"n": number}).fetchone()
    return Ticket.from_dict(json.loads(row[0])) if row else None
