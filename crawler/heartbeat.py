"""A campaign site's heartbeat: its row's ``heartbeat_at``, refreshed while its job runs.

A worker that dies leaves its site ``running`` with an old heartbeat, and the next delivery takes
the site over (``govaudit.campaign.store.is_stale``).  The beat comes from a thread, not from the
reactor, so a busy reactor (the end of a large crawl) never looks like a dead worker, and it
touches the row only while ``worker`` still holds it.

``SiteHeartbeat`` beats from the job's own process around its audit; ``CrawlHeartbeat`` (a
Scrapy extension) beats from the crawl child, because the job holds no database connection while
its crawl runs (``govaudit/campaign/job.py``).  Settings: ``GOVAUDIT_HEARTBEAT_SITE_ID`` (unset:
not a campaign crawl), ``GOVAUDIT_HEARTBEAT_WORKER``, ``GOVAUDIT_HEARTBEAT_SECONDS``.
"""
from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from govaudit.core import storage

log = logging.getLogger(__name__)


class SiteHeartbeat:
    """A thread that refreshes campaign site ``site_id``'s heartbeat every ``seconds`` while
    ``worker`` holds it; a context manager, or ``start()`` and ``stop()``."""

    def __init__(self, db: str, site_id: int, worker: str, seconds: float):
        self.db, self.site_id, self.worker, self.seconds = db, site_id, worker, seconds
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{site_id}", daemon=True)

    def beat(self, engine) -> None:
        cs = storage.campaign_site
        with engine.begin() as conn:
            conn.execute(update(cs).where(cs.c.id == self.site_id, cs.c.worker == self.worker)
                         .values(heartbeat_at=time.time()))

    def _run(self) -> None:
        engine = storage.connect(self.db, create=False)
        try:
            while not self.stop_event.wait(self.seconds):
                try:
                    self.beat(engine)
                except SQLAlchemyError as exc:       # a DB hiccup: the next beat tries again
                    log.warning("heartbeat of campaign site %s failed: %s", self.site_id, exc)
        finally:
            engine.dispose()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=30)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


class CrawlHeartbeat:
    """Scrapy extension: the campaign site's heartbeat for as long as its crawl child runs."""

    def __init__(self, crawler):
        # lazy: the campaign's own processes use SiteHeartbeat and must not load Scrapy for it
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        s = crawler.settings
        site_id = s.getint("GOVAUDIT_HEARTBEAT_SITE_ID")
        if not site_id:
            raise NotConfigured("not a campaign crawl")
        self.heartbeat = SiteHeartbeat(s.get("GOVAUDIT_DB"), site_id, s.get("GOVAUDIT_HEARTBEAT_WORKER"),
                                       s.getfloat("GOVAUDIT_HEARTBEAT_SECONDS"))
        # From the engine's start to its stop: the checks at the end of a crawl included.
        crawler.signals.connect(self.heartbeat.start, signal=signals.engine_started)
        crawler.signals.connect(self.heartbeat.stop, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)
