"""Every field, keyword and combination of the filter language, on a demo store, against the truth worked out in
Python from the tickets' folded state (tests/querykit.py): the SQL a filter compiles to must list exactly the
tickets the filter means, page by page, and count them the same."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline_tui.domain.calendar import CHINA, local_date
from hotline_tui.query.fields import FINAL, OPEN, RUNNING
from tests import querykit
from tests.querykit import NOW, matches

DAY = 86_400_000


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return querykit.build(tmp_path_factory.mktemp("query"))


def month_of(ms: int) -> str:
    return local_date(ms).strftime("%Y-%m")


def start_ms(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), CHINA).timestamp() * 1000)


def cases(desk):
    d, policy = desk.directory, desk.policy
    shibei, taidong = set(d.subtree("370203")), set(d.subtree("370203021"))
    left = lambda t: policy.workdays_left(NOW, t.due_ms)  # noqa: E731 - as F4 counts it
    running = lambda t: t.state in RUNNING and t.due_ms is not None  # noqa: E731
    cat = lambda t, name: name in t.category  # noqa: E731
    return [
        ("nature:投诉", lambda t: t.nature == "complaint"),
        ("nature:complaint,举报", lambda t: t.nature in ("complaint", "report")),
        ("channel:信访", lambda t: t.channel == "petition"),
        ("channel:人民网领导留言板", lambda t: t.channel == "message_board"),
        ("信访", lambda t: t.channel == "petition"),
        ("unit:市北区", lambda t: t.lead_unit in shibei),
        ("unit:370203021", lambda t: t.lead_unit in taidong),
        ("unit:none", lambda t: t.lead_unit is None),
        ("place:台东街道", lambda t: t.place in taidong),
        ("-place:市北区", lambda t: t.place not in shibei),
        ("assist:市北区", lambda t: any(u in shibei for u in t.assist_units if u != t.lead_unit)),
        ("category:市容环境", lambda t: cat(t, "市容环境")),
        ('category:"城乡建设 › 市容环境"', lambda t: t.category[:2] == ["城乡建设", "市容环境"]),
        ("category:停车", lambda t: any("停车" in c for c in t.category)),
        ("state:open", lambda t: t.state in OPEN),
        ("state:已办结", lambda t: t.state == "closed"),
        ("state!=closed", lambda t: t.state != "closed"),
        ("open", lambda t: t.state in OPEN),
        ("unfinished", lambda t: t.state not in FINAL),
        ("flag:listed", lambda t: "listed" in t.flags),
        ("flag:disputed_callback,escalated", lambda t: "disputed_callback" in t.flags or "escalated" in t.flags),
        ("listed", lambda t: "listed" in t.flags),
        ("disputed", lambda t: "disputed_callback" in t.flags),
        ("escalated", lambda t: "escalated" in t.flags),
        ("urgent", lambda t: t.urgency in ("urgent", "emergency")),
        ("urgency:emergency", lambda t: t.urgency == "emergency"),
        ("callback:unsatisfied", lambda t: (t.callback or {}).get("satisfaction") == "unsatisfied"),
        ("unsatisfied", lambda t: (t.callback or {}).get("satisfaction") == "unsatisfied"),
        ("callback:none", lambda t: not (t.callback or {}).get("satisfaction")),
        ("repeat>=2", lambda t: t.call_count >= 2),
        ("repeat:1", lambda t: t.call_count == 1),
        ("returned>=2", lambda t: t.return_count >= 2),
        ("urged>=1", lambda t: t.urge_count >= 1),
        ("reopened>0", lambda t: t.reopen_count > 0),
        ("extended>=1", lambda t: t.extension_count >= 1),
        ("overdue", lambda t: running(t) and t.due_ms < NOW),
        ("due-soon", lambda t: running(t) and t.due_ms >= NOW and left(t) <= 1),
        ("left<=1", lambda t: running(t) and left(t) <= 1),
        ("left<0", lambda t: running(t) and left(t) < 0),
        ("left:0", lambda t: running(t) and left(t) == 0),
        ("left>=3", lambda t: running(t) and left(t) >= 3),
        ("left<-2", lambda t: running(t) and left(t) < -2),
        ("age>30d", lambda t: t.registered_ms < NOW - 30 * DAY),
        ("age<=2w", lambda t: t.registered_ms >= NOW - 14 * DAY),
        ("age<36h", lambda t: t.registered_ms > NOW - 36 * 3_600_000),
        ("registered:2026-10", lambda t: month_of(t.registered_ms) == "2026-10"),
        ("registered>=2026-10-15", lambda t: t.registered_ms >= start_ms(dt.date(2026, 10, 15))),
        ("registered<2026-10", lambda t: t.registered_ms < start_ms(dt.date(2026, 10, 1))),
        ("registered:yesterday", lambda t: local_date(t.registered_ms) == dt.date(2026, 11, 1)),
        ("due<2026-11-05", lambda t: t.due_ms is not None and t.due_ms < start_ms(dt.date(2026, 11, 5))),
        ("closed:this-month", lambda t: t.closed_ms is not None and month_of(t.closed_ms) == "2026-11"),
        ("claimed:2026-10-20", lambda t: t.claimed_ms is not None and local_date(t.claimed_ms) == dt.date(2026, 10, 20)),
        ("desk:a03", lambda t: t.desk == "A03"),
        ("number:QD-A01-202610", lambda t: t.number.startswith("QD-A01-202610")),
        ("-number:QD-A01", lambda t: not t.number.startswith("QD-A01")),
        # combinations
        ("overdue unit:市北区", lambda t: running(t) and t.due_ms < NOW and t.lead_unit in shibei),
        ("nature:投诉 -channel:hotline age<60d", lambda t: t.nature == "complaint" and t.channel != "hotline"
         and t.registered_ms > NOW - 60 * DAY),
        ("(listed or escalated) unfinished", lambda t: ("listed" in t.flags or "escalated" in t.flags) and t.state not in FINAL),
        ("not (open or closed)", lambda t: t.state not in OPEN and t.state != "closed"),
        ("listed | disputed 或 escalated", lambda t: bool({"listed", "disputed_callback", "escalated"} & set(t.flags))),
        ("open 且 -urgent", lambda t: t.state in OPEN and t.urgency == "normal"),
    ]


def test_every_field_lists_exactly_the_tickets_it_means(store):
    desk, truth = store
    failures = []
    for text, test in cases(desk):
        got, want = matches(desk, text), truth.where(test)
        if got != want:
            failures.append(f"{text!r}: {len(got)} listed, {len(want)} meant; e.g. {sorted(got ^ want)[:3]}")
    assert not failures, "\n".join(failures)
    # and the cases are not vacuous: most of them hold some tickets and leave some out
    sizes = [len(truth.where(test)) for _, test in cases(desk)]
    assert sum(0 < n < len(truth.tickets) for n in sizes) >= len(sizes) - 6


def test_operator_actor_and_text_against_the_events(store):
    desk, truth = store
    some = next(iter(truth.tickets.values()))
    operator = some.registered_by
    assert matches(desk, f"operator:{operator}") == truth.where(lambda t: t.registered_by == operator)
    actor = sorted({a for actors in truth.actors.values() for a in actors if a != operator})[0]
    assert matches(desk, f"actor:{actor}") == {n for n, actors in truth.actors.items() if actor in actors}
    for word in ("漏水", "噪音", "停电", "暖气", "3号楼", "小区", "楼"):
        want = {n for n, texts in truth.texts.items() if any(word in x for x in texts)}
        assert matches(desk, f"text:{word}") == want, word
        assert matches(desk, word) == want, word  # a bare Chinese word searches the text
    both = {n for n, texts in truth.texts.items() if any("小区" in x for x in texts) and any("停车" in x for x in texts)}
    assert matches(desk, 'text:"小区 停车"') == both
    assert matches(desk, "text:漏水,停电") == matches(desk, "text:漏水") | matches(desk, "text:停电")
    assert matches(desk, "-text:小区") == set(truth.tickets) - matches(desk, "text:小区")


def test_the_explanation_says_how_each_term_was_read(store):
    desk, _ = store
    explained = desk.explain_filter("overdue unit:市北区 channel:信访 -nature:投诉 repeat>=2 text:停车 sort:due")
    assert explained == ["超期", "承办单位: 市北区 (含下属)", "渠道: 信访", "性质: 投诉", "来电次数 >= 2", "内容含「停车」",
                         "排序: 时限 (最紧先)"]


def test_the_issues_example_filter_reads_and_runs(store):
    desk, truth = store
    text = "overdue unit:市北区 channel:信访 nature:投诉 repeat>=3 callback:unsatisfied age>15d returned>=2 text:停车"
    assert matches(desk, text) == set()  # nothing is all of that at once here, and it says so, fast
    assert desk.query_count(text) == 0


def test_text_with_a_registration_bound_reads_only_recent_texts_and_finds_the_same(store):
    """A text term beside a registered-since bound searches the index from a floor (the least key of the tickets
    registered since that day), wherever the text term stands: alone, negated, in an or. Same tickets as the
    truth; the floor is below every key of every ticket registered since."""
    from hotline_tui.store.search_index import SHIFT, rowid_floor

    desk, truth = store
    now = desk._now()
    for bound, since in (("age<30d", now - 30 * 86_400_000), ("age<=120d", now - 120 * 86_400_000)):
        recent = truth.where(lambda t, since=since: t.registered_ms >= since)
        assert 0 < len(recent) < len(truth.tickets), bound
        for word in ("漏水", "小区", "楼"):
            has = {n for n, texts in truth.texts.items() if any(word in x for x in texts)}
            compiled = desk.compile_filter(f"text:{word} {bound}")
            assert "rowid >= :" in compiled.where
            assert matches(desk, f"text:{word} {bound}") == has & recent, (word, bound)
            assert matches(desk, f"-text:{word} {bound}") == recent - has, (word, bound)
            assert matches(desk, f"(text:{word} or nature:投诉) {bound}") == (has | matches(desk, "nature:投诉")) & recent
        assert "rowid >= :" not in desk.compile_filter(f"text:漏水 or {bound}").where  # not every ticket meets it
        with desk.store.read() as conn:
            floor = rowid_floor(conn, since)
            keys = [k for (k,) in conn.exec_driver_sql("SELECT tid FROM ticket WHERE registered_ms >= ?", (since,))]
        assert floor == min(keys) << SHIFT
