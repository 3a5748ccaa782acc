"""Keywords of a month's requests, from what people wrote on them, counted with the store's full-text index.

The words counted are the taxonomy's keywords (data/categories.toml: the words a caller uses for each matter,
which intake's routing already matches) and its level-3 names, two characters or more. Each is looked up in
the bigram index ``event_text`` (store/search_index.py), limited by rowid to the month's tickets and to each
ticket's first text (``tid << 16 | 1``: what the caller said, the description with its address), so the
units' replies and notes do not count. A ticket counts once for a word. Nothing is made up: a word is
reported only when the month's texts hold it. Substrings are found inside longer words (动车 in 电动车):
data/analysis_keywords.toml lists the longer words in which a word does not count.

Why this way (tests/bench/bench_analysis.py measures it): the index answers a word with the rowids of the
documents holding it, already sorted, so the month's counts cost one indexed lookup per word; a scan of the
month's texts in Python costs a substring test per word and text. A word nested in a longer one that the same
tickets hold (垃圾 inside 垃圾桶, on exactly the same tickets) is left out as adding nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from hotline_tui.store import search_text
from hotline_tui.store.search_index import SHIFT, TABLE

MIN_CHARS = 2
FIRST_TEXT = 1  # a ticket's first document: the registration's description and address
# run on the sqlite3 connection under SQLAlchemy's (in its read transaction): a thousand small queries spent
# more time in SQLAlchemy's result machinery than in SQLite (measured: 0.42 s of 0.83 s on 16k requests)
_SQL = (f"SELECT rowid >> {SHIFT} FROM {TABLE} WHERE {TABLE} MATCH ? AND rowid >= ? AND rowid < ?"
        f" AND (rowid & {(1 << SHIFT) - 1}) = {FIRST_TEXT}")


@lru_cache(maxsize=1)
def inside_words() -> dict[str, tuple[str, ...]]:
    """{word: longer words in which it does not count} (data/analysis_keywords.toml)."""
    import tomllib

    from hotline_tui.resources import data_dir

    with (data_dir() / "analysis_keywords.toml").open("rb") as fh:
        doc = tomllib.load(fh)
    return {w: tuple(v) for w, v in doc.get("inside", {}).items()}


@lru_cache(maxsize=4096)
def word_match(word: str) -> str:
    """The MATCH expression of ``word``, leaving out the texts where it only stands inside a listed longer word."""
    expr = search_text.match_expression(word)
    longer = inside_words().get(word)
    if longer:
        expr = f"({expr}) NOT (" + " OR ".join(search_text.match_expression(w) for w in longer) + ")"
    return expr


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """The words counted: the shipped taxonomy's keywords and level-3 names, normalised as the index is,
    longest first."""
    from hotline_tui.routing.taxonomy import load_taxonomy

    words: set[str] = set()
    for c in load_taxonomy().categories:
        for w in (*c.keywords, c.path[2]):
            segs = search_text.segments(w)
            if len(segs) == 1 and len(segs[0]) >= MIN_CHARS:
                words.add(segs[0])
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def keyword_tickets(conn, tids: Iterable[int], words: Iterable[str]) -> dict[str, set[int]]:
    """{word: the tickets (tids, among ``tids``) whose texts hold it}, for the words found at least once."""
    tids = set(tids)
    if not tids:
        return {}
    lo, hi = min(tids) << SHIFT, (max(tids) + 1) << SHIFT
    raw = conn.connection.driver_connection
    out: dict[str, set[int]] = {}
    for word in words:
        found = {t for (t,) in raw.execute(_SQL, (word_match(word), lo, hi))}
        found &= tids
        if found:
            out[word] = found
    # a word inside a longer one found on exactly the same tickets adds nothing
    for word in sorted(out, key=len):
        if any(word != other and word in other and out[other] == out[word] for other in out):
            del out[word]
    return out


def top_keywords(hits: dict[str, set[int]], group_of: dict[int, tuple[str, ...]], limit: int) -> list[dict[str, list]]:
    """For each grouping (the i-th of the tuples ``group_of`` gives each ticket: its district, its industry …),
    {group: [(word, tickets)…] largest first}. The tickets are counted once per word by their tuple, then the
    tuples' counts are added up per grouping: counting each grouping over the tickets was 0.4 s a month on a
    1M store, most of the keywords' time."""
    width = len(next(iter(group_of.values()))) if group_of else 0
    counts: list[dict[str, Counter]] = [{} for _ in range(width)]
    keys: dict[tuple[str, ...], int] = {}
    id_of = {tid: keys.setdefault(key, len(keys)) for tid, key in group_of.items()}  # small ints count faster
    key_of = list(keys)
    for word, tids in hits.items():
        for k, n in Counter(map(id_of.get, tids)).items():
            if k is None:
                continue
            for i, g in enumerate(key_of[k]):
                c = counts[i].get(g)
                if c is None:
                    c = counts[i][g] = Counter()
                c[word] += n
    return [{g: _top(c, limit) for g, c in grouping.items()} for grouping in counts]


def month_top(hits: dict[str, set[int]], limit: int) -> list[tuple[str, int]]:
    """The month's words by the tickets holding them, largest first."""
    return _top(Counter({w: len(t) for w, t in hits.items()}), limit)


def _top(counter: Counter, limit: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
