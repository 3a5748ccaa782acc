"""Full-text search over event texts (descriptions, replies, progress, notes): overlapping-bigram indexing.

The technique, chosen by measurement (tests/bench/bench_fts.py, README "Measurements"):

- Text is normalised character by character: NFKC (full-width digits and letters become half-width,
  ①→1, ㎡→m2), case folded; every character that is not a letter, digit or mark (punctuation, spaces,
  symbols, control characters, escape sequences, lone surrogates) becomes a separator. The runs between
  separators are *segments*.
- Each segment ``c1 c2 … cn`` is stored as the tokens ``c1c2 c2c3 … c(n-1)cn cn``: every overlapping
  bigram and the last character alone, so that every character starts exactly one token.
- FTS5 with the ``ascii`` tokenizer keeps those tokens as they are (the ascii tokenizer splits on ASCII
  spaces and punctuation only, and our tokens hold neither); the table is contentless: the texts stay in
  the event log, the index holds only the tokens' positions.
- A query word of two or more characters becomes the phrase of its bigrams (``漏水`` → ``"漏水"``,
  ``3号楼`` → ``"3号 号楼"``): consecutive bigrams at consecutive positions can only come from one
  segment, so a document matches exactly when the word is a substring of one of its segments. A word of
  one character becomes the prefix query ``"漏"*`` (the tokens that start with it). Several words must all
  be there (AND).

So a query finds exactly the documents that contain each of its words as a substring, once both are
normalised, for Chinese of any length, mixed Chinese and digits (``3号楼`` also finds ``13号楼``, as a
substring scan would) and latin or digit words (matched as substrings too, not only as whole words or
prefixes: ``ab`` finds ``cab``). A query word never matches across a separator: ``漏水`` does not find
``漏，水``. Normalisation works on single characters, so it never joins a letter to a combining mark
written separately (``é`` as e + U+0301 is not ``é``): no matter for Chinese text.

Interface for the store (the caller picks the table name and the rowid, an event's seq):

    conn.execute(fts_ddl("event_text"))
    conn.execute(insert_sql("event_text"), (seq, index_text(text)))
    conn.execute(search_sql("event_text"), (match_expression(query),))      # rowids, ascending
    matching_rowids(conn, "event_text", query)                              # the same, as a list
    conn.execute(clear_sql("event_text")); conn.execute(optimize_sql("event_text"))   # on rebuild
"""

from __future__ import annotations

import operator
import re
import sqlite3
import unicodedata

from hotline_tui.errors import InputError

# a query longer than this is refused: a search box, not a document (the longest description is 4,000)
MAX_QUERY_CHARS = 1000
# FTS5 nests AND nodes; far below its depth limit of 256
MAX_QUERY_WORDS = 32

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}\Z")


class _CharMap(dict):
    """``str.translate`` table filled on first sight of each character: NFKC, case fold, and a space for
    anything that is not a letter, digit or mark. Bounded so that hostile text cannot grow it forever."""

    LIMIT = 1 << 16

    def __missing__(self, code: int) -> str:
        out = "".join(c if unicodedata.category(c)[0] in "LNM" else " "
                      for c in unicodedata.normalize("NFKC", chr(code)).casefold())
        if len(self) < self.LIMIT:
            self[code] = out
        return out


_CHARS = _CharMap()


def normalise(text: str) -> str:
    """``text`` with each character normalised and each non-searchable character turned into a space."""
    return text.translate(_CHARS)


def segments(text: str) -> list[str]:
    """The searchable runs of ``text`` after normalisation (``"3号楼,漏水"`` → ``["3号楼", "漏水"]``)."""
    return normalise(text).split()


def index_text(text: str) -> str:
    """What to store in the index for one document: its tokens separated by spaces ("" when the text has
    nothing searchable; such a document need not be inserted)."""
    tokens: list[str] = []
    for segment in segments(text):
        tokens.extend(map(operator.add, segment, segment[1:]))  # the overlapping bigrams
        tokens.append(segment[-1])
    return " ".join(tokens)


def query_words(query: str) -> list[str]:
    """The normalised words of a query that must all be found, without duplicates and without a word
    contained in another one (it adds nothing), in the order typed. Raises InputError when there are none
    or the query is too long."""
    if not isinstance(query, str):
        raise InputError(f"search text must be text, not {type(query).__name__}")
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(f"search text is {len(query):,} characters long; at most {MAX_QUERY_CHARS:,} are allowed")
    found = list(dict.fromkeys(segments(query)))
    words = [w for w in found if not any(w != other and w in other for other in found)]
    if not words:
        raise InputError("search text has nothing to search for: give Chinese characters, letters or digits")
    if len(words) > MAX_QUERY_WORDS:
        raise InputError(f"search text has {len(words)} words; at most {MAX_QUERY_WORDS} are allowed")
    return words


def _word_expression(word: str) -> str:
    # a word holds letters, digits and marks only (no quote, no space), so quoting it is safe
    if len(word) == 1:
        return f'"{word}"*'
    return '"' + " ".join(word[i:i + 2] for i in range(len(word) - 1)) + '"'


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression for ``query``: every word quoted, joined by AND; nothing typed can reach
    FTS5 as syntax (quotes, ``*``, ``^``, NEAR, AND/OR/NOT, parentheses and ``col:`` are separators or
    plain letters here)."""
    return " AND ".join(_word_expression(w) for w in query_words(query))


def _table(table: str) -> str:
    if not _IDENTIFIER.match(table):
        raise ValueError(f"not a plain table name: {table!r}")
    return table


def fts_ddl(table: str) -> str:
    """CREATE VIRTUAL TABLE for the index. Contentless (``content=''``): the texts are in the event log and
    documents are only ever appended, so the index need not keep a second copy; without column sizes
    (nothing is ranked). ``detail=full`` keeps token positions, which the phrase queries need."""
    return (f"CREATE VIRTUAL TABLE IF NOT EXISTS {_table(table)} USING fts5("
            "body, content='', columnsize=0, detail=full, tokenize='ascii')")


def insert_sql(table: str) -> str:
    """INSERT of one document: parameters (rowid, index_text(text))."""
    return f"INSERT INTO {_table(table)}(rowid, body) VALUES (?, ?)"


def search_sql(table: str) -> str:
    """SELECT of the matching rowids in ascending order: one parameter, ``match_expression(query)``.
    Usable as a subquery: ``… WHERE event.seq IN (<search_sql>)``."""
    return f"SELECT rowid FROM {_table(table)} WHERE {_table(table)} MATCH ?"


def clear_sql(table: str) -> str:
    """Removes every document (a contentless table cannot delete one by one): before a full rebuild."""
    return f"INSERT INTO {_table(table)}({_table(table)}) VALUES ('delete-all')"


def optimize_sql(table: str) -> str:
    """Merges the index into one segment: after a rebuild or bulk load (smaller, faster queries)."""
    return f"INSERT INTO {_table(table)}({_table(table)}) VALUES ('optimize')"


def matching_rowids(conn: sqlite3.Connection, table: str, query: str) -> list[int]:
    """The rowids of the documents that contain every word of ``query``, ascending."""
    return [r for (r,) in conn.execute(search_sql(table), (match_expression(query),))]
