"""Duty cards the units' cadres publish: one ``card_publish`` event per publication in the stream ``~card/<unit>``.

The family's projector keeps ``duty_card`` (migration 0011): per unit, the publication latest in the log's
(hlc, id) order, the same on every desk whatever order the events arrived in. Its ``version`` is the one the
publisher's desk gave (the card it was based on + 1); two desks publishing at once while apart both give the
same number, and the later one in the log is kept.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from hotline_tui.domain.clock import hlc_ms
from hotline_tui.domain.duty_card import CARD_FIELDS
from hotline_tui.domain.events import load_payload
from hotline_tui.store import streams

FAMILY = "card"
KIND = "card_publish"

UPSERT = text(
    "INSERT INTO duty_card (unit, version, fields, published_by, published_ms, desk, hlc, event_id)"
    " VALUES (:unit, :version, :fields, :by, :ms, :desk, :hlc, :id)"
    " ON CONFLICT (unit) DO UPDATE SET version = excluded.version, fields = excluded.fields,"
    " published_by = excluded.published_by, published_ms = excluded.published_ms, desk = excluded.desk,"
    " hlc = excluded.hlc, event_id = excluded.event_id"
    " WHERE excluded.hlc > duty_card.hlc OR (excluded.hlc = duty_card.hlc AND excluded.event_id > duty_card.event_id)")


def stream_of(unit: str) -> str:
    return streams.key(FAMILY, unit)


def _project(conn, events) -> None:
    for e in events:
        if e.kind != KIND:
            continue
        p = e.payload
        unit = e.ticket[len(stream_of("")):]
        fields = {k: str(p.get(k) or "") for k in CARD_FIELDS}
        try:
            version = int(p.get("version") or 0)
        except (TypeError, ValueError):  # a damaged payload from elsewhere is kept in the log, not shown
            continue
        conn.execute(UPSERT, {"unit": unit, "version": version, "fields": json.dumps(fields, ensure_ascii=False),
                              "by": e.actor, "ms": hlc_ms(e.hlc), "desk": e.desk, "hlc": e.hlc, "id": e.id})


def _clear(conn) -> None:
    conn.execute(text("DELETE FROM duty_card"))


streams.register(FAMILY, _project, _clear)


def project_from_log(conn) -> None:
    """Fill ``duty_card`` from the publications the log holds (migration 0011, for a store that synced some)."""
    from hotline_tui.domain.events import event_of

    prefix = stream_of("")
    rows = conn.execute(text("SELECT id, ticket, hlc, desk, actor, kind, payload FROM event"
                             " WHERE ticket >= :lo AND ticket < :hi AND kind = :k ORDER BY hlc, id"),
                        {"lo": prefix, "hi": prefix + "\uffff", "k": KIND}).fetchall()
    _project(conn, [event_of(r[0], r[1], r[2], r[3], r[4], r[5], load_payload(r[6])) for r in rows])


def read_card(conn, unit: str) -> dict[str, Any] | None:
    """{unit, version, fields…, published_by, published_ms, desk} of the unit's newest publication, or None."""
    row = conn.execute(text("SELECT unit, version, fields, published_by, published_ms, desk FROM duty_card"
                            " WHERE unit = :u"), {"u": unit}).fetchone()
    if row is None:
        return None
    fields = json.loads(row[2]) if row[2] else {}
    return {"unit": row[0], "version": int(row[1]), **{k: str(fields.get(k) or "") for k in CARD_FIELDS},
            "published_by": row[3], "published_ms": int(row[4]), "desk": row[5]}


def publish(writer, unit: str, version: int, fields: dict[str, str], *, desk: str, actor: str):
    return writer.record_stream(stream_of(unit), KIND, {"unit": unit, "version": version, **fields},
                                desk=desk, actor=actor)
