"""Open311 GeoReport v2 JSON of the store: the services (the request categories) and the service requests.

One document, written as it is read (a page of tickets at a time, inside one read transaction, so a store of
millions of tickets is never held in memory and the document is one consistent snapshot)::

    {"format": "open311-georeport-v2", "jurisdiction_id": "QD", "generated_datetime": "…+08:00",
     "since": null, "services": [SERVICE, …], "service_requests": [REQUEST, …]}

Each SERVICE and REQUEST is an element of GeoReport v2's ``GET services`` and ``GET requests`` responses.

No personal data leaves with it. Left out: the caller's phone and name, the description, the typed address
and every other text a person wrote (any of them may name someone or hold a phone number). What goes out is
built from codes only: ``service_request_id`` is the ticket number; ``address`` is the path of the place's
unit in the directory (台东街道, 市北区, 青岛市), never the typed address; ``agency_responsible`` is the lead
unit's name (a public body); ``status_notes`` is made from the fixed vocabulary alone: the state's label, the
callback's satisfaction, where a transferred request went, which ticket a merged one joined (已办结 · 回访满意).
``lat``/``long``/``zipcode``/``address_id`` are optional in the spec and the store has none: they are omitted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

from sqlalchemy import text

from hotline_tui.domain.clock import hlc_ms
from hotline_tui.domain.vocabulary import CHANNELS, FINAL_STATES, SATISFACTIONS, STATES, TRANSFER_TARGETS, label
from hotline_tui.exchange import categories
from hotline_tui.exchange.when import iso
from hotline_tui.routing.taxonomy import SEP, load_taxonomy

FORMAT = "open311-georeport-v2"
NO_CATEGORY = "none"  # the service of a request registered without a category
PAGE = 2_000
COLUMNS = "number, state, lead_unit, category, place, registered_ms, due_ms, closed_ms, last_hlc, callback, data"
_FIRST = text(f"SELECT {COLUMNS} FROM ticket WHERE last_hlc >= :since ORDER BY registered_ms, number LIMIT :n")
_NEXT = text(f"SELECT {COLUMNS} FROM ticket WHERE last_hlc >= :since AND (registered_ms, number) > (:ms, :num)"
             " ORDER BY registered_ms, number LIMIT :n")
_USED = text("SELECT DISTINCT category FROM ticket WHERE last_hlc >= :since")


def services(used: list[str]) -> list[dict[str, Any]]:
    """The taxonomy's categories (every level-3 one), then any other category the exported requests use
    (a first or second level alone, one typed by hand, none)."""
    out: list[dict[str, Any]] = []
    for c in load_taxonomy().categories:
        out.append(_service(c.path, ",".join(c.keywords) or None))
    listed = {s["service_code"] for s in out}
    for category in sorted(used):
        path = tuple(p for p in category.split(SEP) if p) if category else ()
        code = categories.code_of(path) if path else NO_CATEGORY
        if code not in listed:
            listed.add(code)
            out.append(_service(path, None) if path else {
                "service_code": NO_CATEGORY, "service_name": "未分类", "description": "登记时未选诉求分类",
                "metadata": False, "type": "realtime", "keywords": None, "group": None})
    return out


def _service(path: tuple[str, ...], keywords: str | None) -> dict[str, Any]:
    return {"service_code": categories.code_of(path), "service_name": path[-1], "description": SEP.join(path),
            "metadata": False, "type": "realtime", "keywords": keywords, "group": path[0]}


class Requests:
    """Turns ticket rows into GeoReport requests; ``unit_name`` and ``place_path`` come from the directory."""

    def __init__(self, unit_name: Callable[[str], str], place_path: Callable[[str], list[str]]) -> None:
        self.unit_name, self.place_path = unit_name, place_path
        self._addresses: dict[str, str | None] = {}

    def request(self, row) -> dict[str, Any]:
        number, state, lead, category, place, registered, due, closed, last_hlc, callback, data = row
        extra = json.loads(data) if state in ("transferred", "merged") or (lead is None and state == "closed") else {}
        path = tuple(p for p in category.split(SEP) if p) if category else ()
        final = state in FINAL_STATES
        return {
            "service_request_id": number,
            "status": "closed" if final else "open",
            "status_notes": status_notes(state, callback, extra),
            "service_name": path[-1] if path else "未分类",
            "service_code": categories.code_of(path) if path else NO_CATEGORY,
            "agency_responsible": self._agency(lead, extra),
            "requested_datetime": iso(registered),
            "updated_datetime": iso(closed if final and closed is not None else hlc_ms(last_hlc)),
            "expected_datetime": iso(due),
            "address": self._address(place),
        }

    def _agency(self, lead: str | None, extra: dict) -> str | None:
        if lead:
            return self.unit_name(lead)
        if extra.get("transfer_to"):
            return label(TRANSFER_TARGETS, extra["transfer_to"])
        if extra.get("mode") == "answer":
            return CHANNELS["hotline"]  # answered on the call by the centre (直接答复)
        return None

    def _address(self, place: str | None) -> str | None:
        if not place:
            return None
        if place not in self._addresses:
            self._addresses[place] = ", ".join(reversed(self.place_path(place))) or None
        return self._addresses[place]


def status_notes(state: str, callback: str, extra: dict) -> str:
    """Built from codes only (see the module's docstring): nothing a person typed."""
    notes = [label(STATES, state)]
    if extra.get("mode") == "answer":
        notes.append("直接答复")
    if state == "transferred" and extra.get("transfer_to"):
        notes.append("转至" + label(TRANSFER_TARGETS, extra["transfer_to"]))
    if state == "merged" and extra.get("merged_into"):
        notes.append("并入" + str(extra["merged_into"]))
    if callback:
        notes.append("回访" + label(SATISFACTIONS, callback))
    return " · ".join(notes)


def write(conn, out: IO[str], *, since_ms: int | None, now_ms: int, jurisdiction: str, requests: Requests) -> dict[str, int]:
    """Write the document to ``out`` from the read connection ``conn``; returns {services, requests}."""
    since = 0 if since_ms is None else since_ms << 16  # last_hlc holds ms << 16
    used = [r[0] for r in conn.execute(_USED, {"since": since})]
    svc = services(used)
    head = {"format": FORMAT, "jurisdiction_id": jurisdiction, "generated_datetime": iso(now_ms), "since": iso(since_ms)}
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ',\n"services": [\n')
    out.write(",\n".join(json.dumps(s, ensure_ascii=False) for s in svc))
    out.write('\n],\n"service_requests": [\n')
    count = 0
    rows = conn.execute(_FIRST, {"since": since, "n": PAGE}).fetchall()
    while rows:
        out.write(("" if count == 0 else ",\n") + ",\n".join(json.dumps(requests.request(r), ensure_ascii=False) for r in rows))
        count += len(rows)
        last = rows[-1]
        rows = conn.execute(_NEXT, {"since": since, "ms": last[5], "num": last[0], "n": PAGE}).fetchall()
    out.write("\n]}\n")
    return {"services": len(svc), "requests": count}
