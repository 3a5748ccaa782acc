"""Keyset pages of a filtered list: every sort, forward from the first page and backward from the last, gives
the same complete order across equal sort values (none skipped, none twice); cursors from ``next`` page on and
bad cursors are refused; a page never depends on OFFSET. And the ways a page is found (SQLite's plan, the
sort's index walked, the matches sorted) give the same rows."""

from __future__ import annotations

import pytest

from hotline_tui.errors import InputError
from hotline_tui.query.order import SORTS, decode_cursor, encode_cursor
from hotline_tui.store.ticket_query import _page
from tests import querykit

FILTERS = ("", "unfinished", "nature:投诉 age<60d", "repeat>=1 -flag:merged")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return querykit.build(tmp_path_factory.mktemp("pages"))


def in_python_order(truth, numbers, sort: str) -> list[str]:
    t = truth.tickets
    no_due = 1 << 53
    keys = {
        "due": lambda n: (t[n].due_ms if t[n].due_ms is not None else no_due, n),
        "age": lambda n: (t[n].registered_ms, n),
        "new": lambda n: (-t[n].registered_ms, tuple(-ord(c) for c in n)),
        "repeats": lambda n: (-t[n].call_count, -t[n].registered_ms, tuple(-ord(c) for c in n)),
        "unit": lambda n: (t[n].lead_unit or "", t[n].due_ms if t[n].due_ms is not None else no_due, n),
    }
    return sorted(numbers, key=keys[sort])


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("text", FILTERS)
def test_pages_forward_and_backward_give_one_complete_order(store, sort, text):
    desk, truth = store
    forward, after = [], None
    while True:
        page = desk.query_page(text, sort=sort, after=after, limit=37)
        forward += [r["number"] for r in page["rows"]]
        after = page["next"]
        if after is None:
            break
    backward: list[str] = []
    page = desk.query_page(text, sort=sort, last=True, limit=37)
    while True:
        backward[:0] = [r["number"] for r in page["rows"]]
        if page["prev"] is None:
            break
        page = desk.query_page(text, sort=sort, before=page["prev"], limit=37)
    assert forward == backward
    assert len(forward) == len(set(forward)) == desk.query_count(text)
    assert forward == in_python_order(truth, forward, sort)
    if sort == "repeats":  # the order holds many equal call counts: the ticket number decides among them
        assert len({truth.tickets[n].call_count for n in forward}) < len(forward) / 10


def test_every_way_to_a_page_gives_the_same_rows(store):
    desk, _ = store
    for text in FILTERS:
        for name, sort in SORTS.items():
            c = desk.compile_filter(text, name)
            with desk.store.read() as conn:
                found = [[r["number"] for r in _page(conn, c.where, c.params, sort, None, False, 25, way, sort.unfinished_index if c.unfinished and sort.unfinished_index else "")]
                         for way in ("planned", "walked", "sorted")]
            assert found[0] == found[1] == found[2], (text, name)


def test_a_cursor_pages_on_and_a_bad_one_is_refused(store):
    desk, _ = store
    first = desk.query_page("unfinished", sort="due", limit=5)
    second = desk.query_page("unfinished", sort="due", after=first["next"], limit=5)
    both = desk.query_page("unfinished", sort="due", limit=10)
    assert [r["number"] for r in first["rows"] + second["rows"]] == [r["number"] for r in both["rows"]]
    sort = SORTS["due"]
    assert decode_cursor(encode_cursor(sort, (123, "QD-X")), sort) == (123, "QD-X")
    for bad in ("", "!!!", "x" * 500, encode_cursor(SORTS["age"], (1, "QD")), "eyJhIjoxfQ", "WzEsMiwzXQ"):
        with pytest.raises(InputError):
            desk.query_page("unfinished", sort="due", after=bad)
    with pytest.raises(InputError):
        desk.query_page("", limit=0)
    with pytest.raises(InputError):
        desk.query_page("", sort="sideways")


def test_a_count_no_longer_wanted_stops_and_says_so(store):
    """A screen's count of a filter already typed past stops (None) and leaves the connection usable; one still
    wanted counts what matches."""
    desk, _ = store
    calls = []

    def stop_after_some():
        calls.append(1)
        return len(calls) > 2

    scan = "repeat>=1 -flag:merged"  # read row by row: many more steps than the store's 1,500 tickets
    assert desk.query_count(scan, stop=stop_after_some) is None and len(calls) > 2
    assert desk.query_count(scan, stop=lambda: False) == len(querykit.matches(desk, scan))
    assert desk.query_count("", stop=lambda: False) == desk.query_count("") == len(querykit.matches(desk, ""))
    assert desk.query_count("open", stop=lambda: False) == desk.query_count("open") == len(querykit.matches(desk, "open"))
