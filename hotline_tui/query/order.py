"""Sort keys of a ticket list and their keyset cursors: a page starts after (or before) the key of a row,
never at an OFFSET, so the millionth row costs what the first does.

Every key ends in the ticket number, so rows with equal sort values still have one order and no row is
skipped or shown twice across pages. A cursor is the sort's name and the key values of one row, as
opaque URL-safe text for ``hotline query --after``.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from hotline_tui.errors import InputError


@dataclass(frozen=True)
class Sort:
    name: str
    columns: tuple[str, ...]  # SQL expressions over ``t``, in key order
    index: str  # the store's index that holds the tickets in this order (schema 0005)
    descending: bool = False
    unfinished_index: str = ""  # the same order over unfinished tickets only, where the store has one

    def order_by(self, backwards: bool = False, *, sorted_here: bool = False) -> str:
        """ORDER BY's list; ``sorted_here`` writes the first key as ``+key``, which no index can give in
        order, so SQLite finds the rows by the filter's best index and sorts them itself."""
        desc = self.descending != backwards
        return ", ".join(f"{'+' if sorted_here and i == 0 else ''}{c} {'DESC' if desc else 'ASC'}"
                         for i, c in enumerate(self.columns))

    def after(self, marks: list[str], backwards: bool = False) -> str:
        """The keyset condition: rows after the key bound to ``marks`` in this order (before it, backwards)."""
        desc = self.descending != backwards
        return f"({', '.join(self.columns)}) {'<' if desc else '>'} ({', '.join(marks)})"

    def key_of(self, row: dict) -> tuple:
        return tuple(row[k] for k in self.key_names)

    @property
    def key_names(self) -> tuple[str, ...]:
        return tuple(f"k{i}" for i in range(len(self.columns)))

    def select_keys(self) -> str:
        return ", ".join(f"{c} AS k{i}" for i, c in enumerate(self.columns))


SORTS: dict[str, Sort] = {s.name: s for s in (
    Sort("due", ("t.due_key", "t.number"), "ix_ticket_due", unfinished_index="ix_ticket_unfinished_due"),
    Sort("age", ("t.registered_ms", "t.number"), "ix_ticket_registered", unfinished_index="ix_ticket_unfinished_age"),
    Sort("new", ("t.registered_ms", "t.number"), "ix_ticket_registered", descending=True,
         unfinished_index="ix_ticket_unfinished_age"),
    Sort("repeats", ("t.call_count", "t.registered_ms", "t.number"), "ix_ticket_calls", descending=True),
    Sort("unit", ("ifnull(t.lead_unit, '')", "t.due_key", "t.number"), "ix_ticket_unit_due"),
)}


def sort_named(name: str) -> Sort:
    try:
        return SORTS[name]
    except KeyError:
        raise InputError(f"cannot sort by {name!r}; sort by {', '.join(SORTS)}") from None


def encode_cursor(sort: Sort, key: tuple) -> str:
    raw = json.dumps([sort.name, *key], ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str, sort: Sort) -> tuple:
    """The key a cursor holds, checked against ``sort``'s key shape; InputError for anything else."""
    bad = InputError("that cursor is not one `hotline query` printed (use the \"next\" of its --json output)")
    if not isinstance(text, str) or not 0 < len(text) <= 400 or not text.replace("-", "").replace("_", "").isalnum():
        raise bad
    try:
        value = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(value, list) or len(value) != len(sort.columns) + 1:
        raise bad
    if value[0] != sort.name:
        raise InputError(f"that cursor belongs to sort:{value[0]}, not sort:{sort.name}")
    key = tuple(value[1:])
    if not all(isinstance(v, (int, str)) and not isinstance(v, bool) for v in key) or not isinstance(key[-1], str):
        raise bad
    return key
