"""Helpers of the crawler tests: the simulated site over real HTTP, crawls of it into SQLite."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from audits.config import merged_config
from audits.runner import audit_scan
from audits.snapshot import Snapshot as AuditSnapshot
from audits.docparts import document_view
from crawler.runner import crawl
from crawler.settings import loopback_overrides
from govaudit.core import storage
from sitesim.server import start_background
from tests.conftest import AS_OF, SEED
# Loopback crawls: same settings as for real sites but for concurrency and delays.
FAST = loopback_overrides()


def start_sim(size="small", **kw):
    """A simulator of its own, for a test that stops it or serves another generation or size
    (the shared small site is the session fixture ``small_sim``)."""
    return start_background(seed=SEED, size=size, as_of=AS_OF, **kw)


class Snapshot:
    """Read access to one stored scan, for assertions."""

    def __init__(self, db: str, scan_id: int):
        self.db = db
        self.scan_id = scan_id
        self.engine = storage.connect(db)

    def rows(self, table, **where):
        q = select(table).where(table.c.scan_id == self.scan_id)
        for key, value in where.items():
            q = q.where(table.c[key] == value)
        with self.engine.connect() as conn:
            return conn.execute(q).mappings().all()

    def by_url(self, table, key="url"):
        return {r[key]: r for r in self.rows(table)}

    def requests_but_spider_views(self, requests):
        """``requests`` (method, path, status) without the one GET per page the crawler asked again
        as Baiduspider on purpose (crawler/spiderview.py, ``scan.stats.spider_views``)."""
        with self.engine.connect() as conn:
            stats = conn.execute(select(storage.scan.c.stats).where(storage.scan.c.id == self.scan_id)).scalar()
        again = Counter(urlsplit(u).path for u in (stats or {}).get("spider_views") or {})
        out = []
        for method, path, status in requests:
            if method == "GET" and again[path.split("?")[0]]:
                again[path.split("?")[0]] -= 1
                continue
            out.append((method, path, status))
        return out

    def judged_documents(self) -> set[str]:
        """The stored documents the audits count as documents (a page saying 页面不存在 is stored
        too, and judged a soft 404 by the audit configuration)."""
        return set(document_view(AuditSnapshot.load(self.engine, self.scan_id), merged_config())["url"])

    @property
    def scan(self):
        with self.engine.connect() as conn:
            return conn.execute(select(storage.scan).where(storage.scan.c.id == self.scan_id)).mappings().first()


def crawl_into(tmp_dir: Path, url: str, name="scan.db", **kw) -> Snapshot:
    db = storage.db_url(str(tmp_dir / name))
    settings = {**FAST, **kw.pop("settings", {})}
    scan_id = crawl(db=db, start_urls=[url], settings=settings, **kw)
    return Snapshot(db, scan_id)


def scan_then_rescan_next_generation(db: str, audit: bool = False) -> tuple[Snapshot, Snapshot, dict]:
    """Scan the small site (and audit it, like ``govaudit scan``), then re-scan the simulator's
    next generation at the same address: (first, second, the second generation's manifest)."""
    base = start_sim("small")
    port = base.port
    try:
        first = Snapshot(db, crawl(db=db, start_urls=[base.url], settings=FAST))
        if audit:
            audit_scan(first.engine, first.scan_id, AS_OF)
    finally:
        base.stop()
    later = start_sim("small", mutation=1, port=port)
    try:
        second = Snapshot(db, crawl(db=db, start_urls=[later.url], settings=FAST))
        return first, second, later.manifest
    finally:
        later.stop()
