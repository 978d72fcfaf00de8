"""Working days on the official calendar, and the Monday–Friday fallback for uncovered years."""
import datetime as dt
import logging

from audits import workdays
from audits.workdays import add_workdays, is_workday, workdays_between


def test_official_holidays_and_make_up_days():
    assert not is_workday(dt.date(2023, 10, 2))       # National Day holiday, a Monday
    assert is_workday(dt.date(2023, 10, 7))           # 调休: a Saturday worked
    assert add_workdays(dt.date(2023, 9, 28), 3) == dt.date(2023, 10, 9)
    assert add_workdays(dt.date(2023, 1, 20), 1) == dt.date(2023, 1, 28)   # Spring Festival, then a make-up Saturday
    assert workdays_between(dt.date(2023, 9, 28), dt.date(2023, 10, 9)) == 3
    assert workdays_between(dt.date(2023, 10, 9), dt.date(2023, 9, 28)) == -3


def test_uncovered_year_falls_back_to_weekdays_with_one_warning(caplog):
    workdays._warned_years.discard(2099)
    is_workday.cache_clear()
    with caplog.at_level(logging.WARNING, logger="audits.workdays"):
        assert add_workdays(dt.date(2099, 1, 2), 5) == dt.date(2099, 1, 9)   # 2099-01-02 is a Friday
        assert not is_workday(dt.date(2099, 1, 10))
    warnings = [r for r in caplog.records if "2099" in r.getMessage()]
    assert len(warnings) == 1 and "Monday-Friday" in warnings[0].getMessage()


def test_counting_by_running_totals_equals_counting_day_by_day():
    def by_day(start, end):
        sign, (lo, hi) = (1, (start, end)) if start <= end else (-1, (end, start))
        return sign * sum(is_workday(lo + dt.timedelta(days=i)) for i in range(1, (hi - lo).days + 1))

    days = [dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2020, 2, 29), dt.date(2021, 6, 30),
            dt.date(2023, 1, 20), dt.date(2023, 10, 9), dt.date(2023, 12, 31), dt.date(2024, 1, 1)]
    for a in days:
        for b in days:
            assert workdays_between(a, b) == by_day(a, b), (a, b)
