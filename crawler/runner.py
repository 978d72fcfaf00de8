"""Run one crawl in a child process and report back.

Twisted's reactor cannot be restarted, and the scheduler and the tests crawl many times in
one process, so every crawl runs Scrapy in a fresh ``python -P -m crawler.worker`` child (the
same code as this process, whatever the working directory holds: ``child_command``).  The
child streams JSON events (progress, fatal errors) over a pipe; this side shows progress
(interactive runs) and turns fatal events into one-line ``GovauditError``s.

The scan row records who runs it (pid, host, process start time), so a ``running`` row left by
a crawl killed with -9 is recognised as interrupted (``mark_stale_scans``), and an interruption
(Ctrl-C, SIGTERM, SIGHUP) is recorded as such on both sides (``_run_child``, ``worker``).
"""
from __future__ import annotations

import contextlib
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

import crawler
from crawler.display import ProgressDisplay
from crawler.liveness import mark_stale_scans, runner_fields
from govaudit.core import clock, scans, storage
from govaudit.core.errors import EXIT_INTERNAL, EXIT_LOCKED, EXIT_USAGE, GovauditError
from govaudit.core.profile import validate_profile

# A failed scan failed for a reason (unreachable site, unknown unit): the next one starts afresh.
# A blocked one (the site refused the crawler part-way) continues once the block is lifted.
RESUMABLE = ("running", "interrupted", "blocked")


def _now() -> str:
    return clock.utc_now()     # stored in UTC, shown in local time (govaudit/core/clock.py)


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


def _new_scan(engine, start_url, profile, unit, column, scan_values=None) -> int:
    with engine.begin() as conn:
        result = conn.execute(insert(storage.scan).values(
            site_name=(profile or {}).get("site_name"), start_url=start_url, started_at=_now(),
            status="running", scope_unit=unit, scope_column=column, profile=profile, stats={}, **runner_fields(),
            **(scan_values or {})))
        return result.inserted_primary_key[0]


def crawl(db, start_urls, profile=None, unit=None, column=None, resume=False, quiet=True,
          max_pages=None, settings=None, on_event=None, scan_values=None, resume_scan=None) -> int:
    """Crawl a site into the snapshot DB ``db`` (SQLAlchemy URL); return the scan id.

    ``settings`` are Scrapy setting overrides (highest priority), e.g. higher concurrency for
    loopback benchmarks.  ``on_event`` receives every event dict the child sends.
    ``scan_values``: further columns of a new scan row (a campaign's id).  ``resume_scan``: resume
    this scan id (a campaign job that knows which scan it started), else ``resume`` finds one.
    """
    if profile is not None:
        profile = validate_profile(profile)
    urls = check_scan_arguments(start_urls, column, profile)
    engine = storage.connect(db)
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
        scan_id = _new_scan(engine, urls[0], profile, unit, column, scan_values)
    else:
        with engine.begin() as conn:
            conn.execute(update(storage.scan).where(storage.scan.c.id == scan_id)
                         .values(status="running", finished_at=None, **runner_fields()))
    config = {
        "db": storage.db_url(db), "scan_id": scan_id, "start_urls": urls, "profile": profile,
        "unit": unit, "column": column, "resume": resumed, "max_pages": max_pages,
        "previous_scan_id": scans.previous_complete_scan(engine, urls[0], scan_id),
        "settings": {"HTTPCACHE_DIR": cache_dir(storage.db_url(db), urls[0]), **(settings or {})},
        "quiet": quiet,
    }
    engine.dispose()
    events = _run_child(config, quiet, on_event)
    fatal = next((e for e in reversed(events) if e.get("type") == "fatal"), None)
    if fatal:
        error = GovauditError(fatal["message"], int(fatal.get("code", EXIT_INTERNAL)))
        error.detail = fatal.get("detail") or ""     # the child's error output, for the schedule log
        raise error
    return scan_id


def child_command(module: str) -> tuple[list[str], dict]:
    """``python -m module`` that runs this process's own code whatever the working directory
    holds (a ``govaudit/`` output root, a clone named ``govaudit``): the interpreter is told not
    to put the working directory on ``sys.path`` (``-P``), and the directory this process's
    packages were imported from (a checkout, an editable install) comes first on PYTHONPATH.  A
    regular install lives in site-packages, which is on the path anyway.  Returns (argv, env
    additions)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(crawler.__file__)))
    env = {}
    if os.path.basename(root) not in ("site-packages", "dist-packages"):
        # An empty entry would mean the working directory again.
        rest = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != root]
        env["PYTHONPATH"] = os.pathsep.join([root, *rest])
    if sys.version_info >= (3, 11):
        return [sys.executable, "-P", "-m", module], env
    bootstrap = f"import runpy, sys; del sys.path[0]; runpy.run_module({module!r}, run_name='__main__', alter_sys=True)"
    return [sys.executable, "-c", bootstrap], env


@contextlib.contextmanager
def _termination_interrupts():
    """SIGTERM (``kill``, ``systemctl stop``) and SIGHUP (the terminal closed) stop a crawl the way
    Ctrl-C does: cleanly, with the scan recorded as interrupted."""
    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    previous = {}
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) != signal.SIG_IGN:     # nohup: the terminal may go away
                previous[sig] = signal.signal(sig, interrupt)
    except ValueError:      # not the main thread: leave signals alone
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)


def _pass_interrupt(child: subprocess.Popen, times: int) -> None:
    """Ctrl-C reaches the child too (same process group); it stops cleanly at the first signal and
    takes a repeat within a moment for the same one.  Asked a third time, stop it at once."""
    if child.poll() is not None:
        return
    if times >= 3:
        child.kill()
    else:
        child.send_signal(signal.SIGINT)


def _run_child(config: dict, quiet: bool, on_event) -> list[dict]:
    fd, config_path = tempfile.mkstemp(prefix="govaudit-crawl-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(dict(config, config_is_temporary=True), fh, ensure_ascii=False)   # the child removes it
    argv, child_env = child_command("crawler.worker")
    env = dict(os.environ, PYTHONUNBUFFERED="1", GOVAUDIT_PARENT_PID=str(os.getpid()), **child_env)
    # The child's stderr (a traceback, Scrapy's errors) goes to a file that a failure names and
    # a scheduled run copies into its log; GOVAUDIT_CRAWL_LOG_LEVEL shows it on the terminal.
    log_path = None
    if not os.environ.get("GOVAUDIT_CRAWL_LOG_LEVEL"):
        log_fd, log_path = tempfile.mkstemp(prefix=f"govaudit-crawl-{config['scan_id']}-", suffix=".log")
        env["GOVAUDIT_CRAWL_LOG_LEVEL"] = "ERROR"
    events: list[dict] = []
    display = None if quiet else ProgressDisplay()
    interrupts = 0
    try:
        read_fd, write_fd = os.pipe()
        with _termination_interrupts():
            try:
                child = subprocess.Popen([*argv, config_path, str(write_fd)], pass_fds=(write_fd,),
                                         stdin=subprocess.DEVNULL, stderr=log_fd if log_path else None, env=env)
            finally:
                os.close(write_fd)
                if log_path:
                    os.close(log_fd)
            with os.fdopen(read_fd, "r", encoding="utf-8") as stream:
                if display:
                    display.start()
                while True:
                    try:
                        for line in stream:
                            _handle_event(line, events, on_event, display)
                        returncode = child.wait()
                        break
                    except KeyboardInterrupt:
                        interrupts += 1
                        _pass_interrupt(child, interrupts)
    finally:
        if display:
            display.stop()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(config_path)      # when the child could not
    keep_log = _check_outcome(config, returncode, events, interrupted=interrupts > 0, log_path=log_path)
    if log_path and not keep_log:
        os.unlink(log_path)
    if interrupts:
        raise KeyboardInterrupt
    return events


def _handle_event(line: str, events: list, on_event, display) -> None:
    try:
        event = json.loads(line)
    except ValueError:
        return
    if event.get("type") != "progress":
        events.append(event)
    if on_event:
        on_event(event)
    if display:
        display.update(event)


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
