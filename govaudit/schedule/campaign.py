"""A scheduled campaign (``govaudit schedule run --sites sites.yaml``): the same lock, layout,
retention and comparison as a scheduled site, for all the sites of a campaign at once.

``<root>/campaign-<sites file>/<YYYY-MM>/`` holds the campaign report and every site's folder;
``latest`` points at the newest; the newest ``--keep`` campaigns of the sites file are kept (older
ones lose their scans, rows and folders); the campaign report compares each site with the
previous campaign by itself.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from sqlalchemy import delete, select

from govaudit import history
from govaudit.campaign.run import create, execute
from govaudit.core import clock, storage
from govaudit.core.locking import ensure_db_writable, site_lock
from govaudit.schedule.job import Job
from govaudit.schedule.layout import RUN_INFO, file_logging, month_of, outcome_log, point_latest
from govaudit.workflow import today

log = logging.getLogger(__name__)


def scheduled_campaign(job: Job, quiet: bool = True) -> dict:
    with file_logging(job.output_root, quiet):
        site_dir = job.output_root / job.site()
        with site_lock(site_dir):
            log.info("scheduled campaign of %s started (pid %d)", job.sites, os.getpid())
            as_of = job.as_of or today()
            month = month_of(as_of)
            out = site_dir / month
            if out.exists():              # a second run within the month replaces the first's folder
                shutil.rmtree(out)
            db = storage.db_url(job.db_url())
            campaign_id = create(db, job.sites, out, as_of, job.broker, job.max_pages)
            paths = execute(db, campaign_id, job.workers, job.broker)
            point_latest(site_dir, month)
            deleted = apply_campaign_retention(db, campaign_id, job.keep)
            info = {"campaign_id": campaign_id, "as_of": as_of.isoformat(), "month": month,
                    "report": paths["report.html"], "deleted_campaigns": deleted, "finished_at": clock.utc_now()}
            (out / RUN_INFO).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
        outcome_log.info("scheduled campaign %s of %s done: report %s, deleted campaigns %s", campaign_id,
                         job.sites, paths["report.html"], deleted)
    return info


def apply_campaign_retention(db: str, campaign_id: int, keep: int) -> list[int]:
    """Delete the campaigns of the same sites file older than the newest ``keep``: their scans,
    rows and report folders (a folder still named by a kept campaign stays)."""
    c, cs = storage.campaign, storage.campaign_site
    engine = storage.connect(db)
    ensure_db_writable(engine)
    try:
        with engine.connect() as conn:
            sites_file = conn.execute(select(c.c.sites_file).where(c.c.id == campaign_id)).scalar()
            rows = conn.execute(select(c.c.id, c.c.out_dir).where(c.c.sites_file == sites_file)
                                .order_by(c.c.id.desc())).all()
        victims, kept_dirs = rows[keep:], {r.out_dir for r in rows[:keep]}
        ids = [r.id for r in victims]
        if not ids:
            return []
        with engine.connect() as conn:
            scans = [s for (s,) in conn.execute(select(storage.scan.c.id).where(storage.scan.c.campaign_id.in_(ids)))]
        history.delete_scans(engine, scans)
        with engine.begin() as conn:
            conn.execute(delete(cs).where(cs.c.campaign_id.in_(ids)))
            conn.execute(delete(c).where(c.c.id.in_(ids)))
        for r in victims:
            if r.out_dir and r.out_dir not in kept_dirs:
                shutil.rmtree(Path(r.out_dir), ignore_errors=True)
        return ids
    finally:
        engine.dispose()
