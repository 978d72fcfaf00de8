"""Prepare a crawl's scan row, run the crawl child, and record how the crawl ended.

``prepare_crawl`` checks the arguments and creates (or reopens, to resume) the scan row;
``crawler.child.run_child`` runs Scrapy in a child process and relays its events; ``finish_crawl``
makes the scan row say how the child ended and turns a fatal event into one ``GovauditError``.
``crawl`` does all three.  ``govaudit scan`` runs the first in a short-lived process of its own and
waits on the child with ``crawler.child`` alone (``govaudit.scan``).

The scan row records who runs it (pid, host, process start time), so a ``running`` row left by
a crawl killed with -9 is recognised as interrupted (``mark_stale_scans``), and an interruption
(Ctrl-C, SIGTERM, SIGHUP) is recorded as such on both sides (``finish_crawl``, ``worker``).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import insert, select, update

from crawler.child import ChildOutcome, run_child
from crawler.liveness import mark_stale_scans, runner_fields
from govaudit.core import clock, scans, storage
from govaudit.core.errors import EXIT_INTERNAL, EXIT_LOCKED, EXIT_USAGE, GovauditError
from govaudit.core.profile import validate_profile
from govaudit.core.urls import check_http_url

# A failed scan failed for a reason (unreachable site, unknown unit): the next one starts afresh.
# A blocked one (the site refused the crawler part-way) continues once the block is lifted.
RESUMABLE = ("running", "interrupted", "blocked")


def _now() -> str:
    return clock.utc_now()     # stored in UTC, shown in local time (govaudit/core/clock.py)


def _check_start_urls(start_urls) -> list[str]:
    urls = [u.strip() for u in (start_urls or []) if u and u.strip()]
    if not urls:
        raise GovauditError("缺少起始网址 / no start URL given", EXIT_USAGE)
    return [check_http_url(url) for url in urls]


def check_scan_arguments(start_urls, column: str | None, profile: dict | None) -> list[str]:
    """The start URLs (cleaned) if they and --column are usable; else a one-line usage error."""
    urls = _check_start_urls(start_urls)
    _check_column(column, urls, profile)
    return urls


def _check_column(column: str | None, start_urls: list[str], profile: dict | None) -> None:
    """--column must be a list page on the site being scanned (the crawl never leaves it)."""
    if column is None:
        return
    check_http_url(column.strip(), "栏目网址无效 / --column is not an http(s) URL")
    hosts = {urlsplit(u).hostname for u in start_urls} | set((profile or {}).get("allowed_hosts") or [])
    if urlsplit(column.strip()).hostname not in hosts:
        raise GovauditError(f"栏目不在被检查站点内 / --column is not on {', '.join(sorted(hosts))}: {column}",
                            EXIT_USAGE)


def _same_scope(table, start_url: str, unit: str | None, column: str | None) -> list:
    """Where-clauses of the scans of one site and scope: start URL, --unit and --column."""
    cond = [table.c.start_url == start_url]
    cond.append(table.c.scope_unit.is_(None) if unit is None else table.c.scope_unit == unit)
    cond.append(table.c.scope_column.is_(None) if column is None else table.c.scope_column == column)
    return cond


def resumable_scan(engine, start_url: str, unit: str | None = None, column: str | None = None):
    """The unfinished scan of this site and scope, if the latest one (failed ones aside) did not
    complete: its row (``status`` is ``interrupted``, or ``running`` when its process is still
    at it), else None.  Stale ``running`` rows are marked interrupted first."""
    mark_stale_scans(engine)
    s = storage.scan
    with engine.connect() as conn:
        row = conn.execute(select(s.c.id, s.c.status, s.c.started_at, s.c.pid, s.c.hostname, s.c.pid_started,
                                  s.c.stats)
                           .where(*_same_scope(s, start_url, unit, column), s.c.status != "failed")
                           .order_by(s.c.id.desc()).limit(1)).mappings().first()
    return row if row is not None and row["status"] in RESUMABLE else None


def cache_dir(db: str, start_url: str) -> str:
    """Where a site's column/list pages are kept between scans: next to a SQLite snapshot,
    else under output/."""
    base = Path(db[len("sqlite:///"):]).parent if db.startswith("sqlite:///") else Path("output")
    host = re.sub(r"[^A-Za-z0-9._-]+", "_", urlsplit(start_url).netloc) or "site"
    return str((base / "httpcache" / host).absolute())


def _new_scan(engine, start_url, profile, unit, column, scan_values=None, owner_pid=None) -> int:
    with engine.begin() as conn:
        result = conn.execute(insert(storage.scan).values(
            site_name=(profile or {}).get("site_name"), start_url=start_url, started_at=_now(),
            status="running", scope_unit=unit, scope_column=column, profile=profile, stats={},
            **runner_fields(owner_pid), **(scan_values or {})))
        return result.inserted_primary_key[0]


def crawl(db, start_urls, profile=None, unit=None, column=None, resume=False, quiet=True,
          max_pages=None, settings=None, on_event=None, scan_values=None, resume_scan=None) -> int:
    """Crawl a site into the snapshot DB ``db`` (SQLAlchemy URL); return the scan id.

    ``settings`` are Scrapy setting overrides (highest priority), e.g. higher concurrency for
    loopback benchmarks.  ``on_event`` receives every event dict the child sends.
    ``scan_values``: further columns of a new scan row (a campaign's id).  ``resume_scan``: resume
    this scan id (a campaign job that knows which scan it started), else ``resume`` finds one.
    """
    config = prepare_crawl(db, start_urls, profile=profile, unit=unit, column=column, resume=resume,
                           quiet=quiet, max_pages=max_pages, settings=settings, scan_values=scan_values,
                           resume_scan=resume_scan)
    return finish_crawl(config, run_child(config, quiet, on_event))


def prepare_crawl(db, start_urls, profile=None, unit=None, column=None, resume=False, quiet=True,
                  max_pages=None, settings=None, scan_values=None, resume_scan=None, owner_pid=None) -> dict:
    """Check the arguments, create the scan row (or reopen the one to resume) and return the crawl
    child's configuration.  ``owner_pid``: the process that will wait on the crawl, recorded as
    the scan's runner (default: this one)."""
    if profile is not None:
        profile = validate_profile(profile)
    urls = check_scan_arguments(start_urls, column, profile)
    engine = storage.connect(db)
    try:
        mark_stale_scans(engine)
        scan_id = resume_scan
        if resume and scan_id is None:
            found = resumable_scan(engine, urls[0], unit, column)
            if found is not None and found["status"] == "running":
                raise GovauditError(f"检查 {found['id']} 仍在运行（进程 {found['pid']}，主机 {found['hostname']}） / "
                                    f"scan {found['id']} of this site and scope is still running "
                                    f"(pid {found['pid']} on {found['hostname']})", EXIT_LOCKED)
            scan_id = found["id"] if found is not None else None
        resumed = scan_id is not None
        if scan_id is None:
            scan_id = _new_scan(engine, urls[0], profile, unit, column, scan_values, owner_pid)
        else:
            with engine.begin() as conn:
                conn.execute(update(storage.scan).where(storage.scan.c.id == scan_id)
                             .values(status="running", finished_at=None, **runner_fields(owner_pid)))
        return {
            "db": storage.db_url(db), "scan_id": scan_id, "start_urls": urls, "profile": profile,
            "unit": unit, "column": column, "resume": resumed, "max_pages": max_pages,
            "previous_scan_id": scans.previous_complete_scan(engine, urls[0], scan_id),
            "settings": {"HTTPCACHE_DIR": cache_dir(storage.db_url(db), urls[0]), **(settings or {})},
            "quiet": quiet,
        }
    finally:
        engine.dispose()


def finish_crawl(config: dict, outcome: ChildOutcome) -> int:
    """Make the scan row say how the crawl child ended; the scan id, or the crawl's failure as one
    ``GovauditError`` (KeyboardInterrupt when the user stopped it)."""
    events = outcome.events
    keep_log = _check_outcome(config, outcome.returncode, events, interrupted=outcome.interrupted,
                              log_path=outcome.log_path)
    if outcome.log_path and not keep_log:
        os.unlink(outcome.log_path)
    if outcome.interrupted:
        raise KeyboardInterrupt
    fatal = next((e for e in reversed(events) if e.get("type") == "fatal"), None)
    if fatal:
        error = GovauditError(fatal["message"], int(fatal.get("code", EXIT_INTERNAL)))
        error.detail = fatal.get("detail") or ""     # the child's error output, for the schedule log
        raise error
    return config["scan_id"]


def _check_outcome(config: dict, returncode: int, events: list, interrupted: bool, log_path: str | None) -> bool:
    """Make the scan row say how the crawl ended when the child could not (killed, crashed,
    stopped twice); add a ``fatal`` event for a failure the child did not report.  True if that
    event names the child's log file (which is then kept)."""
    if any(e.get("type") == "fatal" for e in events):
        return False        # the child said what went wrong, in one line
    scan_id = config["scan_id"]
    status = _scan_status(config)
    if interrupted or returncode < 0:
        # Ctrl-C, SIGTERM, the OOM killer or kill -9 of the child: what is stored stays, and
        # --resume continues from there.
        if status == "running":
            _set_status(config, "interrupted")
        if interrupted or status == "complete":
            return False
        events.append({"type": "fatal", "code": EXIT_INTERNAL,
                       "message": f"抓取进程被终止 / crawler process was killed (signal {-returncode}); scan "
                                  f"{scan_id} was interrupted and can be continued with --resume"})
        return False
    if returncode != 0:
        # A crash (a bug, a broken installation): resuming would crash again.
        _set_status(config, "failed")
        fatal = {"type": "fatal", "code": EXIT_INTERNAL,
                 "message": f"抓取进程出错 / crawler process failed (exit code {returncode}): "
                            f"{_last_error_line(log_path)}; scan {scan_id} failed{_details(log_path)}"}
    elif status in ("running", "failed"):
        # Scrapy logs an exception raised while setting the crawl up, or in its start requests, and
        # exits normally; the scan row tells: never closed, or closed as failed.
        _set_status(config, "failed")
        fatal = {"type": "fatal", "code": EXIT_INTERNAL,
                 "message": f"抓取未能完成 / the crawl of scan {scan_id} did not complete ({status}): "
                            f"{_last_error_line(log_path)}{_details(log_path)}"}
    else:
        return False
    fatal["detail"] = _log_text(log_path)
    events.append(fatal)
    return True


def _log_text(log_path: str | None, limit: int = 20000) -> str:
    if not log_path:
        return ""
    try:
        with open(log_path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return ""
    return text[-limit:].strip()


def _last_error_line(log_path: str | None) -> str:
    lines = [line.strip() for line in _log_text(log_path).splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"


def _details(log_path: str | None) -> str:
    return f"; details in {log_path}" if log_path else ""


def _set_status(config: dict, status: str) -> None:
    engine = storage.connect(config["db"])
    try:
        with engine.begin() as conn:
            conn.execute(update(storage.scan).where(storage.scan.c.id == config["scan_id"])
                         .values(status=status, finished_at=_now()))
    finally:
        engine.dispose()


def _scan_status(config: dict) -> str | None:
    engine = storage.connect(config["db"])
    try:
        with engine.connect() as conn:
            return conn.execute(select(storage.scan.c.status)
                                .where(storage.scan.c.id == config["scan_id"])).scalar()
    finally:
        engine.dispose()
