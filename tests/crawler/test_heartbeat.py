"""A campaign site's heartbeat comes from its crawl child while the job waits on the crawl.

The job process holds no database connection during its crawl (govaudit/campaign/job.py); if
nothing refreshed the site's row, another worker would take a site over from a live one after
``stale_after_seconds``.
"""
import time

import pytest
from crawler_helpers import FAST
from fixture_site import one_column_site
from sqlalchemy import select, update

from crawler.heartbeat import SiteHeartbeat
from crawler.runner import crawl
from govaudit.campaign import store
from govaudit.core import storage

cs = storage.campaign_site


@pytest.fixture(scope="module")
def site():
    s = one_column_site("工作动态", "第{i}号工作动态信息标题", 8, delay=0.3)
    yield s
    s.stop()


def _two_running_sites(db: str, url: str) -> tuple[int, int]:
    engine = storage.connect(db)
    sites = [{"name": n, "start_url": url, "profile": None, "level": "区县", "group": "测试市"}
             for n in ("甲区", "乙区")]
    cid = store.create_campaign(engine, {"name": "测试", "file": "sites.yaml", "sites": sites}, "out",
                                "2026-12-03", "embedded", {})
    ids = [row["id"] for row in store.site_rows(engine, cid)]
    with engine.begin() as conn:
        for site_id, worker in zip(ids, ("vm:101", "vm:202")):
            conn.execute(update(cs).where(cs.c.id == site_id)
                         .values(status="running", worker=worker, heartbeat_at=0))
    engine.dispose()
    return ids[0], ids[1]


def _heartbeat(engine, site_id: int) -> float:
    with engine.connect() as conn:
        return conn.execute(select(cs.c.heartbeat_at).where(cs.c.id == site_id)).scalar_one()


def test_the_crawl_child_beats_its_campaign_sites_heartbeat(site, tmp_path):
    db = storage.db_url(str(tmp_path / "c.db"))
    mine, other = _two_running_sites(db, site.url)
    engine = storage.connect(db)
    started, seen = time.time(), []

    def during_crawl(event):
        if event["type"] == "progress":
            seen.append(_heartbeat(engine, mine))

    crawl(db=db, start_urls=[site.url], quiet=True, on_event=during_crawl,
          settings={**FAST, "GOVAUDIT_HEARTBEAT_SITE_ID": mine, "GOVAUDIT_HEARTBEAT_WORKER": "vm:101",
                    "GOVAUDIT_HEARTBEAT_SECONDS": 0.2})
    assert any(beat >= started for beat in seen), seen     # refreshed while the crawl ran
    assert _heartbeat(engine, other) == 0


def test_a_heartbeat_never_touches_a_site_another_worker_holds(tmp_path):
    db = storage.db_url(str(tmp_path / "c.db"))
    mine, other = _two_running_sites(db, "http://127.0.0.1:9/")
    engine = storage.connect(db)
    SiteHeartbeat(db, other, "vm:101", 10).beat(engine)      # the site was taken over by vm:202
    SiteHeartbeat(db, mine, "vm:101", 10).beat(engine)
    assert _heartbeat(engine, other) == 0 and _heartbeat(engine, mine) > 0
