"""A desk enrolls with its hub: the hub gives each desk code to one desk only.

Each store has its own desk id, a random UUID made once when the store is created (store ``meta``
``desk_id``, migration 0012). Enrolling asks the hub for this desk's code ([desk] code of the config):

* free: the hub records it for this desk id (who, when); this store notes that it is enrolled there;
* held by this desk id already: nothing changes (enrolling twice is harmless);
* held by another desk id: refused, before anything is pushed or pulled, and nothing is written here,
  with a message naming a free code to set instead.

``hotline sync`` and F9 enroll on their first sync with a hub, and check the enrollment on every later one
(a short hub transaction); ``hotline hub enroll`` does it on its own. A desk that changes its code keeps its old numbers as they are
(they stay unique: its old code stays enrolled to it) and numbers new tickets with the new code.

A store copied to a second machine carries the first one's desk id: the hub cannot tell them apart.
``hotline hub enroll --new-id`` gives the copy an id of its own (and it needs a code of its own).
A store set up again (the desk's own, lost) has a new id: ``--reclaim`` takes its old code back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import text

from hotline_tui.config import DESK_CODE_RE
from hotline_tui.errors import InputError
from hotline_tui.sync.hub import DeskRow, Hub, HubError

ENROLLED = "enrolled"  # store meta key: {"hub_id", "code", "since_ms"} of the last enrollment


class CodeTaken(HubError):
    """Another desk holds this desk's code at the hub."""


@dataclass(frozen=True)
class Enrollment:
    hub: str
    hub_id: str
    code: str
    desk_id: str
    since_ms: int
    by: str
    new: bool  # this call enrolled it (False: it was already)


def desk_id(store) -> str:
    """This store's desk id (made by migration 0012; made here for a store whose row was removed by hand)."""
    with store.read() as conn:
        value = conn.execute(text("SELECT value FROM meta WHERE key = 'desk_id'")).scalar()
    if value:
        return value
    with store.write() as w:
        w.conn.execute(text("INSERT OR IGNORE INTO meta (key, value) VALUES ('desk_id', :v)"), {"v": str(uuid.uuid4())})
        return w.conn.execute(text("SELECT value FROM meta WHERE key = 'desk_id'")).scalar()


def local_enrollment(store) -> dict | None:
    with store.read() as conn:
        raw = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": ENROLLED}).scalar()
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def check_code(code: str) -> str:
    if not isinstance(code, str) or not DESK_CODE_RE.match(code):
        shown = repr(code)[:20] if isinstance(code, str) else type(code).__name__
        raise InputError(f"desk code {shown} must be 2-6 capital letters or digits, starting with a letter ([desk] code)")
    return code


def free_code(code: str, taken: set[str]) -> str | None:
    """A code like ``code`` that nobody holds: its number part counted up (A01 -> A02), else a digit added."""
    m = re.match(r"^(.*?)(\d+)$", code)
    stem, digits = (m.group(1), m.group(2)) if m else (code, "")
    start = int(digits) if digits else 0
    width = max(len(digits), 1)
    for n in range(start + 1, start + 1000):
        candidate = f"{stem}{n:0{width}d}"
        if DESK_CODE_RE.match(candidate) and candidate not in taken:
            return candidate
    return None


def day(ms: int) -> str:
    from hotline_tui.domain.calendar import CHINA

    return dt.datetime.fromtimestamp(ms / 1000, CHINA).strftime("%Y-%m-%d")


def refusal(hub: Hub, row: DeskRow, taken: set[str], config: str) -> str:
    free = free_code(row.code, taken)
    example = f" (free, for example: {free})" if free else ""
    return (f"desk code {row.code} is already enrolled at the hub by another desk (since {day(row.enrolled_ms)});"
            f" set another code in [desk] code of {config}{example} and sync again (if this desk's own store was set"
            " up again: `hotline hub enroll --reclaim`)")


def enroll(store, hub: Hub, code: str, *, by: str, now_ms: int, config: str = "the config",
           reclaim: bool = False, new_id: bool = False) -> Enrollment:
    """Enroll this store's desk under ``code`` at ``hub`` (see the module); ``new_id``: as a new desk id, kept
    by this store only once the hub took it. Raises InputError for a code that is not valid and CodeTaken
    when another desk holds it, before writing anything here or there."""
    check_code(code)
    hub_id = hub.open()
    me = str(uuid.uuid4()) if new_id else desk_id(store)
    row = hub.enroll(code, me, by, now_ms, reclaim=reclaim)
    if row.desk_id != me:
        raise CodeTaken(refusal(hub, row, {d.code for d in hub.desks()}, config))
    note = {"hub_id": hub_id, "code": code, "since_ms": row.enrolled_ms}
    if new_id or local_enrollment(store) != note:  # a sync that finds all as it was writes nothing here
        with store.write() as w:
            if new_id:
                w.conn.execute(text("INSERT OR REPLACE INTO meta (key, value) VALUES ('desk_id', :v)"), {"v": me})
            w.conn.execute(text("INSERT OR REPLACE INTO meta (key, value) VALUES (:k, :v)"),
                           {"k": ENROLLED, "v": json.dumps(note)})
    return Enrollment(hub.display, hub_id, code, me, row.enrolled_ms, row.enrolled_by, row.written)


def ensure_enrolled(store, hub: Hub, code: str, *, by: str, now_ms: int, config: str = "the config") -> Enrollment:
    """Before every sync: enroll, or check that the code is still this desk's (one short hub transaction; a
    desk whose code was taken back by ``--reclaim`` elsewhere stops here, before it pushes or pulls)."""
    return enroll(store, hub, code, by=by, now_ms=now_ms, config=config)


def status(store, hub: Hub | None, code: str) -> dict:
    """This desk's id and code, and whether the hub has it enrolled (asked when there is a hub; ``enrolled`` is
    None and ``error`` says why when there is none or it cannot be asked); ``last_enrolled``: what this store
    noted when it last enrolled."""
    note = local_enrollment(store) or {}
    out = {"desk_id": desk_id(store), "code": code, "hub": hub.display if hub else None, "enrolled": None,
           "since_ms": None, "held_by_other": False, "codes": [], "error": None,
           "last_enrolled": {"code": note.get("code"), "since_ms": note.get("since_ms")} if note else None}
    if hub is None:
        return out
    mine = out["desk_id"]
    try:
        rows = hub.desks()
    except HubError as exc:  # the hub is down: say so, with what this store knows
        out["error"] = str(exc)
        return out
    out["codes"] = [d.code for d in rows if d.desk_id == mine]
    for d in rows:
        if d.code == code:
            out["enrolled"] = d.desk_id == mine
            out["held_by_other"] = d.desk_id != mine
            out["since_ms"] = d.enrolled_ms
    if out["enrolled"] is None:
        out["enrolled"] = False
    return out
