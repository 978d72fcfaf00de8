"""Working days under the official Chinese calendar (Monday–Friday where it has no data)."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=8192)
def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def covered(day: dt.date) -> bool:
    """Does the official calendar know this day's year (so holidays are real, not guessed)?"""
    try:
        chinese_calendar.is_workday(day)
        return True
    except NotImplementedError:
        return False


def add_workdays(start: dt.date, n: int) -> dt.date:
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]."""
    return sum(1 for i in range(1, (end - start).days + 1) if is_workday(start + dt.timedelta(days=i)))
