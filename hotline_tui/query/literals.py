"""Vocabulary codes written into the SQL as literals, where SQLite must see them to use a partial index: it
uses one only for a query whose WHERE states the index's condition word for word. Only codes of the
project's own vocabulary get here, never a person's text (that is always a bound parameter)."""

from __future__ import annotations

import re
from collections.abc import Iterable

UNFINISHED = "t.state NOT IN ('closed', 'merged', 'transferred')"  # store/intake_queries.UNFINISHED, over ``t``
COMMITTED = "t.commit_due_ms IS NOT NULL"  # store/tables.COMMITTED over ``t``: the commitments' partial index (0011)
# Where a full-text condition (store/search_index.condition) may take a bound on its rowids (compile.bound_text)
TEXT_FLOOR = "/*text-floor*/"
_CODE = re.compile(r"^[a-z_]+$")


def literal_list(codes: Iterable[str]) -> str:
    out = []
    for code in codes:
        if not _CODE.match(code):  # only the code's own vocabulary gets here; anything else is a bug
            raise ValueError(f"not a vocabulary code: {code!r}")
        out.append(f"'{code}'")
    return ", ".join(out)


def flag_condition(code: str) -> str:
    """A ticket has flag ``code`` (the form the flag indexes of schema 0005 are declared with)."""
    return f"instr(' ' || t.flags || ' ', ' {literal_list([code])[1:-1]} ') > 0"
