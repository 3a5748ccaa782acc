"""Full-text search (hotline_tui.store.search_text) against a real FTS5 table in memory.

What a search must do: find exactly the documents that contain every word of the query as a substring,
after the same normalisation (full-width to half-width, case folded, punctuation and control characters
as separators), for Chinese words of any length (two-character words such as 漏水 噪音 停电 暖气 are the
common case), Chinese mixed with digits (3号楼) and latin or digit words.

Bad queries tried (each either refused with a readable InputError or searched as plain words, never
reaching FTS5 as syntax, never failing inside SQLite): empty and blank text, only punctuation, lone and
doubled double quotes, unbalanced quotes and parentheses, ``*`` and ``^`` (prefix and initial-token
syntax), NEAR(...), AND / OR / NOT written in any case, a column filter (``body:``, ``{body}:``), ``+``
and ``-``, SQL (``'; DROP TABLE t; --``), ``%`` and ``_``, NUL and other control characters, a
terminal escape sequence, bidirectional overrides, a lone surrogate, emoji, a non-string, 33 distinct
words, a 1,000-character query (accepted) and a 100,000-character one (refused).
"""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hotline_tui.errors import InputError
from hotline_tui.store import search_text as st_text
from hotline_tui.store.search_text import (
    clear_sql,
    fts_ddl,
    index_text,
    insert_sql,
    match_expression,
    matching_rowids,
    normalise,
    optimize_sql,
    query_words,
)

TABLE = "event_text"


def index(docs: list[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(fts_ddl(TABLE))
    conn.executemany(insert_sql(TABLE), ((i, index_text(d)) for i, d in enumerate(docs, 1)))
    return conn


def found(conn: sqlite3.Connection, query: str) -> set[int]:
    return set(matching_rowids(conn, TABLE, query))


def scan(docs: list[str], query: str) -> set[int]:
    """The oracle: a plain substring scan of the normalised texts for every query word."""
    words = query_words(query)
    return {i for i, d in enumerate(docs, 1) if all(w in normalise(d) for w in words)}


# a small alphabet so that random queries often occur: Chinese, digits, latin, their full-width forms,
# FTS5 syntax characters, Chinese punctuation, spaces and control characters
CHARS = list("漏水噪音停电暖气号楼小区3号12") + list("0123456789abcABCnearNEARor") + list("３４ＡＢｃ") \
    + list(' "*^():+-,.，。！、\t\n\u3000\x00\x1b\u202e')
# and a tiny one, so that a query's bigrams are often all present but not next to each other
TINY = list("漏水3号楼a，")
texts = st.one_of(st.text(alphabet=st.sampled_from(CHARS), max_size=60),
                  st.text(alphabet=st.sampled_from(TINY), max_size=30))


@settings(max_examples=300, deadline=None)
@given(docs=st.lists(texts, min_size=1, max_size=8), data=st.data())
def test_a_substring_of_a_document_finds_it(docs, data):
    which = data.draw(st.integers(0, len(docs) - 1))
    doc = docs[which]
    start = data.draw(st.integers(0, len(doc)))
    query = doc[start:data.draw(st.integers(start, len(doc)))]
    assume(normalise(query).split())
    conn = index(docs)
    got = found(conn, query)
    assert which + 1 in got
    assert got == scan(docs, query)


@settings(max_examples=300, deadline=None)
@given(docs=st.lists(texts, min_size=1, max_size=8), query=texts)
def test_any_query_finds_exactly_what_a_substring_scan_finds(docs, query):
    assume(normalise(query).split())
    assert found(index(docs), query) == scan(docs, query)


@settings(max_examples=300, deadline=None)
@given(word=st.text(alphabet=st.sampled_from(TINY[:-1]), min_size=3, max_size=6), data=st.data())
def test_a_words_bigrams_present_but_apart_do_not_match(word, data):
    # every bigram of the word is in the document, in any order, with anything between them
    pairs = [word[i:i + 2] for i in range(len(word) - 1)]
    order = data.draw(st.permutations(pairs))
    glue = data.draw(st.lists(st.text(alphabet=st.sampled_from(TINY), max_size=2), min_size=len(order), max_size=len(order)))
    doc = "".join(p + g for p, g in zip(order, glue))
    assert found(index([doc]), word) == scan([doc], word)


@settings(max_examples=200, deadline=None)
@given(doc=st.text(max_size=80), query=st.text(min_size=1, max_size=10))
def test_any_unicode_text_is_indexed_and_searched_without_error(doc, query):
    # every code point hypothesis can make, surrogates and controls included
    conn = index([doc])
    if not normalise(query).split():
        with pytest.raises(InputError):
            match_expression(query)
        return
    assert found(conn, query) == scan([doc], query)


SENTENCES = [
    "幸福名邸小区3号楼楼上漏水，家里天花板都湿了",          # 1
    "楼下烧烤店晚上噪音很大，影响休息",                      # 2
    "台东三路一带昨晚停电三个小时，没有任何通知",            # 3
    "供暖季已开始，家里暖气不热，室温只有十四度",            # 4
    "13号楼电梯坏了一周，老人上下楼困难",                   # 5
    "３号楼门口垃圾桶满溢无人清运",                          # 6 full-width digit
    "反映暖，气费收取问题",                                  # 7 a separator between 暖 and 气
    "建议在12345 APP上增加进度查询",                        # 8
    "已协调供电公司抢修，来电人表示满意",                    # 9
    "1号和2号楼都停水了",                                    # 10: 1号 and 号楼, not 1号楼
]


@pytest.mark.parametrize(("query", "expected"), [
    ("漏水", {1}),
    ("噪音", {2}),
    ("停电", {3}),
    ("暖气", {4}),            # not 7: 暖，气 is two words
    ("3号楼", {1, 5, 6}),      # a substring, so 13号楼 too; full-width ３ is 3
    ("13号楼", {5}),
    ("３号楼", {1, 5, 6}),     # the query is normalised the same way
    ("号楼", {1, 5, 6, 10}),
    ("1号楼", set()),          # its bigrams are in 10, but not next to each other
    ("楼", {1, 2, 5, 6, 10}),      # one character: the token that starts with it, also at the end of a run
    ("水", {1, 10}),
    ("气", {4, 7}),
    ("停电 通知", {3}),        # all words
    ("停电 暖气", set()),
    ("停电，通知", {3}),       # punctuation separates words like a space
    ("app", {8}),             # case folded
    ("APP 12345", {8}),
    ("234", {8}),             # digits match as substrings too
    ("供电公司抢修", {9}),
    ("协调供电公司抢修，来电人表示满意", {9}),
    ("漏水了", set()),
])
def test_realistic_requests(query, expected):
    assert found(index(SENTENCES), query) == expected


def test_index_text_is_bigrams_and_the_last_character_of_each_run():
    assert index_text("3号楼漏水") == "3号 号楼 楼漏 漏水 水"
    assert index_text("Ａ座，噪音！") == "a座 座 噪音 音"
    assert index_text("  \x1b[31m  ") == "31 1m m"  # ESC and [ are separators
    assert index_text("。。。") == ""


def test_normalise_folds_width_and_case_and_drops_controls():
    assert normalise("３号楼ＡＢｃ") == "3号楼abc"
    assert normalise("漏水\x00\x1b\u202e噪音") == "漏水   噪音"
    assert normalise("①㎡") == "1m2"
    assert normalise("\ud800漏") == " 漏"


def test_no_code_point_normalises_to_a_character_the_ascii_tokenizer_would_split_on():
    # the index relies on it: a token must reach FTS5 whole, so it may hold no space and no ASCII punctuation
    out = normalise("".join(map(chr, range(0x110000))))
    assert {c for c in out if c != " " and (c.isspace() or (c.isascii() and not c.isalnum()))} == set()
    assert "3" in out and "漏" in out and "a" in out and "A" not in out


@pytest.mark.parametrize("query", [
    "", "   ", "\t\n", '"', '""', "*", "^", "()", "%", "_", "，。！", "\x00", "\x1b[", "\ud800", "🔥", "-+",
])
def test_a_query_with_nothing_searchable_is_refused_with_a_reason(query):
    with pytest.raises(InputError, match="nothing to search for"):
        match_expression(query)


@pytest.mark.parametrize(("query", "expected"), [
    ('"漏水', {1}),
    ('漏水"', {1}),
    ('"漏水" OR "噪音"', set()),     # OR is a word here, not an operator
    ("漏水 or 噪音", set()),
    ("NOT 漏水", set()),
    ("漏水 AND", set()),
    ("NEAR(漏水 噪音)", set()),
    ("漏*", {1}),                    # * is a separator: the one-character word 漏
    ("^漏水", {1}),
    ("(漏水", {1}),
    ("body:漏水", set()),            # body is a word, not a column filter
    ("{body}:漏水", set()),
    ("-漏水", {1}),
    ("+漏水", {1}),
    ("'; DROP TABLE event_text; --", set()),
    ("漏%", {1}),
    ("噪_音", {2}),                  # _ separates: the words 噪 and 音
    ("\x1b[31m漏水\x1b[0m", set()),  # 31m漏水 and 0m are the words
    ("漏水\x00", {1}),
    ("\u202e漏水", {1}),
])
def test_hostile_queries_are_plain_words(query, expected):
    conn = index(SENTENCES)
    assert found(conn, query) == expected
    assert conn.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH '\"漏水\"'").fetchone() == (1,)


def test_every_word_of_the_expression_is_quoted():
    assert match_expression('漏水 3号楼 楼 "x" OR y*') == '"漏水" AND "3号 号楼" AND "x"* AND "or" AND "y"*'
    # 楼 is inside 3号楼, so it adds nothing and is dropped
    assert query_words("3号楼 楼 3号楼") == ["3号楼"]


def test_too_long_or_too_many_words_is_refused_and_the_limit_is_accepted():
    conn = index(SENTENCES)
    with pytest.raises(InputError, match="100,000 characters long; at most 1,000"):
        match_expression("漏" * 100_000)
    with pytest.raises(InputError, match="33 words; at most 32"):
        match_expression(" ".join(f"{i:02d}漏" for i in range(33)))
    with pytest.raises(InputError, match="must be text"):
        match_expression(None)  # type: ignore[arg-type]
    assert found(conn, "漏" * 1000) == set()  # one word of 1,000 characters: a phrase of 999 bigrams
    assert found(conn, (SENTENCES[8] * 70)[:1000]) == set()
    assert found(conn, " ".join(f"{i:02d}" for i in range(32))) == set()


def test_the_index_is_contentless_cleared_whole_and_rebuilt():
    conn = index(SENTENCES)
    # no copy of the text: it stays in the event log
    assert conn.execute(f"SELECT body FROM {TABLE} WHERE {TABLE} MATCH ?", (match_expression("漏水"),)).fetchall() == [(None,)]
    conn.execute(clear_sql(TABLE))
    assert found(conn, "漏水") == set()
    conn.executemany(insert_sql(TABLE), ((i * 10, index_text(d)) for i, d in enumerate(SENTENCES, 1)))
    conn.execute(optimize_sql(TABLE))
    assert found(conn, "漏水") == {10}
    assert matching_rowids(conn, TABLE, "楼") == [10, 20, 50, 60, 100]  # ascending rowids


@pytest.mark.parametrize("name", ["t; DROP TABLE event", "event text", "", "1abc", "t" * 64, 'a"b'])
def test_a_table_name_that_is_not_a_plain_identifier_is_refused(name):
    for make in (fts_ddl, insert_sql, st_text.search_sql, clear_sql, optimize_sql):
        with pytest.raises(ValueError):
            make(name)
