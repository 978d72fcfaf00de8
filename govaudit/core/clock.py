"""Times as govaudit stores and shows them: stored in UTC, shown in local time with the zone.

The database (``scan.started_at`` / ``finished_at``), the lock file and the run info store ISO
8601 UTC times (``2023-11-30T18:00:00+00:00``).  Everything a person reads — ``govaudit
history``, ``schedule.log``, lock messages — shows the machine's local time (``TZ``) with its
offset, ``2023-12-01 02:00:00+08:00``, so a UTC server and the +08:00 report cannot be misread.
Rows written before times were stored in UTC carry their own offset and read the same way.
"""
from __future__ import annotations

import datetime as dt
import logging
import re


def utc_now() -> str:
    """Now, for storing: ISO 8601 in UTC, to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def parse(value) -> dt.datetime | None:
    """A stored time as an aware datetime (a naive one is taken as local time), or None."""
    if isinstance(value, dt.datetime):
        stamp = value
    else:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    return stamp.astimezone() if stamp.tzinfo is None else stamp


def _offset(stamp: dt.datetime) -> str:
    return stamp.strftime("%z")[:3] + ":" + stamp.strftime("%z")[3:]


def local(value, seconds: bool = True) -> str:
    """A stored time shown in local time with its zone: ``2023-12-01 02:00:00+08:00``.
    Text that is not a time is returned as it is."""
    stamp = parse(value)
    if stamp is None:
        return "" if value is None else str(value)
    stamp = stamp.astimezone()
    return stamp.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M") + _offset(stamp)


def local_iso(value) -> str | None:
    """A stored time as local ISO 8601 with offset (for JSON output), None if absent."""
    stamp = parse(value)
    return stamp.astimezone().isoformat() if stamp is not None else (None if value is None else str(value))


def local_date(value) -> str:
    """The calendar date (YYYY-MM-DD) of a stored time where it happened: a scan started at 02:00
    +08:00 on the 1st is stored as 18:00 UTC on the last day of the month before, and is the 1st's
    scan.  A time stored with another offset (rows written before times were stored in UTC) was
    local time when written and keeps its own date."""
    stamp = parse(value)
    if stamp is None:
        return str(value or "")[:10]
    if stamp.utcoffset() == dt.timedelta(0):
        stamp = stamp.astimezone()
    return stamp.date().isoformat()


class LocalFormatter(logging.Formatter):
    """Log records stamped with local time and its zone: ``2023-12-01 02:00:00,123+08:00``."""

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging API
        stamp = dt.datetime.fromtimestamp(record.created).astimezone()
        return f"{stamp:%Y-%m-%d %H:%M:%S},{int(record.msecs):03d}{_offset(stamp)}"


CHINA = dt.timezone(dt.timedelta(hours=8))
_EPOCH_MS = re.compile(r"^\s*(\d{13})\s*$")
_EPOCH_YEARS = (1990, 2100)


def epoch_day(value) -> dt.date | None:
    """The day (Beijing time) of a field that shows a Unix time in milliseconds, which the page's
    script turns into a date in the browser (<span id="data">1382860800000</span> → 2013-10-27);
    None for anything else."""
    m = _EPOCH_MS.match(str(value or ""))
    if not m:
        return None
    day = dt.datetime.fromtimestamp(int(m.group(1)) / 1000, CHINA).date()
    return day if _EPOCH_YEARS[0] <= day.year < _EPOCH_YEARS[1] else None
