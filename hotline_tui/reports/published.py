"""Published monthly reports: one ``report_publish`` event per publication in the stream ``~report/YYYY-MM``.

The event carries the whole report as it was computed, so every desk that syncs it shows the same figures,
whatever late events of that month it holds. The latest publication of a month (in the log's (hlc, id) order,
the same on every desk) is the one that counts; it is read straight from the log by the event index
``(ticket, hlc, id)``, so the family keeps no table of its own (its projector has nothing to do).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from hotline_tui.domain.clock import hlc_ms
from hotline_tui.domain.events import load_payload
from hotline_tui.store import streams

FAMILY = "report"
KIND = "report_publish"


def stream_of(month: str) -> str:
    return streams.key(FAMILY, month)


def _project(conn, events) -> None:
    """Nothing to keep beside the log: the latest publication is read from it by its index."""


streams.register(FAMILY, _project)


def read_published(conn, month: str) -> dict[str, Any] | None:
    """{report, published_ms, desk, actor, id, count} of the month's latest publication, or None."""
    rows = conn.execute(text("SELECT id, hlc, desk, actor, payload FROM event WHERE ticket = :s AND kind = :k"
                             " ORDER BY hlc DESC, id DESC"), {"s": stream_of(month), "k": KIND}).fetchall()
    if not rows:
        return None
    eid, hlc, desk, actor, payload = rows[0]
    return {"report": load_payload(payload).get("report", {}), "published_ms": hlc_ms(hlc), "desk": desk,
            "actor": actor, "id": eid, "count": len(rows)}


def published_months(conn) -> list[str]:
    """Every month with a publication, newest first."""
    prefix = stream_of("")
    rows = conn.execute(text("SELECT DISTINCT ticket FROM event WHERE ticket >= :lo AND ticket < :hi AND kind = :k"),
                        {"lo": prefix, "hi": prefix + "\uffff", "k": KIND}).fetchall()
    return sorted((r[0][len(prefix):] for r in rows), reverse=True)


def publish(writer, month: str, report: dict[str, Any], *, desk: str, actor: str):
    return writer.record_stream(stream_of(month), KIND, {"month": month, "report": report}, desk=desk, actor=actor)
