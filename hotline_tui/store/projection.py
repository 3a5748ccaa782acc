"""Writing and reading the ticket projection: the folded state beside the events it came from."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from hotline_tui.domain.ticket import Ticket
from hotline_tui.jsontext import dumps_sorted

_SPACES = re.compile(r"\s+")
SUMMARY_CHARS = 80

# The columns of a ticket row, in table order: the folded state's key values, ``data`` (all of it as JSON), then
# the copies the supervisors' filters ask for (migration 0005).
TICKET_COLUMNS = ("number", "state", "desk", "registered_ms", "caller_phone", "channel", "nature", "category", "place",
                  "lead_unit", "claim_due_ms", "due_ms", "closed_ms", "flags", "summary", "last_hlc", "data",
                  "urgency", "registered_by", "call_count", "return_count", "urge_count", "reopen_count",
                  "extension_count", "callback", "due_key", "claimed_ms", "replied_ms",
                  "commit_due_ms", "commit_ms", "commit_unit", "commit_by",  # 不解决找我 (migration 0011)
                  "caller_key")
NO_DUE = 1 << 53  # due_key of a ticket without a deadline: after every dated one
# what is written: the folded state's columns and the ticket's own integer key (``tid``, from ``ticket_key``:
# given once, it never changes; the full-text index's rowids carry it)
WRITE_COLUMNS = (*TICKET_COLUMNS, "tid")
UPSERT_TICKET = text(f"INSERT OR REPLACE INTO ticket ({', '.join(WRITE_COLUMNS)})"
                     f" VALUES ({', '.join(':' + c for c in WRITE_COLUMNS)})")
DELETE_UNITS = text("DELETE FROM ticket_unit WHERE number = :number")
INSERT_UNIT = text("INSERT OR IGNORE INTO ticket_unit (number, unit, role) VALUES (:number, :unit, :role)")

# The same statements with positional parameters, run on the sqlite3 connection under SQLAlchemy's (in its
# transaction): bulk writes (sync apply, rebuild) spent more time in SQLAlchemy building parameter dicts
# than in SQLite.
UPSERT_TICKET_RAW = (f"INSERT OR REPLACE INTO ticket ({', '.join(WRITE_COLUMNS)})"
                     f" VALUES ({', '.join('?' * len(WRITE_COLUMNS))})")
DELETE_UNITS_RAW = "DELETE FROM ticket_unit WHERE number = ?"
INSERT_UNIT_RAW = "INSERT OR IGNORE INTO ticket_unit (number, unit, role) VALUES (?, ?, ?)"


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
        "data": ticket_json(t),
        "urgency": t.urgency,
        "registered_by": t.registered_by,
        "call_count": t.call_count,
        "return_count": t.return_count,
        "urge_count": t.urge_count,
        "reopen_count": t.reopen_count,
        "extension_count": t.extension_count,
        "callback": (t.callback or {}).get("satisfaction") or "",
        "due_key": NO_DUE if t.due_ms is None else t.due_ms,
        "claimed_ms": t.claimed_ms,
        "replied_ms": t.replied_ms,
        "commit_due_ms": t.commit_due_ms,
        "commit_ms": t.commit_ms,
        "commit_unit": t.commit_unit,
        "commit_by": t.commit_by or None,
        "caller_key": t.caller_key,
    }


_DEFAULTS = {k: v for k, v in Ticket(number="").__dict__.items() if k != "number"}


def ticket_json(t: Ticket) -> str:
    """The ``data`` column: the ticket's fields that differ from a new Ticket's, as compact JSON with sorted
    keys (``Ticket.from_dict`` gives the others back). Leaving the defaults out took a quarter off the text and,
    with rows packing more to a page, a third off the ticket table (tests/test_sync_apply.py checks that it
    reads back as the same ticket)."""
    defaults = _DEFAULTS
    return dumps_sorted({k: v for k, v in t.__dict__.items() if k not in defaults or defaults[k] != v})


def ticket_values(t: Ticket) -> tuple:
    """``ticket_row(t)`` as a tuple in TICKET_COLUMNS order."""
    return (t.number, t.state, t.desk, t.registered_ms, t.caller_phone, t.channel, t.nature, " › ".join(t.category),
            t.place, t.lead_unit, t.claim_due_ms, t.due_ms, t.closed_ms, " ".join(t.flags), summary_of(t.description),
            t.last_hlc, ticket_json(t), t.urgency, t.registered_by, t.call_count, t.return_count, t.urge_count,
            t.reopen_count, t.extension_count, (t.callback or {}).get("satisfaction") or "",
            NO_DUE if t.due_ms is None else t.due_ms, t.claimed_ms, t.replied_ms,
            t.commit_due_ms, t.commit_ms, t.commit_unit, t.commit_by or None, t.caller_key)


def unit_rows(t: Ticket) -> list[dict[str, str]]:
    rows = []
    if t.lead_unit:
        rows.append({"number": t.number, "unit": t.lead_unit, "role": "lead"})
    rows += [{"number": t.number, "unit": u, "role": "assist"} for u in t.assist_units if u != t.lead_unit]
    return rows


def unit_values(t: Ticket) -> list[tuple[str, str, str]]:
    rows = [(t.number, t.lead_unit, "lead")] if t.lead_unit else []
    rows += [(t.number, u, "assist") for u in t.assist_units if u != t.lead_unit]
    return rows


def write_tickets(conn: Connection, tickets: list[Ticket], held_links: dict[str, list[tuple]] | None = None) -> None:
    """Write the tickets' projection rows and their unit links, in ``conn``'s transaction.

    ``held_links``, when the caller knows it, maps each ticket number to the links the store holds for it
    now (``unit_values`` of its stored state; a number missing from it holds none): links that did not
    change are left alone, and a new ticket's are only inserted. Deleting and re-inserting every ticket's
    links was a third of writing a pulled page's projection."""
    if not tickets:
        return
    raw = conn.connection.driver_connection  # the sqlite3 connection, inside conn's transaction
    keys = ticket_keys(raw, [t.number for t in tickets])
    raw.executemany(UPSERT_TICKET_RAW, [(*ticket_values(t), keys[t.number]) for t in tickets])
    if held_links is None:
        raw.executemany(DELETE_UNITS_RAW, [(t.number,) for t in tickets])
        links = [row for t in tickets for row in unit_values(t)]
    else:
        links, gone = [], []
        for t in tickets:
            now, held = unit_values(t), held_links.get(t.number)
            if held is not None and now == held:
                continue
            if held:
                gone.append((t.number,))
            links += now
        if gone:
            raw.executemany(DELETE_UNITS_RAW, gone)
    if links:
        raw.executemany(INSERT_UNIT_RAW, links)


KEY_BATCH = 500


def ticket_keys(raw, numbers: list[str]) -> dict[str, int]:
    """Each ticket's own integer key (``ticket_key.tid``), given to the numbers that have none yet; on the
    sqlite3 connection ``raw`` (or a cursor), inside its transaction."""
    numbers = list(dict.fromkeys(numbers))
    raw.executemany("INSERT OR IGNORE INTO ticket_key (number) VALUES (?)", [(n,) for n in numbers])
    keys: dict[str, int] = {}
    for i in range(0, len(numbers), KEY_BATCH):
        chunk = numbers[i:i + KEY_BATCH]
        marks = ",".join("?" * len(chunk))
        keys.update(raw.execute(f"SELECT number, tid FROM ticket_key WHERE number IN ({marks})", chunk).fetchall())
    return keys


def read_ticket(conn: Connection, number: str) -> Ticket | None:
    row = conn.execute(text("SELECT data FROM ticket WHERE number = :n"), {"n": number}).fetchone()
    return Ticket.from_dict(json.loads(row[0])) if row else None
