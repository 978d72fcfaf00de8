"""The campaign's rows (``campaign``, ``campaign_site`` in govaudit/core/storage.py): created once
by ``campaign run``, then each site's row is claimed, kept alive and closed by the job that runs
it, whichever process or machine that is.

Claiming is a compare-and-set on the row (status, worker, heartbeat as read), so two deliveries of
one job never run one site at once, and a site whose worker died is taken over.
"""
from __future__ import annotations

import os
import socket
import time

from sqlalchemy import func, insert, select, update

from crawler.heartbeat import SiteHeartbeat
from govaudit.campaign.settings import settings
from govaudit.core import clock, storage

TERMINAL = ("complete", "failed", "blocked")
c, cs = storage.campaign, storage.campaign_site


def worker_id(pid: int | None = None) -> str:
    """Who holds a site: a process (default: this one) and its host."""
    return f"{socket.gethostname()}:{os.getpid() if pid is None else pid}"


def create_campaign(engine, sites_doc: dict, out_dir: str, as_of: str, mode: str, run_settings: dict) -> int:
    with engine.begin() as conn:
        cid = conn.execute(insert(c).values(
            name=sites_doc["name"], sites_file=sites_doc["file"], out_dir=out_dir, as_of=as_of, mode=mode,
            started_at=clock.utc_now(), status="running", settings=run_settings)).inserted_primary_key[0]
        for i, site in enumerate(sites_doc["sites"], 1):
            conn.execute(insert(cs).values(
                campaign_id=cid, position=i, name=site["name"], start_url=site["start_url"],
                profile_path=site["profile"], level=site["level"], grp=site["group"], status="pending",
                attempts=0))
    return cid


def campaign_row(engine, campaign_id: int | None = None):
    """The campaign (the latest when no id is given), or None."""
    with engine.connect() as conn:
        query = select(c)
        query = query.where(c.c.id == campaign_id) if campaign_id else query.order_by(c.c.id.desc()).limit(1)
        return conn.execute(query).mappings().first()


def site_rows(engine, campaign_id: int) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(cs).where(cs.c.campaign_id == campaign_id)
                                              .order_by(cs.c.position)).mappings()]


def site_row(engine, site_id: int):
    with engine.connect() as conn:
        row = conn.execute(select(cs).where(cs.c.id == site_id)).mappings().first()
    return dict(row) if row else None


def is_stale(row, now: float | None = None) -> bool:
    """A running site whose job is gone: its process is dead (this machine) or its heartbeat is old."""
    host, _, pid = (row.get("worker") or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
    beat = row.get("heartbeat_at") or 0
    return (now or time.time()) - beat > settings()["stale_after_seconds"]


def claim(engine, row: dict, worker: str | None = None) -> bool:
    """Take the site for ``worker`` (default: this process), if it still is as ``row`` says (pending,
    or running stale)."""
    with engine.begin() as conn:
        done = conn.execute(update(cs).where(
            cs.c.id == row["id"], cs.c.status == row["status"],
            cs.c.worker.is_(None) if row.get("worker") is None else cs.c.worker == row["worker"],
            cs.c.attempts == row["attempts"],
        ).values(status="running", worker=worker or worker_id(), heartbeat_at=time.time(),
                 attempts=row["attempts"] + 1,
                 started_at=row.get("started_at") or clock.utc_now(), reason=None))
        return done.rowcount == 1


def finish(engine, site_id: int, status: str, **values) -> None:
    with engine.begin() as conn:
        conn.execute(update(cs).where(cs.c.id == site_id, cs.c.worker == worker_id())
                     .values(status=status, finished_at=clock.utc_now(), heartbeat_at=time.time(), **values))


def release(engine, site_id: int, reason: str) -> None:
    """Give the site back (pending) after its job was interrupted; its scan is resumed by the next job."""
    with engine.begin() as conn:
        conn.execute(update(cs).where(cs.c.id == site_id, cs.c.worker == worker_id())
                     .values(status="pending", worker=None, reason=reason))


def set_scan(engine, site_id: int, scan_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(update(cs).where(cs.c.id == site_id).values(scan_id=scan_id))


def heartbeat(db: str, site_id: int) -> SiteHeartbeat:
    """The site's heartbeat, from a thread of this process, while its job runs."""
    return SiteHeartbeat(db, site_id, worker_id(), settings()["heartbeat_seconds"])


def campaign_scan(engine, site_id: int):
    """The latest scan made for this campaign site (id, status), or None."""
    s = storage.scan
    with engine.connect() as conn:
        return conn.execute(select(s.c.id, s.c.status).where(s.c.campaign_site_id == site_id)
                            .order_by(s.c.id.desc()).limit(1)).mappings().first()


def pages_crawled(engine, scan_ids: list[int]) -> dict[int, int]:
    if not scan_ids:
        return {}
    p = storage.page
    with engine.connect() as conn:
        rows = conn.execute(select(p.c.scan_id, func.count()).where(p.c.scan_id.in_(scan_ids))
                            .group_by(p.c.scan_id)).all()
    return {int(k): int(n) for k, n in rows}


def close_campaign(engine, campaign_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(update(c).where(c.c.id == campaign_id).values(status="complete", finished_at=clock.utc_now()))


def previous_campaign(engine, campaign: dict):
    """The latest complete campaign of the same sites file before this one, or None."""
    with engine.connect() as conn:
        return conn.execute(select(c).where(c.c.sites_file == campaign["sites_file"], c.c.id < campaign["id"],
                                            c.c.status == "complete")
                            .order_by(c.c.id.desc()).limit(1)).mappings().first()
