"""What a campaign's job and worker do before their work, in a short-lived process.

A campaign job (``job.run_site``) waits on its site's crawl, for up to hours, beside the other
sites' jobs.  Claiming the site, loading its profile and creating or reopening its scan row need
SQLAlchemy, PyYAML and jsonschema: about 26 MB of a job process's 44 MB RSS (measured
2026-12-06), which the job would hold for the whole crawl.  So they run here, in
``python -m govaudit.campaign.prepare``, as ``govaudit.preflight`` does for ``govaudit scan``: it
reads one request (JSON) on stdin, answers one line of JSON on stdout (``govaudit.oneshot``), and
has ended before the crawl starts.  A Celery worker's main process opens its database here too,
because its job processes are forks of it.

``{"what": "site", "db", "site_id", "campaign_id", "redis_url", "owner_pid"}``: the site is
claimed for the job process ``owner_pid``, which is also the scan's runner.  The answer is one of

* ``{"status"}``: nothing to do (the site is finished, or gone), or ``job.FOREIGN`` (the site
  is not of ``campaign_id`` in this database: a worker given another ``--db``);
* ``{"site", "failure": {"status", "reason"}}``: claimed, and failed before its crawl;
* ``{"site", "scan_id"}``: claimed, and crawled before (by a worker that died after its crawl);
* ``{"site", "config", "resumed"}``: claimed; ``config`` is the crawl child's configuration;
* ``{"error", "code"}``: a fault before the claim (the database cannot be opened).

``site`` is what the job needs after the crawl: ``{"id", "name", "campaign_id", "out", "as_of",
"profile"}``.  ``{"what": "database", "db"}`` opens (and creates) a worker's database:
``{"db"}`` or the error.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from crawler.runner import prepare_crawl
from govaudit import oneshot
from govaudit.campaign import store
from govaudit.campaign.job import FOREIGN, failure_status
from govaudit.campaign.settings import settings
from govaudit.campaign.sites import report_dir_name, site_profile
from govaudit.core import storage
from govaudit.core.errors import GovauditError, internal_error_line

WAIT_SECONDS = 5


def prepare_site(request: dict) -> dict:
    engine = storage.connect(request["db"], create=False)
    site_id = int(request["site_id"])
    try:
        if request.get("campaign_id") is not None:
            row = store.site_row(engine, site_id)
            if row is None or row["campaign_id"] != request["campaign_id"]:
                return {"status": FOREIGN}
        worker = store.worker_id(request.get("owner_pid"))
        row = claim_or_wait(engine, site_id, worker, request.get("owner_pid"))
        if row is None:
            return {"status": (store.site_row(engine, site_id) or {}).get("status", "missing")}
        campaign = store.campaign_row(engine, row["campaign_id"])
        run_settings = dict(campaign["settings"] or {})
        site = {"id": row["id"], "name": row["name"], "campaign_id": campaign["id"],
                "as_of": campaign["as_of"], "profile": None,
                "out": str(Path(campaign["out_dir"]) / report_dir_name(row["position"], row["name"]))}
        try:
            site["profile"] = site_profile({"start_url": row["start_url"], "profile": row["profile_path"]},
                                           run_settings.get("report"))
            crawl = _crawl_or_scan(engine, request, campaign, row, site["profile"], run_settings, worker)
            return {"site": site, **crawl}
        except GovauditError as exc:
            return {"site": site, "failure": {"status": failure_status(exc), "reason": exc.message}}
        except Exception as exc:    # a bug: the site fails with its reason, the campaign goes on
            return {"site": site, "failure": {"status": "failed", "reason": internal_error_line(exc)}}
    finally:
        engine.dispose()


def claim_or_wait(engine, site_id: int, worker: str, owner_pid: int | None = None):
    """The site's row once ``worker`` owns it; None when there is nothing left to do.  A site
    running elsewhere, alive, is waited for, in case its worker dies; and no longer once the job
    that asked (``owner_pid``, this process's parent) is gone: nothing is claimed for a dead job."""
    while True:
        row = store.site_row(engine, site_id)
        if row is None or row["status"] in store.TERMINAL:
            return None
        if row["status"] == "pending" or store.is_stale(row):
            if store.claim(engine, row, worker):
                return store.site_row(engine, site_id)
            continue                     # another delivery claimed it first: look again
        if owner_pid is not None and os.getppid() != owner_pid:
            return None
        time.sleep(WAIT_SECONDS)


def _crawl_or_scan(engine, request: dict, campaign: dict, row: dict, profile, run_settings: dict,
                   worker: str) -> dict:
    """``{"scan_id"}`` of a site crawled before its worker died, else the crawl's ``{"config"}``
    (resuming this campaign's interrupted scan of the site, if there is one)."""
    previous = store.campaign_scan(engine, row["id"])
    if previous is not None and previous["status"] in ("complete", "incomplete"):
        # crawled (to the end or the --max-pages cap) before its worker died
        return {"scan_id": previous["id"]}
    resume = previous["id"] if previous is not None and previous["status"] != "failed" else None
    scrapy_settings = dict(run_settings.get("scrapy") or {})
    if request.get("redis_url"):
        scrapy_settings["GOVAUDIT_REDIS_URL"] = request["redis_url"]
    # The job holds no database connection while it waits: its crawl child keeps the site's row
    # alive (crawler/heartbeat.py).
    scrapy_settings.update(GOVAUDIT_HEARTBEAT_SITE_ID=row["id"], GOVAUDIT_HEARTBEAT_WORKER=worker,
                           GOVAUDIT_HEARTBEAT_SECONDS=settings()["heartbeat_seconds"])
    config = prepare_crawl(storage.db_url(request["db"]), [row["start_url"]], profile=profile, quiet=True,
                           max_pages=run_settings.get("max_pages"), settings=scrapy_settings,
                           scan_values={"campaign_id": campaign["id"], "campaign_site_id": row["id"]},
                           resume_scan=resume, owner_pid=request.get("owner_pid"))
    return {"config": config, "resumed": resume}


def open_database(request: dict, tries: int = 3) -> dict:
    """Open (and create) a worker's database: ``{"db"}``, or its one line.  Workers started
    together on an empty PostgreSQL database race to create its tables: the loser tries again."""
    for attempt in range(tries - 1):
        try:
            storage.connect(request["db"]).dispose()
            return {"db": request["db"]}
        except GovauditError:
            time.sleep(1 + attempt)
    storage.connect(request["db"]).dispose()
    return {"db": request["db"]}


HANDLERS = {"site": prepare_site, "database": open_database}


def main() -> int:
    return oneshot.serve(lambda request: HANDLERS[request.get("what", "site")](request))


if __name__ == "__main__":
    sys.exit(main())
