"""Is a ``running`` scan still running?  A scan row records who runs it (pid, host, process start
time); a crawl killed with -9 or a machine rebooted leaves a ``running`` row behind, which
``mark_stale_scans`` records as interrupted (so it can be resumed)."""
from __future__ import annotations

import datetime as dt
import os
import socket

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from crawler.settings import GOVAUDIT_STALE_RUNNING_HOURS
from govaudit.core import storage


def _hostname() -> str:
    return socket.gethostname()


def runner_fields(pid: int | None = None) -> dict:
    """Who runs a scan, for its row: process ``pid`` (default: this one), its host and start time."""
    pid = os.getpid() if pid is None else pid
    return {"pid": pid, "hostname": _hostname(), "pid_started": _process_started(pid)}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:     # another user's process
        return True
    except OSError:
        return False
    return True


def _process_started(pid: int) -> float | None:
    """When process ``pid`` started (epoch seconds), on Linux; else None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            ticks = int(fh.read().rsplit(")", 1)[1].split()[19])   # field 22: starttime
        with open("/proc/stat", encoding="ascii") as fh:
            boot = next(int(line.split()[1]) for line in fh if line.startswith("btime "))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _parse_time(value: str | None) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when


def is_stale(row, now: dt.datetime | None = None) -> bool:
    """A ``running`` scan row whose crawl is not running any more (killed with -9, machine
    rebooted): on this host, its process is gone or is a newer process with the same pid; on
    another host (or without a pid, from an older version), it started too long ago."""
    if row["status"] != "running":
        return False
    started = _parse_time(row["started_at"])
    pid, host = row.get("pid"), row.get("hostname")
    if pid and host == _hostname():
        if not _pid_alive(int(pid)):
            return True
        since, recorded = _process_started(int(pid)), row.get("pid_started")
        return since is not None and recorded is not None and abs(since - recorded) > 2
    if started is None:
        return False
    age = (now or dt.datetime.now(dt.timezone.utc)) - started
    return age > dt.timedelta(hours=GOVAUDIT_STALE_RUNNING_HOURS)


def mark_stale_scans(engine) -> list[int]:
    """Record stale ``running`` scans as interrupted (they can be resumed); their ids.  A
    read-only database is left alone."""
    s = storage.scan
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(s.c.id, s.c.status, s.c.started_at, s.c.pid, s.c.hostname, s.c.pid_started)
                                .where(s.c.status == "running")).mappings().all()
        stale = [r["id"] for r in rows if is_stale(r)]
        if stale:
            with engine.begin() as conn:
                conn.execute(update(s).where(s.c.id.in_(stale), s.c.status == "running")
                             .values(status="interrupted"))
    except SQLAlchemyError:
        return []
    return stale
