"""The month's supervision list: the requests put under listed supervision (挂牌督办) or escalated (移交) in the
month, with their state now. Found from the rare flags' partial indexes, then the flagged requests' own
``list``/``escalate`` events (by the event index) for when it happened; no caller or description is shown."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from hotline_tui.domain.clock import COUNTER_BITS, hlc_ms
from hotline_tui.domain.events import load_payload
from hotline_tui.domain.vocabulary import ESCALATION_TARGETS, STATES
from hotline_tui.store.tables import has_flag

KIND_TEXT = {"list": "挂牌督办", "escalate": "移交"}


def supervision_list(conn, start_ms: int, end_ms: int, unit_name) -> list[dict[str, Any]]:
    by_number = {}
    for flag in ("listed", "escalated"):  # one query each, so each reads its flag's partial index
        for r in conn.execute(text("SELECT number, state, lead_unit, category, due_ms, closed_ms FROM ticket"
                                   f" WHERE {has_flag(flag)} AND registered_ms < :end"), {"end": end_ms}):
            by_number[r[0]] = r
    out: list[dict[str, Any]] = []
    numbers = list(by_number)
    for i in range(0, len(numbers), 500):
        chunk = numbers[i:i + 500]
        marks = ", ".join(f":n{j}" for j in range(len(chunk)))
        params: dict[str, Any] = {f"n{j}": n for j, n in enumerate(chunk)}
        params.update(lo=start_ms << COUNTER_BITS, hi=end_ms << COUNTER_BITS)
        for number, kind, hlc, payload in conn.execute(text(
                f"SELECT ticket, kind, hlc, payload FROM event WHERE ticket IN ({marks})"
                " AND kind IN ('list', 'escalate') AND hlc >= :lo AND hlc < :hi ORDER BY hlc, id"), params):
            row = by_number[number]
            p = load_payload(payload)
            out.append({
                "number": number, "action": kind, "action_name": KIND_TEXT[kind], "at_ms": hlc_ms(hlc),
                "target": ESCALATION_TARGETS.get(p.get("target"), p.get("target") or "") if kind == "escalate" else "",
                "state": row[1], "state_name": STATES.get(row[1], row[1]),
                "unit": row[2] or "", "unit_name": unit_name(row[2]) if row[2] else "",
                "category": row[3] or "", "due_ms": row[4], "closed_ms": row[5],
            })
    out.sort(key=lambda r: (r["at_ms"], r["number"]))
    return out
