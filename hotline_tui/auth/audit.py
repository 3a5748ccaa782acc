"""The audit: who signed in (or failed to), who changed users, who revealed a caller, bulk actions, escalations.

Audit-only events go on the stream ``~audit/YYYY-MM`` (the month in China's time of the event): kinds
``sign_in`` {name, role, own_role}, ``sign_in_failed`` {name as typed (control characters spelled out),
reason; never the password}, ``sign_out`` {name}; other parts of the desk add theirs (``reveal``). The listing
reads those streams and the ``~user/`` and ``~shift/`` streams by ranges of the event index
(``ix_event_ticket_order``), and the ticket events of supervision kinds by the partial index
``ix_event_supervision`` (migration 0008): escalations, and the urges, supervisions and listings made in bulk
(their payload's ``bulk`` {id, count}), one line a bulk action.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from hotline_tui.domain.calendar import local_date
from hotline_tui.domain.clock import hlc_ms
from hotline_tui.store import streams

FAMILY = "audit"
SIGN_IN, SIGN_IN_FAILED, SIGN_OUT = "sign_in", "sign_in_failed", "sign_out"
STREAM_FAMILIES = (FAMILY, "user", "shift")  # streams the listing reads whole (any kind, unknown ones too)
SUPERVISION_KINDS = ("escalate", "urge", "supervise", "list")  # the partial index's kinds, word for word
_SUPERVISION_SQL = "kind IN ('escalate', 'urge', 'supervise', 'list')"


def month_of(ms: int) -> str:
    return local_date(ms).strftime("%Y-%m")


def stream_of(ms: int) -> str:
    return streams.key(FAMILY, month_of(ms))


def _project(conn, events) -> None:
    """Nothing beside the log: the audit is read from it by the event index."""


streams.register(FAMILY, _project)


def record(writer, kind: str, payload: dict[str, Any], *, now_ms: int, desk: str, actor: str):
    return writer.record_stream(stream_of(now_ms), kind, payload, desk=desk, actor=actor)


def sign_in_history(conn, name: str, since_ms: int, now_ms: int) -> tuple[list[int], int | None]:
    """(times of failed sign-ins for ``name`` since ``since_ms``, time of its last successful one or None)."""
    from hotline_tui.store.event_store import EVENT_COLUMNS, row_event

    keys = sorted({stream_of(since_ms), stream_of(now_ms)})
    marks = ", ".join(f":s{i}" for i in range(len(keys)))
    rows = conn.execute(text(f"SELECT {EVENT_COLUMNS} FROM event WHERE ticket IN ({marks}) AND hlc >= :h"
                             " AND kind IN ('sign_in', 'sign_in_failed') ORDER BY hlc, id"),
                        {**{f"s{i}": k for i, k in enumerate(keys)}, "h": since_ms << 16})
    failures: list[int] = []
    success = None
    for r in rows:
        e = row_event(r)
        if e.payload.get("name") != name:
            continue
        if e.kind == SIGN_IN:
            success = hlc_ms(e.hlc)
        elif e.payload.get("reason") != "throttled":
            failures.append(hlc_ms(e.hlc))
    return failures, success


def _stream_events(conn, family: str, since_ms: int):
    from hotline_tui.store.event_store import EVENT_COLUMNS, row_event

    lo = streams.key(family, month_of(since_ms) if family == FAMILY and since_ms > 0 else "")
    hi = streams.key(family, "\uffff")
    rows = conn.execute(text(f"SELECT {EVENT_COLUMNS} FROM event WHERE ticket >= :lo AND ticket < :hi AND hlc >= :h"),
                        {"lo": lo, "hi": hi, "h": since_ms << 16})
    return [row_event(r) for r in rows]


def _supervision_events(conn, since_ms: int):
    from hotline_tui.store.event_store import EVENT_COLUMNS, row_event

    rows = conn.execute(text(f"SELECT {EVENT_COLUMNS} FROM event INDEXED BY ix_event_supervision"
                             f" WHERE {_SUPERVISION_SQL} AND hlc >= :h"), {"h": since_ms << 16})
    return [row_event(r) for r in rows]


def _subject(e) -> str:
    if streams.is_ticket(e.ticket):
        return e.ticket
    family = streams.family_of(e.ticket)
    if family == "user":
        return e.ticket[len(streams.key("user", "")):]
    return str(e.payload.get("name") or e.payload.get("ticket") or e.ticket)


def _detail(e) -> dict[str, Any]:
    return {k: v for k, v in e.payload.items() if k not in ("password_hash", "report")}


def audit_rows(conn, since_ms: int = 0, user: str | None = None) -> list[dict[str, Any]]:
    """The audit, oldest first: [{at_ms, kind, actor, desk, subject, detail, id}]; ``user`` keeps the rows
    that person did or that are about them."""
    rows: list[dict[str, Any]] = []
    for family in STREAM_FAMILIES:
        for e in _stream_events(conn, family, since_ms):
            rows.append({"at_ms": hlc_ms(e.hlc), "hlc": e.hlc, "id": e.id, "kind": e.kind, "actor": e.actor, "desk": e.desk,
                         "subject": _subject(e), "detail": _detail(e)})
    bulks: dict[str, dict[str, Any]] = {}
    for e in _supervision_events(conn, since_ms):
        bulk = e.payload.get("bulk") if isinstance(e.payload.get("bulk"), dict) else None
        if bulk is None:
            if e.kind != "escalate":
                continue  # a single urge, supervision or listing is an ordinary action, in its timeline
            rows.append({"at_ms": hlc_ms(e.hlc), "hlc": e.hlc, "id": e.id, "kind": "escalate", "actor": e.actor,
                         "desk": e.desk, "subject": e.ticket, "detail": _detail(e)})
            continue
        bid = str(bulk.get("id"))
        row = bulks.get(bid)
        if row is None:
            detail = {k: v for k, v in _detail(e).items() if k != "bulk"}
            detail.update(action=e.kind, count=bulk.get("count"), bulk=bid)
            row = bulks[bid] = {"at_ms": hlc_ms(e.hlc), "hlc": e.hlc, "id": e.id, "kind": "bulk", "actor": e.actor,
                                "desk": e.desk, "subject": e.ticket, "detail": detail, "tickets": []}
            rows.append(row)
        row["tickets"].append(e.ticket)
    for row in bulks.values():
        tickets = sorted(row.pop("tickets"))
        row["subject"] = f"{len(tickets)} tickets" if len(tickets) > 1 else tickets[0]
        row["detail"]["first"] = tickets[0]
    if user is not None:
        rows = [r for r in rows if r["actor"] == user or r["subject"] == user]
    rows.sort(key=lambda r: (r["hlc"], r["id"]))
    for r in rows:
        r.pop("hlc")
    return rows
