"""One site of a campaign: the job a worker process runs (embedded pool or Celery worker).

It claims the site's row, crawls the site (resuming this campaign's interrupted scan of it, if a
killed worker left one), audits it, writes its report into the campaign's folder and records the
outcome.  A job delivered again for a site that is done returns at once; for a site another live
worker is running, it waits until that one finishes or is found dead, then takes over.  So
redelivery never loses a site and never crawls one twice.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import time
from pathlib import Path

from crawler.runner import crawl
from govaudit.campaign import store
from govaudit.campaign.sites import report_dir_name, settings, site_profile
from govaudit.core import scans, storage
from govaudit.core.errors import EXIT_UNREACHABLE, GovauditError
from govaudit.workflow import audit_and_report

log = logging.getLogger(__name__)
WAIT_SECONDS = 5
INTERRUPTED = "检查被中断，可用 campaign run --resume 继续 / interrupted: continue with campaign run --resume"


def run_site(db: str, site_id: int, redis_url: str | None = None) -> str:
    """Run (or finish) one campaign site; returns its status afterwards."""
    engine = storage.connect(db, create=False)
    try:
        row = _claim_or_wait(engine, site_id)
        if row is None:
            return (store.site_row(engine, site_id) or {}).get("status", "missing")
        try:
            with store.Heartbeat(db, site_id):
                status, values = _scan_and_report(engine, db, row, redis_url)
        except KeyboardInterrupt:
            store.release(engine, site_id, INTERRUPTED)     # --resume continues its scan
            raise
        store.finish(engine, site_id, status, **values)
        log.info("campaign site %s (%s): %s %s", site_id, row["name"], status, values.get("reason") or "")
        return status
    finally:
        engine.dispose()


def _claim_or_wait(engine, site_id: int):
    """The site's row once this process owns it; None when there is nothing left to do."""
    while True:
        row = store.site_row(engine, site_id)
        if row is None or row["status"] in store.TERMINAL:
            return None
        if row["status"] == "pending" or store.is_stale(row):
            if store.claim(engine, row):
                return store.site_row(engine, site_id)
            continue                     # another delivery claimed it first: look again
        time.sleep(WAIT_SECONDS)         # running elsewhere and alive: wait, in case it dies


def _scan_and_report(engine, db: str, row: dict, redis_url: str | None) -> tuple[str, dict]:
    campaign = store.campaign_row(engine, row["campaign_id"])
    run_settings = dict(campaign["settings"] or {})
    site = {"start_url": row["start_url"], "profile": row["profile_path"]}
    out = Path(campaign["out_dir"]) / report_dir_name(row["position"], row["name"])
    try:
        profile = site_profile(site, run_settings.get("report"))
        scan_id = _crawl(engine, db, campaign, row, profile, run_settings, redis_url)
        store.set_scan(engine, row["id"], scan_id)
        if (store.campaign_scan(engine, row["id"]) or {}).get("status") == "interrupted":
            # The crawl child was stopped (Ctrl-C reached it, not this process): a part of the
            # site is no result, and a complete site is never crawled again.
            raise KeyboardInterrupt
        as_of = dt.date.fromisoformat(campaign["as_of"])
        previous = scans.previous_scan_id(engine, scan_id)
        audit_and_report(engine, scan_id, as_of, out, profile=profile, compare_to=previous)
    except GovauditError as exc:
        return _failure(exc), {"reason": exc.message}
    except Exception as exc:       # a bug: the site fails with its reason, the campaign goes on
        log.exception("campaign site %s (%s) failed with an internal error", row["id"], row["name"])
        return "failed", {"reason": f"内部错误 / internal error: {type(exc).__name__}: {exc}"}
    return "complete", {"scan_id": scan_id, "report_dir": str(out), "reason": None}


def _crawl(engine, db, campaign, row, profile, run_settings: dict, redis_url: str | None) -> int:
    previous = store.campaign_scan(engine, row["id"])
    if previous is not None and previous["status"] in ("complete", "incomplete"):
        return previous["id"]            # crawled (to the end or the --max-pages cap) before its worker died
    resume = previous["id"] if previous is not None and previous["status"] != "failed" else None
    scrapy_settings = dict(run_settings.get("scrapy") or {})
    if redis_url:
        scrapy_settings["GOVAUDIT_REDIS_URL"] = redis_url
    log.info("campaign %s site %s: %s %s", campaign["id"], row["name"], "resuming scan" if resume else "crawling",
             resume or row["start_url"])
    return crawl(db=db, start_urls=[row["start_url"]], profile=profile, quiet=True,
                 max_pages=run_settings.get("max_pages"), settings=scrapy_settings,
                 scan_values={"campaign_id": campaign["id"], "campaign_site_id": row["id"]}, resume_scan=resume)


def _failure(exc: GovauditError) -> str:
    """blocked: the site answered the scanner with a refusal (WAF, rate limit); else failed."""
    if exc.code == EXIT_UNREACHABLE:
        status = re.search(r"HTTP (\d{3})", exc.message)
        if status and int(status.group(1)) in settings()["blocked_statuses"]:
            return "blocked"
    return "failed"
