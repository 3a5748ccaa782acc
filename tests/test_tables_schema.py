"""store/tables.py declares the schema the migrations build: the same tables, columns (names, types,
nullability, primary keys) and indexes (names, columns, partial WHERE)."""

from __future__ import annotations

import sqlite3

from sqlalchemy import inspect
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex
from sqlmodel import SQLModel

import hotline_tui.store.tables  # noqa: F401 - declares the tables on SQLModel.metadata
from hotline_tui.store.event_store import open_store


def test_tables_py_declares_the_migrated_schema(tmp_path):
    path = tmp_path / "store.sqlite"
    store = open_store(path)
    try:
        migrated = inspect(store.engine)
        # the full-text index (a virtual table and its shadow tables) is SQLite's own, not a model's
        names = {n for n in migrated.get_table_names() if not n.startswith("event_text")} - {"alembic_version"}
        declared = SQLModel.metadata.tables
        assert names == set(declared)
        for name in sorted(names):
            table = declared[name]
            assert [(c["name"], str(c["type"]), c["nullable"]) for c in migrated.get_columns(name)] == \
                [(c.name, c.type.compile(dialect=sqlite.dialect()), c.nullable) for c in table.columns], name
            assert migrated.get_pk_constraint(name)["constrained_columns"] == [c.name for c in table.primary_key], name
    finally:
        store.close()

    con = sqlite3.connect(path)
    try:
        built = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
        for name, table in SQLModel.metadata.tables.items():  # (the inspector skips indexes on expressions)
            on_table = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                                                  " AND tbl_name = ?", (name,))}
            assert on_table == {ix.name for ix in table.indexes}, name
    finally:
        con.close()
    assert built == {ix.name: str(CreateIndex(ix).compile(dialect=sqlite.dialect()))
                     for table in SQLModel.metadata.tables.values() for ix in table.indexes}
