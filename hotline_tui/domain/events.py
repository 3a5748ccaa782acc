"""Events: the immutable facts a ticket's state is folded from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    id: str  # UUIDv7
    ticket: str  # the ticket number
    hlc: int  # hybrid logical clock timestamp (see domain.clock)
    desk: str  # desk code that recorded it
    actor: str  # who did it, as shown in the timeline
    kind: str  # one of vocabulary.ACTIONS
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def order(self) -> tuple[int, str]:
        return (self.hlc, self.id)

    def payload_json(self) -> str:
        return dump_payload(self.payload)


_new = object.__new__
_set = object.__setattr__


def event_of(id: str, ticket: str, hlc: int, desk: str, actor: str, kind: str, payload: dict[str, Any]) -> Event:
    """``Event(id, ticket, hlc, desk, actor, kind, payload)`` for bulk reads of stored rows: the frozen
    dataclass's ``__init__`` sets each of the seven fields through ``object.__setattr__``, which was a
    tenth of applying a large pulled page; this sets the instance's dict once. Equal to the Event the
    constructor makes (tests/test_jsontext.py)."""
    e = _new(Event)
    _set(e, "__dict__", {"id": id, "ticket": ticket, "hlc": hlc, "desk": desk, "actor": actor, "kind": kind,
                         "payload": payload})
    return e


def dump_payload(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def load_payload(text: str) -> dict[str, Any]:
    return json.loads(text) if text else {}
