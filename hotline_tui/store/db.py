"""Opening the store: SQLite in WAL mode, write transactions that take the lock up front,
``synchronous=FULL`` so an acknowledged action survives a crash, and errors a person can act on."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from hotline_tui.errors import StoreError

BUSY_TIMEOUT_MS = 3000


def _explain(path: Path, exc: BaseException) -> StoreError:
    msg = str(getattr(exc, "orig", exc) or exc).lower()
    if "locked" in msg or "busy" in msg:
        return StoreError(f"the store {path} is locked by another program; try again in a moment")
    if "readonly" in msg or "read-only" in msg or "attempt to write" in msg:
        return StoreError(f"the store {path} is read-only; nothing was written")
    if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
        return StoreError(f"the store {path} is not a hotline store or is damaged ({msg.strip()}); nothing was written")
    if "unable to open" in msg:
        return StoreError(f"the store {path} cannot be opened (check the folder exists and is writable)")
    if "disk" in msg and ("full" in msg or "i/o" in msg):
        return StoreError(f"the store {path} could not be written: {msg.strip()}")
    return StoreError(f"the store {path} failed: {msg.strip()}")


@contextlib.contextmanager
def store_errors(path: Path):
    """Turn SQLite's errors into one clear StoreError line."""
    try:
        yield
    except StoreError:
        raise
    except (OperationalError, DatabaseError, sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
        raise _explain(path, exc) from None


def check_file(path: Path, *, create: bool) -> None:
    if path.exists():
        if path.is_dir():
            raise StoreError(f"the store {path} is a folder, not a file")
        if path.stat().st_size and path.stat().st_size < 100:
            raise StoreError(f"the store {path} is not a hotline store or is damaged (too short)")
        if path.stat().st_size >= 16:
            with path.open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise StoreError(f"the store {path} is not a hotline store or is damaged (not an SQLite file)")
        # the mode bits too: root may write anything, but a store marked read-only is meant to stay so
        if not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:
            raise StoreError(f"the store {path} is read-only; nothing was written")
        owner_only(path)
    elif not create:
        raise StoreError(f"there is no store at {path}")
    else:
        try:
            _make_folder(path.parent)
            # An empty file is a new SQLite database; made here so that it, and the -wal and -shm files
            # SQLite later makes with the same mode, are its owner's alone from the start.
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))
        except FileExistsError:
            pass  # another process made it first: opened as it is
        except OSError as exc:
            raise StoreError(f"cannot create the store {path}: {exc.strerror}") from None


PRIVATE_FILE = 0o600  # the store holds callers' names and numbers: readable by its owner alone
PRIVATE_FOLDER = 0o700


def _make_folder(folder: Path) -> None:
    """Make ``folder`` and its missing parents owner-only (an existing folder is left as it is)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for f in reversed(missing):
        f.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)


def owner_only(path: Path) -> None:
    """Take the group's and others' bits off the store and its -wal and -shm files where we own them (a store
    made by an older version was 0644); the owner's bits stay, so a read-only store stays read-only."""
    for f in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            st = f.stat()
            if st.st_mode & 0o077 and st.st_uid == os.getuid():
                os.chmod(f, st.st_mode & 0o700)
        except OSError:
            pass  # gone, or not ours: SQLite says what matters when it opens the store


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # Writes take the lock at the start: no deadlock between two desks upgrading a read to a write.
        # Reads (execution option hotline_read) begin deferred and never wait for a writer (WAL).
        if conn.get_execution_options().get("hotline_read"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
