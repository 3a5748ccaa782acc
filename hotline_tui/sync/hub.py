"""What a hub is: a shared, append-only log of every desk's events, numbered by the hub.

Two kinds share one interface (:class:`Hub`): a SQLite file (a shared folder is enough for a small
site) and a PostgreSQL database (a city). A hub

* numbers each event it accepts with a ``seq`` 1, 2, 3, ... with no gaps, and a seq never becomes
  visible before every smaller one (one writer at a time);
* accepts a pushed page idempotently by event id (an event it already holds is skipped);
* hands out events after a cursor, in pages, in seq order;
* has an id (made when it is created) that desks store beside their cursors, so a desk pointed at
  another hub, or at a hub that was re-created, starts over instead of mixing cursors.

It also keeps the desks enrolled with it (sync/enroll.py): each desk code once, with the desk id of the
store that holds it, so two desks never hand out the same ticket numbers.

Rows travel as plain tuples, the payload as the JSON text it was stored with:
``EventRow = (id, ticket, hlc, desk, actor, kind, payload)`` and ``HubRow = (seq, *EventRow)``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

from hotline_tui.errors import HotlineError
from hotline_tui.redact import redact_url

EventRow = tuple  # (id, ticket, hlc, desk, actor, kind, payload)
HubRow = tuple  # (seq, id, ticket, hlc, desk, actor, kind, payload)

HUB_SCHEMA = 2  # the hub's own table layout version (hub_meta 'schema'); 2: the enrolled desks
DEFAULT_TIMEOUT_S = 10.0


class HubError(HotlineError):
    """The hub cannot be reached, is too slow, refuses, or is not a hub. The desk keeps working."""

    exit_code = 6


@dataclass(frozen=True)
class PushResult:
    """``top_before``: the hub's highest seq when this page was numbered; ``inserted``: how many of the
    page's events were new to the hub (they got seqs ``top_before + 1 .. top_before + inserted``)."""

    top_before: int
    inserted: int


class Hub(Protocol):
    display: str  # the URL with any password removed

    def open(self) -> str:
        """Connect (creating the hub's tables on first use) and return the hub id."""

    def push(self, rows: Sequence[EventRow]) -> PushResult:
        """Add the events the hub lacks, in the given order, in one transaction."""

    def pull(self, after: int, limit: int) -> list[HubRow]:
        """Up to ``limit`` events with seq > ``after``, in seq order."""

    def enroll(self, code: str, desk_id: str, by: str, now_ms: int, *, reclaim: bool = False) -> DeskRow:
        """Give ``code`` to ``desk_id`` unless another desk holds it (``reclaim``: take it over); returns the
        code's row as it is now, and whether this call wrote it."""

    def desks(self) -> list[DeskRow]:
        """Every enrolled code, in code order."""

    def close(self) -> None: ...


@dataclass(frozen=True)
class DeskRow:
    """One enrolled desk code: who holds it (a store's desk id), since when, enrolled by whom."""

    code: str
    desk_id: str
    enrolled_ms: int
    enrolled_by: str
    written: bool = False  # this enrollment wrote the row (new, or reclaimed)


def hub_timeout() -> float:
    """Seconds to wait for the hub: ``HOTLINE_HUB_TIMEOUT`` or 10."""
    raw = os.environ.get("HOTLINE_HUB_TIMEOUT")
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT_S
    except ValueError:
        raise HubError(f"HOTLINE_HUB_TIMEOUT must be a number of seconds, not {raw[:20]!r}") from None
    return max(value, 0.5)


def kind_of(url: str) -> str:
    """``postgres`` or ``sqlite`` for a hub URL (or a plain file path, which means a SQLite file)."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        return "postgres"
    if scheme == "sqlite" or scheme.startswith("sqlite+") or not scheme:
        return "sqlite"
    raise HubError(f"the hub {redact_url(url)} is neither a SQLite file nor a postgresql:// URL")


def sqlite_path(url: str) -> Path:
    """``sqlite:///relative.sqlite``, ``sqlite:////abs/hub.sqlite`` or a plain path."""
    if "://" not in url:
        return Path(url).expanduser()
    rest = url.split("://", 1)[1]
    if not rest.startswith("/") or rest in ("/", "/:memory:"):
        raise HubError(f"the hub {redact_url(url)} must name a file, as sqlite:////shared/hub.sqlite")
    return Path(rest[1:].split("?", 1)[0]).expanduser()


def open_hub(url: str, *, timeout: float | None = None) -> Hub:
    """The hub for ``url``; nothing is contacted until ``open()``. psycopg is imported only for PostgreSQL."""
    if not url or not url.strip():
        raise HubError("no hub given")
    url = url.strip()
    timeout = hub_timeout() if timeout is None else timeout
    if kind_of(url) == "postgres":
        from hotline_tui.sync.postgres_hub import PostgresHub

        return PostgresHub(url, timeout=timeout)
    from hotline_tui.sync.sqlite_hub import SqliteHub

    return SqliteHub(sqlite_path(url), display=redact_url(url), timeout=timeout)


def safe_message(exc: BaseException, url: str, secret: str | None = None) -> str:
    """One line about ``exc`` that never shows the hub's password."""
    msg = " ".join(str(exc).split()) or type(exc).__name__
    if secret:
        msg = msg.replace(secret, "***")
    return redact_url(msg.replace(url, redact_url(url)))[:300]
