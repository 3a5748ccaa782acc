"""A hub in one SQLite file, for a small site: put it on a folder every desk can reach.

The file uses a rollback journal (not WAL: WAL's shared memory does not work over network folders),
``synchronous=FULL``, and ``BEGIN IMMEDIATE`` for pushes, so there is one writer at a time and seqs
(the rowid) are handed out in commit order with no gaps.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Sequence

from hotline_tui.sync.hub import HUB_SCHEMA, DeskRow, EventRow, HubError, HubRow, PushResult

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS hub_event (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ticket TEXT NOT NULL,"
    " hlc INTEGER NOT NULL, desk TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL)",
    # hub schema 2: the enrolled desks, one row a desk code (sync/enroll.py)
    "CREATE TABLE IF NOT EXISTS hub_desk (code TEXT PRIMARY KEY, desk_id TEXT NOT NULL, enrolled_ms INTEGER NOT NULL,"
    " enrolled_by TEXT NOT NULL)",
)
DESK_COLS = "code, desk_id, enrolled_ms, enrolled_by"
# A new event gets rowid max+1; an id the hub holds is skipped without using a number.
INSERT = "INSERT OR IGNORE INTO hub_event (id, ticket, hlc, desk, actor, kind, payload) VALUES (?, ?, ?, ?, ?, ?, ?)"


PULL = "SELECT seq, id, ticket, hlc, desk, actor, kind, payload FROM hub_event WHERE seq > ? ORDER BY seq LIMIT ?"
# SQLite keeps whatever a writer gave a column (a file written by something else, or mended by hand); a
# PostgreSQL hub's columns are typed. One look per page at the rows just read, not a check per row here.
ILL_TYPED = ("SELECT seq FROM hub_event WHERE seq > ? AND seq <= ? AND NOT (typeof(id) = 'text' AND typeof(ticket) = 'text'"
             " AND typeof(hlc) = 'integer' AND typeof(desk) = 'text' AND typeof(actor) = 'text' AND typeof(kind) = 'text'"
             " AND typeof(payload) = 'text') ORDER BY seq LIMIT 1")


def fresh_rows(con: sqlite3.Connection, rows: Sequence[EventRow]) -> Sequence[EventRow]:
    """The rows to insert (the INSERT itself skips ids already held)."""
    return rows


class SqliteHub:
    def __init__(self, path: Path, *, display: str | None = None, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.display = display or str(path)
        self.timeout = timeout
        self._con: sqlite3.Connection | None = None
        self.hub_id: str | None = None

    # -- connection -----------------------------------------------------------------------------
    def _fail(self, exc: BaseException, doing: str) -> HubError:
        msg = str(exc).lower()
        if "locked" in msg or "busy" in msg:
            return HubError(f"the hub {self.display} is busy (another desk is syncing); try again in a moment")
        if "unable to open" in msg:
            return HubError(f"the hub {self.display} cannot be reached (is the shared folder {self.path.parent} mounted?)")
        if "not a database" in msg or "malformed" in msg:
            return HubError(f"the hub {self.display} is not a hotline hub or is damaged")
        if "readonly" in msg or "read-only" in msg:
            return HubError(f"the hub {self.display} is read-only for this desk")
        return HubError(f"the hub {self.display} failed while {doing}: {' '.join(str(exc).split())[:200]}")

    def _connect(self, *, create: bool) -> sqlite3.Connection:
        if self._con is not None:
            return self._con
        if not self.path.parent.is_dir():
            raise HubError(f"the hub {self.display} cannot be reached: no folder {self.path.parent}")
        if not create and not self.path.exists():
            raise HubError(f"there is no hub at {self.display}; create it with `hotline hub init`")
        try:
            con = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
            con.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
            con.execute("PRAGMA synchronous=FULL")
        except sqlite3.Error as exc:
            raise self._fail(exc, "opening") from None
        self._con = con
        return con

    def init(self) -> tuple[str, bool]:
        """Create or upgrade the hub's tables; returns (hub id, created now)."""
        con = self._connect(create=True)
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                for ddl in SCHEMA:
                    con.execute(ddl)
                row = con.execute("SELECT value FROM hub_meta WHERE key = 'schema'").fetchone()
                if row and int(row[0]) > HUB_SCHEMA:
                    raise HubError(f"the hub {self.display} was made by a newer hotline (hub schema {row[0]}); upgrade this desk")
                con.execute("INSERT OR REPLACE INTO hub_meta (key, value) VALUES ('schema', ?)", (str(HUB_SCHEMA),))
                hub_id = con.execute("SELECT value FROM hub_meta WHERE key = 'hub_id'").fetchone()
                created = hub_id is None
                if created:
                    hub_id = (str(uuid.uuid4()),)
                    con.execute("INSERT INTO hub_meta (key, value) VALUES ('hub_id', ?)", hub_id)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise self._fail(exc, "creating its tables") from None
        self.hub_id = hub_id[0]
        return self.hub_id, created

    def open(self) -> str:
        if self.hub_id:
            return self.hub_id
        con = self._connect(create=True)
        try:
            meta = {}
            if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'hub_meta'").fetchone():
                meta = dict(con.execute("SELECT key, value FROM hub_meta").fetchall())
        except sqlite3.Error as exc:
            raise self._fail(exc, "opening") from None
        if "hub_id" not in meta or meta.get("schema") != str(HUB_SCHEMA):
            return self.init()[0]  # first sync: create (or upgrade) the hub
        self.hub_id = meta["hub_id"]
        return self.hub_id

    # -- the protocol ---------------------------------------------------------------------------
    def push(self, rows: Sequence[EventRow]) -> PushResult:
        con = self._connect(create=False)
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                top = con.execute("SELECT coalesce(max(seq), 0) FROM hub_event").fetchone()[0]
                before = con.total_changes
                con.executemany(INSERT, fresh_rows(con, rows))
                inserted = con.total_changes - before
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise self._fail(exc, "receiving events") from None
        return PushResult(top_before=top, inserted=inserted)

    def pull(self, after: int, limit: int) -> list[HubRow]:
        con = self._connect(create=False)
        try:
            rows = con.execute(PULL, (after, limit)).fetchall()
            bad = con.execute(ILL_TYPED, (after, rows[-1][0])).fetchone() if rows else None
        except sqlite3.Error as exc:
            raise self._fail(exc, "sending events") from None
        if bad:
            raise HubError(f"the hub {self.display} holds a malformed event (seq {bad[0]}: a field of the wrong type);"
                           " nothing of that page was applied: remove or mend it on the hub, then sync again")
        return rows

    def enroll(self, code: str, desk_id: str, by: str, now_ms: int, *, reclaim: bool = False) -> DeskRow:
        self.open()
        con = self._connect(create=False)
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                if reclaim:
                    con.execute("DELETE FROM hub_desk WHERE code = ? AND desk_id != ?", (code, desk_id))
                written = con.execute(f"INSERT OR IGNORE INTO hub_desk ({DESK_COLS}) VALUES (?, ?, ?, ?)",
                                      (code, desk_id, now_ms, by)).rowcount
                row = con.execute(f"SELECT {DESK_COLS} FROM hub_desk WHERE code = ?", (code,)).fetchone()
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise self._fail(exc, "enrolling this desk") from None
        return DeskRow(*row, written=bool(written))

    def desks(self) -> list[DeskRow]:
        self.open()
        con = self._connect(create=False)
        try:
            return [DeskRow(*r) for r in con.execute(f"SELECT {DESK_COLS} FROM hub_desk ORDER BY code")]
        except sqlite3.Error as exc:
            raise self._fail(exc, "listing its desks") from None

    # -- upkeep ---------------------------------------------------------------------------------
    def replace_payloads(self, updates: Sequence[tuple[int, str]]) -> None:
        """Rewrite the payloads of events the hub holds, ``(seq, payload)``, in one transaction (sealing a
        caller held in clear: privacy/reseal.py). An event keeps its seq and id."""
        con = self._connect(create=False)
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                con.executemany("UPDATE hub_event SET payload = ? WHERE seq = ?", [(p, s) for s, p in updates])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise self._fail(exc, "rewriting events") from None

    def compact(self) -> None:
        """VACUUM the hub's file: the bytes of rewritten payloads leave it."""
        con = self._connect(create=False)
        try:
            con.execute("VACUUM")
        except sqlite3.Error as exc:
            raise self._fail(exc, "compacting") from None

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
