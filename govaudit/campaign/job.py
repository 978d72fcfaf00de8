"""One site of a campaign: the job a worker process runs (embedded pool or Celery worker).

It claims the site's row, crawls the site (resuming this campaign's interrupted scan of it, if a
killed worker left one), audits it, writes its report into the campaign's folder and records the
outcome.  A job delivered again for a site that is done returns at once; for a site another live
worker is running, it waits until that one finishes or is found dead, then takes over.  So
redelivery never loses a site and never crawls one twice.

Workers run side by side, so a job holds little while its crawl runs, as ``govaudit scan`` does:

1. ``govaudit.campaign.prepare`` claims the site and makes its crawl's configuration, in a
   process of its own that has ended before the crawl starts;
2. ``crawler.child.run_child`` runs the crawl child, which keeps the site's row alive
   (``crawler.heartbeat``);
3. then, with the crawl's processes gone, SQLAlchemy, the audits and the report are imported to
   audit the site and record its outcome.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
from pathlib import Path

from crawler.child import run_child
from govaudit import oneshot
from govaudit.core.errors import EXIT_UNREACHABLE, GovauditError

log = logging.getLogger(__name__)
FOREIGN = "foreign"         # the site's campaign is not in this database (a worker given another --db)
INTERRUPTED = "检查被中断，可用 campaign run --resume 继续 / interrupted: continue with campaign run --resume"


def run_site(db: str, site_id: int, redis_url: str | None = None, campaign_id: int | None = None) -> str:
    """Run (or finish) one campaign site; returns its status afterwards, or ``FOREIGN`` when
    ``campaign_id`` is given and the site is not of that campaign in ``db``."""
    try:
        prepared = prepare(db, site_id, redis_url, campaign_id)
        if "site" not in prepared:
            return prepared["status"]
        site = prepared["site"]
        outcome = None
        if "config" in prepared:
            log.info("campaign %s site %s: %s %s", site["campaign_id"], site["name"],
                     "resuming scan" if prepared.get("resumed") else "crawling",
                     prepared.get("resumed") or prepared["config"]["start_urls"][0])
            outcome = run_child(prepared["config"], True)
        return _after_crawl(db, prepared, outcome)
    except KeyboardInterrupt:
        _release(db, site_id)       # --resume continues its scan
        raise


def prepare(db: str, site_id: int, redis_url: str | None, campaign_id: int | None = None) -> dict:
    """``govaudit.campaign.prepare``'s answer for this site (its module says which), or its fault
    before the claim raised here as the one-line ``GovauditError`` it is."""
    request = {"what": "site", "db": db, "site_id": site_id, "campaign_id": campaign_id,
               "redis_url": redis_url, "owner_pid": os.getpid()}
    return oneshot.ask("govaudit.campaign.prepare", request, "the campaign job's preparation")


def _after_crawl(db: str, prepared: dict, outcome) -> str:
    # lazy: SQLAlchemy, the audits and the report are imported once the crawl's processes are
    # gone, not held beside them for the whole crawl (module docstring)
    from govaudit.campaign import store
    from govaudit.core import storage

    site = prepared["site"]
    engine = storage.connect(db, create=False)
    try:
        with store.heartbeat(db, site["id"]):
            status, values = _audit(engine, prepared, outcome)
        store.finish(engine, site["id"], status, **values)
        log.info("campaign site %s (%s): %s %s", site["id"], site["name"], status, values.get("reason") or "")
        return status
    finally:
        engine.dispose()


def _audit(engine, prepared: dict, outcome) -> tuple[str, dict]:
    # lazy: after the crawl (module docstring)
    from crawler.runner import finish_crawl
    from govaudit import workflow
    from govaudit.campaign import store
    from govaudit.core import scans

    site = prepared["site"]
    if "failure" in prepared:
        return prepared["failure"]["status"], {"reason": prepared["failure"]["reason"]}
    out = Path(site["out"])
    try:
        scan_id = prepared["scan_id"] if "scan_id" in prepared else finish_crawl(prepared["config"], outcome)
        store.set_scan(engine, site["id"], scan_id)
        if (store.campaign_scan(engine, site["id"]) or {}).get("status") == "interrupted":
            # The crawl child was stopped (Ctrl-C reached it, not this process): a part of the
            # site is no result, and a complete site is never crawled again.
            raise KeyboardInterrupt
        previous = scans.previous_scan_id(engine, scan_id)
        workflow.audit_and_report(engine, scan_id, dt.date.fromisoformat(site["as_of"]), out,
                                  profile=site["profile"], compare_to=previous)
    except GovauditError as exc:
        return failure_status(exc), {"reason": exc.message}
    except Exception as exc:       # a bug: the site fails with its reason, the campaign goes on
        log.exception("campaign site %s (%s) failed with an internal error", site["id"], site["name"])
        return "failed", {"reason": f"内部错误 / internal error: {type(exc).__name__}: {exc}"}
    return "complete", {"scan_id": scan_id, "report_dir": str(out), "reason": None}


def _release(db: str, site_id: int) -> None:
    """Give an interrupted site back (pending), if this process holds it.  A database that cannot
    be opened leaves it running with this process gone: stale, and resumed all the same."""
    # lazy: only when interrupted (module docstring)
    from govaudit.campaign import store
    from govaudit.core import storage

    try:
        engine = storage.connect(db, create=False)
    except GovauditError:
        return          # the interruption, not this, is what the user is told
    try:
        store.release(engine, site_id, INTERRUPTED)
    finally:
        engine.dispose()


def failure_status(exc: GovauditError) -> str:
    """blocked: the site answered the scanner with a refusal (WAF, rate limit); else failed."""
    from govaudit.campaign.settings import settings    # lazy: PyYAML, only for a failure

    if exc.code == EXIT_UNREACHABLE:
        status = re.search(r"HTTP (\d{3})", exc.message)
        if status and int(status.group(1)) in settings()["blocked_statuses"]:
            return "blocked"
    return "failed"
