"""Working days by the official calendar (holidays and 调休 make-up workdays).

``chinesecalendar`` carries the State Council's yearly holiday notices.  For a year it does not
cover it raises NotImplementedError; we then fall back to Monday–Friday and log one warning for
the years before its calendar and one for those after (a library of documents from 1981 on is
one line, not twenty), so a late-December audit of next year's dates still runs.
"""
from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache

import chinese_calendar

log = logging.getLogger(__name__)

_warned_sides: set[str] = set()


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """The first and last year of the installed calendar."""
    years = {day.year for day in chinese_calendar.holidays}
    return min(years), max(years)


@lru_cache(maxsize=8192)
def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        first, last = covered_years()
        side = "before" if day.year < first else "after"
        if side not in _warned_sides:
            _warned_sides.add(side)
            log.warning("no official holiday calendar %s %s (first seen: %s; the calendar covers %s-%s): "
                        "counting Monday-Friday as working days", side, first if side == "before" else last,
                        day.year, first, last)
        return day.weekday() < 5


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (``start`` itself never counts)."""
    day = start
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -workdays_between(end, start)
    # Counted from running totals per year, not day by day (a year-long span for each of 10⁴
    # documents was a second of the audit).
    if start.year == end.year:
        return _running(end.year)[_day_of_year(end)] - _running(start.year)[_day_of_year(start)]
    first = _running(start.year)
    return (first[-1] - first[_day_of_year(start)] + sum(_running(y)[-1] for y in range(start.year + 1, end.year))
            + _running(end.year)[_day_of_year(end)])


def _day_of_year(day: dt.date) -> int:
    return day.toordinal() - dt.date(day.year, 1, 1).toordinal() + 1


@lru_cache(maxsize=64)
def _running(year: int) -> tuple[int, ...]:
    """Working days among the first k days of ``year``, for k = 0 … the year's length."""
    first = dt.date(year, 1, 1)
    days = dt.date(year, 12, 31).toordinal() - first.toordinal() + 1
    totals = [0]
    for k in range(days):
        totals.append(totals[-1] + is_workday(first + dt.timedelta(days=k)))
    return tuple(totals)
