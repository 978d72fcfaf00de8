"""Working days on the official calendar, and the Monday–Friday fallback for uncovered years."""
import datetime as dt
import logging

from audits import workdays
from audits.workdays import add_workdays, covered_years, is_workday, workdays_between


def test_official_holidays_and_make_up_days():
    assert not is_workday(dt.date(2023, 10, 2))       # National Day holiday, a Monday
    assert is_workday(dt.date(2023, 10, 7))           # 调休: a Saturday worked
    assert add_workdays(dt.date(2023, 9, 28), 3) == dt.date(2023, 10, 9)
    assert add_workdays(dt.date(2023, 1, 20), 1) == dt.date(2023, 1, 28)   # Spring Festival, then a make-up Saturday
    assert workdays_between(dt.date(2023, 9, 28), dt.date(2023, 10, 9)) == 3
    assert workdays_between(dt.date(2023, 10, 9), dt.date(2023, 9, 28)) == -3


def test_uncovered_years_fall_back_to_weekdays_with_one_warning_per_side(caplog):
    workdays._warned_sides.clear()
    is_workday.cache_clear()
    with caplog.at_level(logging.WARNING, logger="audits.workdays"):
        assert add_workdays(dt.date(2099, 1, 2), 5) == dt.date(2099, 1, 9)   # 2099-01-02 is a Friday
        assert not is_workday(dt.date(2099, 1, 10))
        assert is_workday(dt.date(2098, 10, 1))            # a Wednesday: no 国庆 holiday known
        for year in range(1981, 2004):                     # gov.cn's library: documents from 1981 on
            assert workdays_between(dt.date(year, 1, 1), dt.date(year, 12, 31)) > 250
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 2 and all("Monday-Friday" in w for w in warnings)
    assert "after" in warnings[0] and "2099" in warnings[0]
    assert "before" in warnings[1] and "1981" in warnings[1]


def test_the_installed_calendar_covers_2026():
    # Late-publication counts in 2026 need its holidays: an older
    # chinesecalendar (setup.cfg's floor) would count 国庆 as working days.
    assert covered_years()[1] >= 2026


def test_counting_by_running_totals_equals_counting_day_by_day():
    def by_day(start, end):
        sign, (lo, hi) = (1, (start, end)) if start <= end else (-1, (end, start))
        return sign * sum(is_workday(lo + dt.timedelta(days=i)) for i in range(1, (hi - lo).days + 1))

    days = [dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2020, 2, 29), dt.date(2021, 6, 30),
            dt.date(2023, 1, 20), dt.date(2023, 10, 9), dt.date(2023, 12, 31), dt.date(2024, 1, 1)]
    for a in days:
        for b in days:
            assert workdays_between(a, b) == by_day(a, b), (a, b)
