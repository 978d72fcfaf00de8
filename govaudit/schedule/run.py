"""One scheduled run: lock, crawl, audit, report into ``<root>/<site>/<YYYY-MM>/``, point
``latest`` at it, compare with the previous scan, apply retention.

The run waits on its crawl for up to hours, as ``govaudit scan`` does, with the standard library
only: the site's name, the database check and the scan row come from ``govaudit.schedule.prepare``
(short-lived processes, before and under the lock), and SQLAlchemy, the audits and the report
are imported once the crawl's processes are gone.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import signal
import time
from pathlib import Path

from crawler.child import run_child
from govaudit import oneshot
from govaudit.core import clock
from govaudit.core.dburl import redacted_url
from govaudit.core.errors import EXIT_INTERNAL, EXIT_OUTPUT, EXIT_UNASSESSABLE, GovauditError, first_line
from govaudit.core.locking import ensure_dir_writable, site_lock
from govaudit.schedule.job import PREPARE, PREPARE_WHAT, Job
from govaudit.schedule.layout import (CHANGES, RUN_INFO, clean_staging, file_logging, month_of, outcome_log,
                                      point_latest, prune_month_dirs, publish)

log = logging.getLogger(__name__)


def scheduled_run(job: Job, quiet: bool = True) -> dict:
    """Crawl, audit and report one site under the lock; return what was done (also in run.json)."""
    root = job.output_root
    with file_logging(root, quiet) as log_path:
        started = time.monotonic()
        what = job.start_url or job.profile
        try:
            with _sigterm_interrupts():
                info = _run_locked(job, quiet)
        except KeyboardInterrupt:
            outcome_log.warning("scheduled run of %s interrupted (exit 130)", what)
            raise
        except GovauditError as exc:
            outcome_log.error("scheduled run of %s failed (exit %d): %s", what, exc.code, exc.message)
            if getattr(exc, "detail", None):     # the crawl child's traceback or errors
                outcome_log.error("error output of the crawl of %s:\n%s", what, exc.detail)
            raise
        except Exception as exc:
            outcome_log.exception("scheduled run of %s failed with an internal error", what)
            raise GovauditError(f"内部错误 / internal error: {type(exc).__name__}: {first_line(exc)} "
                                f"(traceback in {log_path})", EXIT_INTERNAL) from exc
        changed = (info["compare"].get(k, "-") for k in ("new", "fixed", "open"))
        outcome_log.info("scheduled run of %s done in %.0f s: scan %s, report %s, new %s fixed %s open %s, "
                         "deleted scans %s", info["site"], time.monotonic() - started, info["scan_id"],
                         info["report"], *changed, info["deleted_scans"])
        if info.get("unassessable"):
            outcome_log.warning("scheduled run of %s: verdict 无法评价 (exit %d): %s", info["site"], EXIT_UNASSESSABLE,
                                info["unassessable"])
    return info


@contextlib.contextmanager
def _sigterm_interrupts():
    """systemd and the daemon stop a run with SIGTERM: treat it like Ctrl-C, so the crawl is stopped
    cleanly and recorded as interrupted, and the half-written report is removed."""
    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_locked(job: Job, quiet: bool) -> dict:
    site = oneshot.ask(PREPARE, {"what": "site", "profile": job.profile, "start_url": job.start_url,
                                 "quiet": quiet}, PREPARE_WHAT)
    site_dir = job.output_root / site["name"]
    with site_lock(site_dir):
        log.info("scheduled run of %s started (pid %d)", site["name"], os.getpid())
        clean_staging(site_dir)
        as_of = job.as_of or dt.date.today()
        month = month_of(as_of)
        staging = ensure_dir_writable(site_dir / f".{month}.partial-{os.getpid()}")
        try:
            request = {"what": "crawl", "db": job.db_url(), "start_urls": site["start_urls"],
                       "profile": site["profile"], "max_pages": job.max_pages, "owner_pid": os.getpid(),
                       "quiet": quiet}
            prepared = oneshot.ask(PREPARE, request, PREPARE_WHAT)
            info = _crawl_and_report(prepared["config"], site["profile"], as_of, staging)
            info.update(site=site["name"], month=month)
            _write_json(staging / RUN_INFO, info)
            final = publish(staging, site_dir / month)
        except BaseException:
            # A half-written report never stays (and on a full disk this gives the room back).
            shutil.rmtree(staging, ignore_errors=True)
            raise
        point_latest(site_dir, month)
        deleted = _apply_retention(prepared["config"]["db"], site["start_urls"][0], job.keep)
        pruned = prune_month_dirs(site_dir, deleted)
        if pruned:
            log.info("retention: removed report directories %s", [p.name for p in pruned])
    return {**info, "report": str(final / "report.html"), "deleted_scans": deleted}


def _crawl_and_report(config: dict, profile, as_of: dt.date, staging: Path) -> dict:
    outcome = run_child(config, True)
    # lazy: SQLAlchemy, the audits and the report are imported once the crawl's processes are
    # gone, not held beside them for the whole crawl (module docstring)
    from crawler.runner import finish_crawl
    from govaudit.core import comparison, scans, storage
    from govaudit.workflow import audit_and_report, unassessable_reason

    scan_id = finish_crawl(config, outcome)
    engine = storage.connect(config["db"])
    try:
        previous = scans.previous_scan_id(engine, scan_id)
        log.info("scan %s crawled; comparing with %s", scan_id, previous or "nothing (first scan)")
        paths = audit_and_report(engine, scan_id, as_of, staging, profile=profile, compare_to=previous)
        unassessable = unassessable_reason(engine, scan_id)
        changes = comparison.compare(engine, scan_id, previous) if previous and not unassessable else None
    finally:
        engine.dispose()
    # The keys of what changed, for scripts that track 整改 month over month.  The first scan of a
    # site writes the file too, and so does a scan that cannot be judged: nothing compared, so
    # empty lists and "compared": false.
    keys = {name: [f["key"] for f in items] for name, items in (changes or {}).items()}
    _write_json(staging / CHANGES, {"scan_id": scan_id, "previous_scan_id": previous,
                                    "compared": bool(changes),
                                    **{name: keys.get(name, []) for name in ("new", "fixed", "open")}})
    info = {"scan_id": scan_id, "previous_scan_id": previous, "as_of": as_of.isoformat(),
            "db": _redacted(config["db"]), "unassessable": unassessable,
            "compare": comparison.compare_counts(changes) if changes else {},
            "files": sorted(Path(p).name for p in paths.values()),
            "finished_at": clock.utc_now()}
    return info


def _apply_retention(db: str, start_url: str, keep: int) -> list[int]:
    # lazy: imported after the crawl (module docstring)
    from govaudit import history
    from govaudit.core import storage

    engine = storage.connect(db)
    try:
        return history.apply_retention(engine, start_url, keep)
    finally:
        engine.dispose()


def _write_json(path: Path, data: dict) -> None:
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        raise GovauditError(f"无法写入 / cannot write {path}: {exc.strerror or exc}", EXIT_OUTPUT) from exc


def _redacted(url: str) -> str:
    """A database URL without its password, for files a colleague may read."""
    return redacted_url(url or "")
