"""Remembered lookups: an answer from memory is exactly the answer worked out afresh.

The directory remembers recent answers (worked out to at least KEPT results) and ``prime`` works out the
one- and two-letter queries ahead. What must hold: the same results in the same order with the same
reasons as an uncached lookup, for every limit, with and without usage counts; new usage counts are not
answered from the old ones; odd limits and queries still give what they gave before.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline_tui.directory import load_directory
from hotline_tui.directory.directory import KEPT


@pytest.fixture(scope="module")
def directory():
    return load_directory()


def fresh(d, query, limit, usage=None):
    return d.rank(query, limit, usage)


@pytest.mark.parametrize("query", ["t", "sh", "taidong", "台东", "sbtd", "占道经营", "zz", "xq"])
def test_shorter_limits_from_memory_equal_fresh_answers(directory, query):
    directory.lookup(query, KEPT)  # remembered at KEPT
    for limit in (1, 3, 10, KEPT):
        assert directory.lookup(query, limit) == fresh(directory, query, limit)
    # a longer limit than remembered is worked out again, not cut short
    assert directory.lookup(query, KEPT + 20) == fresh(directory, query, KEPT + 20)


def test_new_usage_counts_are_not_answered_from_the_old(directory):
    plain = directory.lookup("街道", 10)
    usage = {m.code: 100 - i for i, m in enumerate(reversed(fresh(directory, "街道", 40)))}
    ranked = directory.lookup("街道", 10, usage)
    assert ranked == fresh(directory, "街道", 10, usage)
    assert ranked != plain  # the counts changed the order (and the reasons say 本台常用)
    assert any("本台常用" in m.reason for m in ranked)
    other = dict(usage)  # equal counts in another mapping: worked out again, same answer
    assert directory.lookup("街道", 10, other) == ranked
    assert directory.lookup("街道", 10) == plain


def test_prime_answers_the_first_keys_from_memory(directory):
    usage = {"370203021": 5}
    found = directory.prime(usage)
    assert 300 < found <= 26 + 26 * 26  # most one- and two-letter queries find something
    assert "sh" in directory._recent and "t" in directory._recent
    for q in ("t", "sh", "zh", "qd", "x"):
        assert directory.lookup(q, 10, usage) == fresh(directory, q, 10, usage)


def test_returned_lists_are_copies(directory):
    first = directory.lookup("td", 5)
    first.clear()
    assert directory.lookup("td", 5) == fresh(directory, "td", 5)


@pytest.mark.parametrize("query, limit", [("", 5), ("   ", 5), ("t", 0), ("t", -3), (None, 5), (123, 5), ("\x1b[31m台东", 5)])
def test_odd_input_gives_what_it_gave_before(directory, query, limit):
    # bad inputs tried: empty, blank, zero and negative limits, wrong types, an escape sequence
    expected = [] if not isinstance(query, str) or limit <= 0 else fresh(directory, query, limit)
    assert directory.lookup(query, limit) == expected
    assert directory.lookup(query, limit) == expected  # and again, from memory


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="abcdehgilnoqstuxyz台东市北区街道社 ", min_size=1, max_size=6), st.integers(1, 40))
def test_any_query_from_memory_equals_fresh(query, limit):
    d = _shared()
    d.lookup(query, limit)
    assert d.lookup(query, limit) == fresh(d, query, limit)
    assert d.lookup(query, max(1, limit // 2)) == fresh(d, query, max(1, limit // 2))


_DIRECTORY = []


def _shared():
    if not _DIRECTORY:
        _DIRECTORY.append(load_directory())
    return _DIRECTORY[0]
