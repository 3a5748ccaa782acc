"""Users: the events of the ``~user/<name>`` streams and the ``user`` table folded from them.

Kinds: ``user_add`` {role, unit, password_hash[, demo]}, ``user_role`` {role, unit}, ``user_disable``,
``user_enable``, ``user_passwd`` {password_hash}. They sync like every event, so a user added at the centre
signs in at any desk once that desk has synced, and sign-in reads only the local table (a hub that is down
does not stop anyone). A stream is refolded from the log whenever it gets events (a user has a handful), so
late and concurrent events give the same row on every desk: the first ``user_add`` in (hlc, id) order wins,
later ones for the same name are ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from hotline_tui.domain.clock import hlc_ms
from hotline_tui.store import streams

FAMILY = "user"
KINDS = ("user_add", "user_role", "user_disable", "user_enable", "user_passwd")
COLUMNS = "name, role, unit, disabled, password_hash, demo, created_ms, changed_ms, changed_by"


@dataclass(frozen=True)
class User:
    name: str
    role: str
    unit: str | None
    disabled: bool
    password_hash: str
    demo: bool = False  # added by ``hotline demo --users`` with its documented password, never changed since
    created_ms: int = 0
    changed_ms: int = 0
    changed_by: str = ""

    def public(self) -> dict[str, Any]:
        """What may be shown or printed: everything but the hash."""
        return {"name": self.name, "role": self.role, "unit": self.unit, "disabled": self.disabled,
                "demo": self.demo, "created_ms": self.created_ms, "changed_ms": self.changed_ms, "changed_by": self.changed_by}


def stream_of(name: str) -> str:
    return streams.key(FAMILY, name)


def fold_user(name: str, events) -> User | None:
    """The user a stream's events (in (hlc, id) order) describe, or None before its first ``user_add``."""
    user: dict[str, Any] | None = None
    for e in events:
        p = e.payload
        at = hlc_ms(e.hlc)
        if e.kind == "user_add":
            if user is None:
                user = {"name": name, "role": p.get("role", "operator"), "unit": p.get("unit") or None, "disabled": False,
                        "password_hash": p.get("password_hash", ""), "demo": bool(p.get("demo")), "created_ms": at}
            else:
                continue
        elif user is None:
            continue
        elif e.kind == "user_role":
            user["role"] = p.get("role", user["role"])
            user["unit"] = p.get("unit") or None
        elif e.kind == "user_disable":
            user["disabled"] = True
        elif e.kind == "user_enable":
            user["disabled"] = False
        elif e.kind == "user_passwd":
            user["password_hash"] = p.get("password_hash", "")
            user["demo"] = False
        else:
            continue  # a kind a newer desk wrote: kept in the log, not understood here
        user["changed_ms"], user["changed_by"] = at, e.actor
    return None if user is None else User(**user)


def _project(conn, events) -> None:
    from hotline_tui.store.event_store import EVENT_COLUMNS, row_event

    for stream in dict.fromkeys(e.ticket for e in events):
        name = stream[len(stream_of("")):]
        rows = conn.execute(text(f"SELECT {EVENT_COLUMNS} FROM event WHERE ticket = :s ORDER BY hlc, id"), {"s": stream})
        user = fold_user(name, [row_event(r) for r in rows])
        conn.execute(text('DELETE FROM "user" WHERE name = :n'), {"n": name})
        if user is not None:
            conn.execute(text(f'INSERT INTO "user" ({COLUMNS}) VALUES (:name, :role, :unit, :disabled, :password_hash,'
                              " :demo, :created_ms, :changed_ms, :changed_by)"),
                         {**user.public(), "disabled": int(user.disabled), "demo": int(user.demo),
                          "password_hash": user.password_hash})


def _clear(conn) -> None:
    conn.execute(text('DELETE FROM "user"'))


streams.register(FAMILY, _project, _clear)


def _user(row) -> User:
    m = row._mapping
    return User(name=m["name"], role=m["role"], unit=m["unit"], disabled=bool(m["disabled"]),
                password_hash=m["password_hash"], demo=bool(m["demo"]), created_ms=m["created_ms"] or 0,
                changed_ms=m["changed_ms"] or 0, changed_by=m["changed_by"] or "")


def has_users(conn) -> bool:
    return conn.execute(text('SELECT 1 FROM "user" LIMIT 1')).first() is not None


def get_user(conn, name: str) -> User | None:
    row = conn.execute(text(f'SELECT {COLUMNS} FROM "user" WHERE name = :n'), {"n": name}).first()
    return None if row is None else _user(row)


def all_users(conn) -> list[User]:
    return [_user(r) for r in conn.execute(text(f'SELECT {COLUMNS} FROM "user" ORDER BY role, name'))]


def record(writer, name: str, kind: str, payload: dict[str, Any], *, desk: str, actor: str):
    if kind not in KINDS:
        raise ValueError(kind)
    return writer.record_stream(stream_of(name), kind, payload, desk=desk, actor=actor)


def dumps_safe(payload: dict[str, Any]) -> str:
    """A user event's payload for the audit, without the password hash."""
    return json.dumps({k: v for k, v in payload.items() if k != "password_hash"}, ensure_ascii=False)

