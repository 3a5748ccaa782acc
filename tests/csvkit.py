"""Building CSV files of historical tickets for the import tests, and a dump of a store to compare."""

from __future__ import annotations

import csv
import io
import sqlite3

from hotline_tui.exchange.csv_format import COLUMNS

HEADERS = [c.header for c in COLUMNS]


def row(**cells) -> dict[str, str]:
    """One ticket's cells by column key; the rest empty."""
    unknown = set(cells) - {c.key for c in COLUMNS}
    assert not unknown, unknown
    return {c.key: str(cells.get(c.key, "")) for c in COLUMNS}


def csv_text(rows: list[dict[str, str]], headers: list[str] | None = None) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(headers or HEADERS)
    for r in rows:
        w.writerow([r[c.key] for c in COLUMNS])
    return out.getvalue()


def dump(path) -> list[str]:
    """Every table's rows of the store (schema included), to compare before and after."""
    out = []
    with sqlite3.connect(path) as con:
        tables = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
        for name, sql in tables:
            out.append(sql)
            if not sql.upper().startswith("CREATE VIRTUAL"):  # a full-text table's rows are in its shadow tables
                out += [f"{name}: {r!r}" for r in con.execute(f'SELECT * FROM "{name}"').fetchall()]
    return sorted(out)
