"""Events that belong to no ticket: a published monthly report, a user, a sign-in, a cadre's shift, a duty card.

They are events like any other (UUIDv7 id, hybrid clock, desk, actor, kind, payload), kept in the same log and
synced the same way, so every desk sees them. Their ``ticket`` field holds a *stream key* instead of a number:
``~family/key`` (``~report/2026-11``); no ticket number starts with ``~``. Ticket folding, the ticket projection,
the full-text index and the lists leave them alone; each family registers a projector that keeps its own
tables in step, in the same transaction as the events (a person's write, a pulled page, a rebuild).

    streams.register("report", project_reports, clear_reports)
    w.record_stream(streams.key("report", "2026-11"), "report_publish", payload, desk=..., actor=...)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

PREFIX = "~"


@dataclass(frozen=True)
class Family:
    name: str
    project: Callable  # (sqlalchemy Connection, [Event] of this family, in (hlc, id) order) -> None
    clear: Callable | None = None  # (Connection) -> None: before a rebuild projects every event again


FAMILIES: dict[str, Family] = {}


def register(name: str, project: Callable, clear: Callable | None = None) -> None:
    if not name or "/" in name or name.startswith(PREFIX):
        raise ValueError(f"a stream family is a plain name, not {name!r}")
    FAMILIES[name] = Family(name, project, clear)


def key(family: str, name: str) -> str:
    """The stream key of ``name`` in ``family``: ``~family/name``."""
    return f"{PREFIX}{family}/{name}"


def is_ticket(stream: str) -> bool:
    return not stream.startswith(PREFIX)


def family_of(stream: str) -> str:
    return stream[len(PREFIX):].partition("/")[0]


def split(events: Iterable) -> tuple[list, list]:
    """(ticket events, stream events) of ``events``, each in the order given."""
    tickets, others = [], []
    for e in events:
        (tickets if is_ticket(e.ticket) else others).append(e)
    return tickets, others


def project(conn, events: list) -> None:
    """Hand each registered family its events (in (hlc, id) order); a family no projector knows is kept in
    the log only, as a desk of an older version keeps what a newer one wrote."""
    if not events:
        return
    _load_families()
    by_family: dict[str, list] = defaultdict(list)
    for e in events:
        by_family[family_of(e.ticket)].append(e)
    for name, evs in by_family.items():
        family = FAMILIES.get(name)
        if family is not None:
            family.project(conn, sorted(evs, key=lambda e: e.order))


def clear_all(conn) -> None:
    _load_families()
    for family in FAMILIES.values():
        if family.clear is not None:
            family.clear(conn)


_LOADED = False


def _load_families() -> None:
    """Import the modules that register families (once): the store knows its families without the caller
    having to import them first."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import importlib

    for module in FAMILY_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


FAMILY_MODULES: list[str] = [  # modules that call register() when imported
    "hotline_tui.reports.published", "hotline_tui.auth.users", "hotline_tui.auth.audit", "hotline_tui.store.shifts",
    "hotline_tui.store.duty_cards",
]
