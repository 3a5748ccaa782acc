"""Working-day deadlines on China's holiday and 调休 calendar, overrides, and the marked fallback."""

import datetime as dt

from hotline_tui.domain.calendar import WorkCalendar, local_date
from hotline_tui.domain.policy import load_policy
from tests.deskkit import china_ms


def test_national_day_holiday_is_skipped():
    cal = WorkCalendar()
    day, est = cal.add_workdays(dt.date(2026, 9, 30), 1)
    assert day > dt.date(2026, 10, 7) and not est  # 10-01..10-07 are off in 2026


def test_weekend_make_up_day_counts_as_working():
    cal = WorkCalendar()
    # 2026-09-20 (Sunday) is a 调休 working day before National Day in the State Council's 2026 schedule
    assert cal.is_workday(dt.date(2026, 9, 20)) == (True, False)
    assert cal.is_workday(dt.date(2026, 10, 1)) == (False, False)


def test_past_the_calendar_data_falls_back_to_weekdays_and_says_so():
    policy = load_policy()
    due = policy.handling_due(china_ms(2026, 12, 28, 10), "complaint")
    assert due.estimated and local_date(due.ms) == dt.date(2027, 1, 4)


def test_a_holiday_override_makes_the_deadline_exact():
    policy = load_policy(extra_holidays={"2027-01-01": True})
    start = dt.date(2026, 12, 31)
    day, est = policy.calendar.add_workdays(start, 1)
    assert day == dt.date(2027, 1, 4)  # 01-01 is off by the override; 01-02/03 are a weekend
    assert est  # 01-04 itself is still unknown to the package


def test_emergency_is_due_the_same_day_and_consultation_in_three_working_days():
    policy = load_policy()
    now = china_ms(2026, 11, 27, 16)  # Friday
    assert local_date(policy.handling_due(now, "help", "emergency").ms) == dt.date(2026, 11, 27)
    assert local_date(policy.handling_due(now, "consultation").ms) == dt.date(2026, 12, 2)


def test_working_days_left_goes_negative_when_overdue():
    policy = load_policy()
    due = policy.handling_due(china_ms(2026, 11, 2, 9), "complaint").ms  # Mon -> Mon 11-09
    assert policy.workdays_left(china_ms(2026, 11, 4, 9), due) == 3
    assert policy.workdays_left(china_ms(2026, 11, 11, 9), due) == -2


def test_working_days_between_any_two_dates_equal_counting_them_one_by_one():
    """The running totals behind workdays_between (hundreds of deadlines a page) count what a day-by-day
    walk counts, in any order of asking, across holidays, 调休 and the years past the calendar's data."""
    import datetime as dt

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from hotline_tui.domain.calendar import WorkCalendar

    def walk(cal, start, end):
        if end == start:
            return 0
        sign, lo, hi = (1, start, end) if end > start else (-1, end, start)
        count, day = 0, lo
        while day < hi:
            day += dt.timedelta(days=1)
            count += cal.is_workday(day)[0]
        return sign * count

    days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2029, 12, 31))
    shared = WorkCalendar({dt.date(2027, 1, 4): True, dt.date(2027, 1, 9): False})

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(days, days), min_size=1, max_size=6))
    def check(pairs):
        for start, end in pairs:
            assert shared.workdays_between(start, end) == walk(shared, start, end)

    check()
