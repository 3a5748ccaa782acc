"""The store's full-text index of what people wrote on tickets (descriptions, addresses, replies, progress,
notes, reasons): one document per event that has text, in the contentless bigram table ``event_text``
(``search_text``), written in the same transaction as the event, by every path that adds events.

A document's rowid is ``tid << 16 | n``: the ticket's own integer key (``ticket_key``, given once, never
changed, and copied into the ticket's row) and the n-th text of that ticket. A match then names its ticket by
a shift, with no join through the event log or the keys: the list's indexes hold ``tid``.
"""

from __future__ import annotations

from collections.abc import Iterable

from hotline_tui.query.literals import TEXT_FLOOR
from hotline_tui.store import search_text
from hotline_tui.store.projection import ticket_keys

TABLE = "event_text"
SHIFT = 16  # up to 65,535 texts a ticket (more are left out of the index, never misfiled)
TEXT_KEYS = ("description", "address", "text", "answer", "handling", "detail", "reason", "note")
BATCH = 500


def event_text(payload: dict) -> str:
    """The words an event carries that a person wrote (its payload's text fields, joined)."""
    get = payload.get
    found = [v for v in map(get, TEXT_KEYS) if v and isinstance(v, str)]
    return found[0] if len(found) == 1 else " ".join(found)


def documents(events: Iterable) -> list[tuple[str, str]]:
    """(ticket number, indexed tokens) of every event (domain Event) that has text."""
    out = []
    for e in events:
        text = event_text(e.payload)
        if text:
            body = search_text.index_text(text)
            if body:
                out.append((e.ticket, body))
    return out


def add(raw, docs: list[tuple[str, str]]) -> None:
    """Index ``docs`` (ticket number, tokens) on the sqlite3 connection ``raw``, inside its transaction."""
    if not docs:
        return
    numbers = list(dict.fromkeys(n for n, _ in docs))
    ticket_keys(raw, numbers)  # the projection gave them (a ticket is written before its texts): a no-op then
    keys: dict[str, list[int]] = {}
    for i in range(0, len(numbers), BATCH):
        chunk = numbers[i:i + BATCH]
        marks = ",".join("?" * len(chunk))
        for tid, number, texts in raw.execute(f"SELECT tid, number, texts FROM ticket_key WHERE number IN ({marks})", chunk):
            keys[number] = [tid, texts]
    rows = []
    for number, body in docs:
        key = keys[number]
        if key[1] + 1 >= 1 << SHIFT:
            continue
        key[1] += 1
        rows.append(((key[0] << SHIFT) | key[1], body))
    raw.executemany(search_text.insert_sql(TABLE), rows)
    raw.executemany("UPDATE ticket_key SET texts = ? WHERE tid = ?", [(texts, tid) for tid, texts in keys.values()])


def condition(param: str) -> str:
    """SQL over the ticket alias ``t``: the ticket has a text matching the MATCH expression bound to ``param``
    (given as ``{param}``, it stays a placeholder for str.format). ``t.tid`` is in the indexes a list is walked
    by, so a walk tests it without reading a row."""
    return f"t.tid IN (SELECT rowid >> {SHIFT} FROM {TABLE} WHERE {TABLE} MATCH :{param}{TEXT_FLOOR})"


def rowid_floor(conn, since_ms: int) -> int | None:
    """A rowid below those of every text of every ticket registered at ``since_ms`` or later: the least key of
    those tickets, shifted. Keys are given in the order tickets are first written and a ticket's registration
    time never changes, so this stays a floor as tickets are added; None when no ticket is that recent.
    (``+tid``: read from the registration index's range, not by walking the key index for a match.)"""
    from sqlalchemy import text

    least = conn.execute(text("SELECT min(+tid) FROM ticket WHERE registered_ms >= :s"), {"s": since_ms}).scalar()
    return None if least is None else int(least) << SHIFT


def clear(raw) -> None:
    """Empty the index (before a rebuild indexes every event again); the tickets keep their keys."""
    raw.execute(search_text.clear_sql(TABLE))
    raw.execute("UPDATE ticket_key SET texts = 0")


def optimize(raw) -> None:
    raw.execute(search_text.optimize_sql(TABLE))
