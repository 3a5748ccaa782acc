"""The filter language's syntax and its errors: a filter that cannot be read says why, at the characters at
fault, in words a supervisor can act on, and changes nothing.

Bad input tried: empty and blank filters; unknown fields (with a near miss); unknown bare words; a field with
no value or a wrong operator; values of the wrong kind (a word for a count, a bad date, a bad duration, a
number out of range, an unknown unit, state, channel or category); quotes never closed and stray quotes;
unbalanced and empty brackets; "or", "and", "not" with a side missing; two sort: terms, a sort: inside
brackets; SQL and FTS syntax as values (' ; -- % _ * DROP TABLE, UNION SELECT, NEAR, col:); a 100,000-character
filter; control characters, a terminal escape sequence, a bidi override, NUL; full-width forms typed by an IME;
deep nesting."""

from __future__ import annotations

import pytest

from hotline_tui.errors import InputError
from hotline_tui.query.syntax import All, Any_, Not, QueryError, Term, parse, quote_value
from tests.deskkit import Clock, china_ms, event_count, new_request, shipped_desk


@pytest.fixture
def desk(tmp_path):
    d = shipped_desk(tmp_path, Clock(china_ms(2026, 11, 2, 9, 0)), role="supervisor")
    d.register(new_request(handling={"mode": "dispatch", "lead": "370203021"}))
    return d


def fault(desk, text: str) -> QueryError:
    with pytest.raises(QueryError) as caught:
        desk.query_page(text)
    return caught.value


def test_the_tree_keeps_every_terms_place():
    parsed = parse('overdue (unit:市北区 or place:"台东 街道") -nature:投诉,举报 repeat>=3')
    top = parsed.node
    assert isinstance(top, All) and len(top.nodes) == 4
    assert isinstance(top.nodes[1], Any_) and isinstance(top.nodes[2], Not)
    unit = top.nodes[1].nodes[0]
    assert isinstance(unit, Term) and (unit.field, unit.op, unit.pos, unit.end) == ("unit", ":", 9, 17)
    place = top.nodes[1].nodes[1]
    assert place.values[0].text == "台东 街道" and place.values[0].quoted
    nature = top.nodes[2].node
    assert [v.text for v in nature.values] == ["投诉", "举报"]
    repeat = top.nodes[3]
    assert (repeat.field, repeat.op, repeat.values[0].text) == ("repeat", ">=", "3")
    assert parse("").node is None and parse("   ").node is None


def test_full_width_forms_from_an_ime_read_as_ascii_at_the_same_places():
    narrow = parse("nature：投诉，举报　repeat＞＝3")
    assert [t.field for t in narrow.terms] == ["nature", "repeat"]
    assert narrow.terms[1].pos == 13  # one character for one


@pytest.mark.parametrize("value", ["台东 街道", 'a"b', "a\\b", "x(y)", "a,b", "", "plain"])
def test_a_quoted_value_reads_back_as_itself(value):
    term = parse(f"unit:{quote_value(value)}").terms[0] if value else None
    if term is not None:
        assert term.values[0].text == value


@pytest.mark.parametrize("text, pos, words", [
    ("overdue untt:市北区", 8, "did you mean unit"),
    ("overdu", 0, "did you mean overdue"),
    ("repeat>=", 7, "needs a value"),
    ("repeat>=x", 8, "not a whole number"),
    ("repeat>=99999999", 8, "between 0 and"),
    ("nature>投诉", 6, "takes : or = or !="),
    ("nature:抱怨", 7, "cannot be '抱怨'"),
    ("state:done", 6, "state cannot be 'done'"),
    ("channel:微博", 8, "channel cannot be"),
    ("unit:不存在的单位名称xyz", 5, "no unit in the directory"),
    ("category:不存在的分类", 9, "no category is called"),
    ("registered:2026-13", 11, "is not a date"),
    ("registered:昨日午后", 11, "is not a date"),
    ("age:15d", 0, "age compares with a duration"),
    ("age>15y", 4, "not a duration"),
    ("left!=1", 0, "left compares"),
    ("left<=999", 6, "at most 365"),
    ('unit:"市北区', 5, "never closed"),
    ('abc"def', 3, "a quote must start a value"),
    ("(overdue", 0, "never closed"),
    ("overdue)", 7, "closes nothing"),
    ("()", 0, "nothing between"),
    ("overdue or", 8, "on both sides"),
    ("or overdue", 0, "on both sides"),
    ("and overdue", 0, "on both sides"),
    ("overdue -", 8, "not a keyword"),
    ("not", 0, "needs a condition"),
    ("sort:due sort:age", 9, "given twice"),
    ("(overdue or listed sort:due)", 19, "orders the whole list"),
    ("sort:bogus", 5, "cannot sort by"),
    (":x", 0, "needs a field name"),
    ("nature:投诉,", 9, "needs a value"),
    (", overdue", 0, "a comma belongs"),
    ("text:**", 5, "nothing to search for"),
])
def test_a_filter_that_cannot_be_read_says_why_at_the_fault(desk, text, pos, words):
    before = event_count(desk)
    exc = fault(desk, text)
    assert exc.pos == pos, (text, exc.pos, exc.message)
    assert words in exc.message, exc.message
    assert f"at column {pos + 1}" in str(exc)
    assert event_count(desk) == before


@pytest.mark.parametrize("hostile", [
    "nature:'投诉'; DROP TABLE ticket; --",
    'text:"\' OR 1=1 --"',
    "text:%",
    "text:_",
    "text:*",
    "text:\"NEAR(a b)\"",
    "text:\"body:漏水\"",
    "operator:'); DELETE FROM event; --",
    "desk:A01' OR '1'='1",
    "number:%",
    "number:_",
    "unit:370203021' UNION SELECT * FROM event --",
    "text:SELECT",
])
def test_sql_and_search_syntax_in_values_are_only_values(desk, hostile):
    before = event_count(desk)
    try:
        page = desk.query_page(hostile)
    except QueryError as exc:  # a value of the wrong kind: said in words, at its place
        assert exc.message and 0 <= exc.pos < len(hostile)
    else:
        assert page["rows"] == []  # nothing has those words: bound values, never pasted into SQL
    assert event_count(desk) == before
    assert desk.query_count("") == 1


@pytest.mark.parametrize("text, pos", [
    ("x" * 100_000, 1000),
    ("overdue \x1b[31m", 8),
    ("overdue \u202e逆序", 8),
    ("overdue \x00", 8),
    ("overdue \x07", 8),
    ("overdue \u200b", 8),
])
def test_huge_filters_and_control_characters_are_refused_before_reading(desk, text, pos):
    exc = fault(desk, text)
    assert exc.pos == pos
    assert "\x1b" not in str(exc) and "\x00" not in str(exc)


def test_deep_nesting_is_refused_plainly_not_by_a_crash(desk):
    exc = fault(desk, "(" * 200 + "overdue" + ")" * 200)
    assert "nested" in exc.message
    assert desk.query_count("((overdue))") == desk.query_count("overdue")


def test_a_filter_that_is_not_text_is_refused(desk):
    with pytest.raises(InputError):
        desk.query_page(123)
