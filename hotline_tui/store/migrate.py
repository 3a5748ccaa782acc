"""Schema versions. A store records its version in ``alembic_version``; opening an older store
upgrades it in place (data kept); a store from a newer desk is refused rather than damaged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from hotline_tui.errors import StoreError

HEAD = "0012"
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011", "0012")


def current_version(path: Path) -> str | None:
    """The store's schema version, read with plain sqlite3 (cheap: no Alembic import when up to date)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=3)
    try:
        has = con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        if not has:
            tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise StoreError(f"the store {path} is an SQLite file but not a hotline store")
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        con.close()


def _run(engine: Engine, step: str, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, step)(cfg, target)


def upgrade(engine: Engine, target: str = "head") -> None:
    _run(engine, "upgrade", target)


def downgrade(engine: Engine, target: str) -> None:
    """Take the store back to schema ``target`` (tests make older stores with it)."""
    _run(engine, "downgrade", target)


def ensure_schema(engine: Engine, path: Path) -> str | None:
    """Bring the store to HEAD; returns the version it had before (None for a new store)."""
    before = current_version(path)
    if before == HEAD:
        return before
    if before is not None and before not in REVISIONS:
        raise StoreError(f"the store {path} was made by a newer hotline (schema {before}); upgrade this desk")
    upgrade(engine)
    return before
