"""Run one crawl in a child process and report back.

Twisted's reactor cannot be restarted, and the scheduler and the tests crawl many times in
one process, so every crawl runs Scrapy in a fresh ``python -m crawler.worker`` child.  The
child streams JSON events (progress, fatal errors) over a pipe; this side shows progress
(interactive runs) and turns fatal events into one-line ``GovauditError``s.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import insert, select, update

from govaudit import clock, storage
from govaudit.errors import EXIT_INTERNAL, EXIT_USAGE, GovauditError

# A failed scan failed for a reason (unreachable site, unknown unit): the next one starts afresh.
RESUMABLE = ("running", "interrupted")


def _now() -> str:
    return clock.utc_now()     # stored in UTC, shown in local time (govaudit/clock.py)


def check_http_url(url: str, what: str = "起始网址无效 / not an http(s) URL") -> str:
    """A well-formed absolute http(s) URL (port in range, no spaces), or a one-line usage error."""
    try:
        parts = urlsplit(url)
        parts.port      # raises ValueError for a port out of range or not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        guess = _with_scheme(url)
        hint = f"（缺少 http:// / missing the scheme: did you mean {guess} ?）" if guess else ""
        raise GovauditError(f"{what}: {url}{hint}", EXIT_USAGE)
    return url


def _with_scheme(url: str) -> str | None:
    """``http://`` + a bare host (``www.jnzq.gov.cn``, ``127.0.0.1:8080/col/``), if that makes a URL."""
    text = (url or "").strip()
    if "://" in text or not text or any(c.isspace() for c in text):
        return None
    candidate = "http://" + text.lstrip("/")
    try:
        parts = urlsplit(candidate)
        parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if not (host == "localhost" or re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", host)):
        return None
    return candidate if parts.path else candidate + "/"


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


def resumable_scan(engine, start_url: str) -> int | None:
    """The latest scan of this site, if it did not complete."""
    with engine.connect() as conn:
        row = conn.execute(select(storage.scan.c.id, storage.scan.c.status)
                           .where(storage.scan.c.start_url == start_url)
                           .order_by(storage.scan.c.id.desc()).limit(1)).first()
    return row.id if row is not None and row.status in RESUMABLE else None


def previous_complete_scan(engine, start_url: str, before: int) -> int | None:
    """The latest complete scan of the same site: its pages make conditional requests possible."""
    with engine.connect() as conn:
        return conn.execute(select(storage.scan.c.id)
                            .where(storage.scan.c.start_url == start_url, storage.scan.c.status == "complete",
                                   storage.scan.c.id < before)
                            .order_by(storage.scan.c.id.desc()).limit(1)).scalar()


def cache_dir(db: str, start_url: str) -> str:
    """Where a site's column/list pages are kept between scans: next to a SQLite snapshot,
    else under output/."""
    base = Path(db[len("sqlite:///"):]).parent if db.startswith("sqlite:///") else Path("output")
    host = re.sub(r"[^A-Za-z0-9._-]+", "_", urlsplit(start_url).netloc) or "site"
    return str((base / "httpcache" / host).absolute())


def _new_scan(engine, start_url, profile, unit, column) -> int:
    with engine.begin() as conn:
        result = conn.execute(insert(storage.scan).values(
            site_name=(profile or {}).get("site_name"), start_url=start_url, started_at=_now(),
            status="running", scope_unit=unit, scope_column=column, profile=profile, stats={}))
        return result.inserted_primary_key[0]


def _set_status(engine, scan_id: int, status: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(storage.scan).where(storage.scan.c.id == scan_id)
                     .values(status=status, finished_at=_now()))


def crawl(db, start_urls, profile=None, unit=None, column=None, resume=False, quiet=True,
          max_pages=None, settings=None, on_event=None) -> int:
    """Crawl a site into the snapshot DB ``db`` (SQLAlchemy URL); return the scan id.

    ``settings`` are Scrapy setting overrides (highest priority), e.g. higher concurrency for
    loopback benchmarks.  ``on_event`` receives every event dict the child sends.
    """
    from govaudit.profile import validate_profile

    if profile is not None:
        profile = validate_profile(profile)
    urls = check_scan_arguments(start_urls, column, profile)
    engine = storage.connect(db)
    scan_id = resumable_scan(engine, urls[0]) if resume else None
    resumed = scan_id is not None
    if scan_id is None:
        scan_id = _new_scan(engine, urls[0], profile, unit, column)
    else:
        with engine.begin() as conn:
            conn.execute(update(storage.scan).where(storage.scan.c.id == scan_id).values(status="running"))
    config = {
        "db": storage.db_url(db), "scan_id": scan_id, "start_urls": urls, "profile": profile,
        "unit": unit, "column": column, "resume": resumed, "max_pages": max_pages,
        "previous_scan_id": previous_complete_scan(engine, urls[0], scan_id),
        "settings": {"HTTPCACHE_DIR": cache_dir(storage.db_url(db), urls[0]), **(settings or {})},
        "quiet": quiet,
    }
    engine.dispose()
    events = _run_child(config, quiet, on_event)
    fatal = next((e for e in reversed(events) if e.get("type") == "fatal"), None)
    if fatal:
        raise GovauditError(fatal["message"], int(fatal.get("code", EXIT_INTERNAL)))
    return scan_id


def _run_child(config: dict, quiet: bool, on_event) -> list[dict]:
    from crawler.progress import ProgressDisplay

    fd, config_path = tempfile.mkstemp(prefix="govaudit-crawl-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(config, fh, ensure_ascii=False)
    read_fd, write_fd = os.pipe()
    env = dict(os.environ, PYTHONUNBUFFERED="1", GOVAUDIT_PARENT_PID=str(os.getpid()))
    events: list[dict] = []
    display = None if quiet else ProgressDisplay()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "crawler.worker", config_path, str(write_fd)],
            pass_fds=(write_fd,), stdin=subprocess.DEVNULL, env=env)
        os.close(write_fd)
        try:
            with os.fdopen(read_fd, "r", encoding="utf-8") as stream:
                if display:
                    display.start()
                for line in stream:
                    try:
                        event = json.loads(line)
                    except ValueError:
                        continue
                    if event.get("type") != "progress":
                        events.append(event)
                    if on_event:
                        on_event(event)
                    if display:
                        display.update(event)
            returncode = child.wait()
        except KeyboardInterrupt:
            # Scrapy shuts down cleanly on SIGINT and records the scan as interrupted.
            child.send_signal(signal.SIGINT)
            child.wait()
            raise
    finally:
        if display:
            display.stop()
        os.unlink(config_path)
    if returncode != 0 and not any(e.get("type") == "fatal" for e in events):
        engine = storage.connect(config["db"])
        status = "interrupted" if returncode < 0 else "failed"
        _set_status(engine, config["scan_id"], status)
        engine.dispose()
        how = f"signal {-returncode}" if returncode < 0 else f"exit code {returncode}"
        events.append({"type": "fatal", "code": EXIT_INTERNAL,
                       "message": f"抓取进程异常退出 / crawler process died ({how}); scan {config['scan_id']} "
                                  f"can be resumed with --resume"})
    elif returncode == 0 and not any(e.get("type") == "fatal" for e in events):
        # Scrapy logs an exception raised while setting the crawl up, or in its start requests, and
        # exits normally; the scan row tells: never closed, or closed as failed.
        status = _scan_status(config)
        if status in ("running", "failed"):
            engine = storage.connect(config["db"])
            _set_status(engine, config["scan_id"], "failed")
            engine.dispose()
            events.append({"type": "fatal", "code": EXIT_INTERNAL,
                           "message": f"抓取未能完成 / the crawl of scan {config['scan_id']} did not complete "
                                      f"({status}; set GOVAUDIT_CRAWL_LOG_LEVEL=ERROR to see why)"})
    return events


def _scan_status(config: dict) -> str | None:
    engine = storage.connect(config["db"])
    try:
        with engine.connect() as conn:
            return conn.execute(select(storage.scan.c.status)
                                .where(storage.scan.c.id == config["scan_id"])).scalar()
    finally:
        engine.dispose()
