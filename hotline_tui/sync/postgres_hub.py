"""A hub in PostgreSQL, for a city, through psycopg 3 (imported only when a desk syncs with one).

The URL is a plain libpq URL as a DBA writes it: ``postgresql://user@host:5432/db`` (a password in it,
or in ``PGPASSWORD``/``.pgpass``, is never shown). Tables live in the first schema of the search path, so
``?options=-csearch_path%3Dhotline`` places a hub in its own schema.

Seqs: a push copies its page (each id once) into a temporary table, then takes a transaction-scoped
advisory lock (one per hub) and numbers the events the hub lacks ``max(seq)+1 ...`` in one INSERT. The
next writer waits for the lock and so reads ``max(seq)`` after this one committed: seqs are gapless and
never become visible out of commit order.

The usual page is all new to the hub, so the INSERT first numbers every staged row by its place in the
page, with no look-up: the unique index on ``id`` checks as it inserts. Only when that fails (a page sent
again after a lost answer) does it roll back to a savepoint and number just the events the hub lacks.
Checking every id up front cost more than the insert itself (0.35 of 0.85 s per 100k events), and
``ON CONFLICT DO NOTHING`` twice that. A resent page leaves one "duplicate key" line in the server's log.
"""

from __future__ import annotations

import uuid
from typing import Sequence

from hotline_tui.redact import redact_url
from hotline_tui.sync.hub import HUB_SCHEMA, DeskRow, EventRow, HubError, HubRow, PushResult, safe_message

INIT_LOCK = 0x686F746C696E65  # "hotline": serialises hub creation and upgrades in one database

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE IF NOT EXISTS hotline_hub_meta (key text PRIMARY KEY, value text NOT NULL)",
        "CREATE TABLE IF NOT EXISTS hotline_hub_event (seq bigint PRIMARY KEY, id text NOT NULL UNIQUE,"
        " ticket text NOT NULL, hlc bigint NOT NULL, desk text NOT NULL, actor text NOT NULL, kind text NOT NULL,"
        " payload text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())",
    ),
    2: (  # the enrolled desks, one row a desk code (sync/enroll.py)
        "CREATE TABLE IF NOT EXISTS hotline_hub_desk (code text PRIMARY KEY, desk_id text NOT NULL,"
        " enrolled_ms bigint NOT NULL, enrolled_by text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())",
    ),
}
DESK_COLS = "code, desk_id, enrolled_ms, enrolled_by"
STAGE = ("CREATE TEMPORARY TABLE IF NOT EXISTS hotline_hub_in (ord integer, id text, ticket text, hlc bigint,"
         " desk text, actor text, kind text, payload text) ON COMMIT DELETE ROWS")
# Binary COPY: the desk sends each text as its bytes, with no escaping (a quarter less time than text COPY)
COPY_IN = "COPY hotline_hub_in (ord, id, ticket, hlc, desk, actor, kind, payload) FROM STDIN (FORMAT BINARY)"
COPY_TYPES = ("int4", "text", "text", "int8", "text", "text", "text", "text")
NUMBER_ALL = (  # every staged row is new: its seq is its place in the page
    "INSERT INTO hotline_hub_event (seq, id, ticket, hlc, desk, actor, kind, payload)"
    " SELECT %(top)s + 1 + ord, id, ticket, hlc, desk, actor, kind, payload FROM hotline_hub_in"
)
NUMBER_NEW = (  # some are held already: number the others in page order, with no gaps
    "INSERT INTO hotline_hub_event (seq, id, ticket, hlc, desk, actor, kind, payload)"
    " SELECT %(top)s + row_number() OVER (ORDER BY s.ord), s.id, s.ticket, s.hlc, s.desk, s.actor, s.kind, s.payload"
    " FROM (SELECT DISTINCT ON (id) * FROM hotline_hub_in ORDER BY id, ord) s"
    " WHERE NOT EXISTS (SELECT 1 FROM hotline_hub_event h WHERE h.id = s.id)"
    " ORDER BY s.ord"
)
PULL = ("SELECT seq, id, ticket, hlc, desk, actor, kind, payload FROM hotline_hub_event"
        " WHERE seq > %s ORDER BY seq LIMIT %s")


def once_each(rows: Sequence[EventRow]) -> Sequence[EventRow]:
    """The rows with each event id once (its first), so a page's places number its events without gaps."""
    seen: set[str] = set()
    kept = [row for row in rows if not (row[0] in seen or seen.add(row[0]))]
    return rows if len(kept) == len(rows) else kept


def lock_key(hub_id: str) -> int:
    """The advisory lock of one hub (a signed 63-bit number from its id)."""
    return uuid.UUID(hub_id).int >> 65


def normalise(url: str) -> str:
    scheme, rest = url.split("://", 1)
    if scheme.lower().startswith("postgresql+") or scheme.lower() == "postgres":
        scheme = "postgresql"
    return f"{scheme}://{rest}"


class PostgresHub:
    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.url = normalise(url)
        self.display = redact_url(url)
        self.timeout = timeout
        self.hub_id: str | None = None
        self._conn = None
        self._staged = False
        self._secret: str | None = None

    # -- connection -----------------------------------------------------------------------------
    def _fail(self, exc: BaseException, doing: str) -> HubError:
        import psycopg

        msg = safe_message(exc, self.url, self._secret)
        if isinstance(exc, psycopg.errors.QueryCanceled):
            return HubError(f"the hub {self.display} is too slow: no answer within {self.timeout:g} s while {doing}")
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            return HubError(f"the hub {self.display} refuses this desk while {doing}: {msg}")
        if isinstance(exc, psycopg.OperationalError) and self._conn is None:
            if "timeout" in msg.lower():
                return HubError(f"the hub {self.display} cannot be reached: no answer within {self.timeout:g} s")
            return HubError(f"the hub {self.display} cannot be reached: {msg}")
        return HubError(f"the hub {self.display} failed while {doing}: {msg}")

    def _connect(self):
        if self._conn is not None:
            return self._conn
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        try:
            params = conninfo_to_dict(self.url)
        except psycopg.Error:
            raise HubError(f"the hub URL {self.display} is not a valid postgresql:// URL") from None
        self._secret = params.get("password") or None
        extra = {"application_name": "hotline-sync"}
        if "connect_timeout" not in params:
            extra["connect_timeout"] = max(2, int(round(self.timeout)))
        try:
            conn = psycopg.connect(self.url, autocommit=True, **extra)
            conn.execute("SELECT set_config('statement_timeout', %s, false)", (f"{int(self.timeout * 1000)}ms",))
        except psycopg.Error as exc:
            raise self._fail(exc, "connecting") from None
        self._conn = conn
        return conn

    def _run(self, doing: str, fn):
        import psycopg

        conn = self._connect()
        try:
            return fn(conn)
        except psycopg.Error as exc:
            error = self._fail(exc, doing)
            self.close()  # the connection may be unusable; the next call reconnects
            raise error from None

    def init(self) -> tuple[str, bool]:
        """Create or upgrade the hub's tables (under a lock); returns (hub id, created now)."""

        def work(conn):
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (INIT_LOCK,))
                exists = conn.execute("SELECT to_regclass('hotline_hub_meta') IS NOT NULL").fetchone()[0]
                version = 0
                if exists:
                    row = conn.execute("SELECT value FROM hotline_hub_meta WHERE key = 'schema'").fetchone()
                    version = int(row[0]) if row else 0
                if version > HUB_SCHEMA:
                    raise HubError(f"the hub {self.display} was made by a newer hotline (hub schema {version}); upgrade this desk")
                for step in range(version + 1, HUB_SCHEMA + 1):
                    for ddl in MIGRATIONS[step]:
                        conn.execute(ddl)
                conn.execute("INSERT INTO hotline_hub_meta (key, value) VALUES ('schema', %s)"
                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(HUB_SCHEMA),))
                row = conn.execute("SELECT value FROM hotline_hub_meta WHERE key = 'hub_id'").fetchone()
                if row:
                    return row[0], False
                hub_id = str(uuid.uuid4())
                conn.execute("INSERT INTO hotline_hub_meta (key, value) VALUES ('hub_id', %s)", (hub_id,))
                return hub_id, True

        self.hub_id, created = self._run("creating its tables", work)
        return self.hub_id, created

    def open(self) -> str:
        if self.hub_id:
            return self.hub_id

        def work(conn):
            if not conn.execute("SELECT to_regclass('hotline_hub_meta') IS NOT NULL").fetchone()[0]:
                return {}
            return dict(conn.execute("SELECT key, value FROM hotline_hub_meta").fetchall())

        meta = self._run("opening", work)
        if "hub_id" not in meta or meta.get("schema") != str(HUB_SCHEMA):
            return self.init()[0]  # first sync: create (or upgrade) the hub
        self.hub_id = meta["hub_id"]
        return self.hub_id

    # -- the protocol ---------------------------------------------------------------------------
    def push(self, rows: Sequence[EventRow]) -> PushResult:
        import psycopg

        key = lock_key(self.open())
        rows = once_each(rows)

        def work(conn):
            with conn.transaction(), conn.cursor() as cur:
                if not self._staged:
                    cur.execute(STAGE)
                with cur.copy(COPY_IN) as copy:
                    copy.set_types(COPY_TYPES)
                    for i, row in enumerate(rows):
                        try:
                            copy.write_row((i, *row))
                        except (TypeError, ValueError, OverflowError) as exc:  # binary COPY checks types here
                            raise HubError(f"an event of this desk cannot be sent to the hub {self.display}: event"
                                           f" {str(row[0])[:40]!r} is malformed ({exc}); nothing of this page was sent") from None
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
                top = cur.execute("SELECT coalesce(max(seq), 0) FROM hotline_hub_event").fetchone()[0]
                try:
                    with conn.transaction():  # a savepoint
                        cur.execute(NUMBER_ALL, {"top": top})
                except psycopg.errors.UniqueViolation:
                    cur.execute(NUMBER_NEW, {"top": top})
                inserted = cur.rowcount
            self._staged = True
            return PushResult(top_before=top, inserted=inserted)

        return self._run("receiving events", work)

    def pull(self, after: int, limit: int) -> list[HubRow]:
        def work(conn):
            with conn.cursor() as cur:
                return cur.execute(PULL, (after, limit)).fetchall()

        return self._run("sending events", work)

    def enroll(self, code: str, desk_id: str, by: str, now_ms: int, *, reclaim: bool = False) -> DeskRow:
        self.open()

        def work(conn):
            with conn.transaction():
                if reclaim:
                    conn.execute("DELETE FROM hotline_hub_desk WHERE code = %s AND desk_id <> %s", (code, desk_id))
                written = conn.execute(f"INSERT INTO hotline_hub_desk ({DESK_COLS}) VALUES (%s, %s, %s, %s)"
                                       " ON CONFLICT (code) DO NOTHING", (code, desk_id, now_ms, by)).rowcount
                row = conn.execute(f"SELECT {DESK_COLS} FROM hotline_hub_desk WHERE code = %s", (code,)).fetchone()
            return DeskRow(*row, written=bool(written))

        return self._run("enrolling this desk", work)

    def desks(self) -> list[DeskRow]:
        self.open()

        def work(conn):
            return [DeskRow(*r) for r in conn.execute(f"SELECT {DESK_COLS} FROM hotline_hub_desk ORDER BY code")]

        return self._run("listing its desks", work)

    # -- upkeep ---------------------------------------------------------------------------------
    def replace_payloads(self, updates: Sequence[tuple[int, str]]) -> None:
        """Rewrite the payloads of events the hub holds, ``(seq, payload)``, in one transaction under the
        hub's lock (sealing a caller held in clear: privacy/reseal.py). An event keeps its seq and id."""
        key = lock_key(self.open())

        def work(conn):
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
                cur.executemany("UPDATE hotline_hub_event SET payload = %s WHERE seq = %s", [(p, s) for s, p in updates])

        self._run("rewriting events", work)

    def compact(self) -> None:
        """VACUUM the events table, so rewritten payloads' old row versions can be overwritten. (Their bytes
        stay in the table's file until then; ``VACUUM FULL hotline_hub_event`` in a quiet hour removes them.)"""
        self._run("compacting", lambda conn: conn.execute("VACUUM hotline_hub_event"))

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
                self._staged = False

