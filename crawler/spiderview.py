"""The site as a search engine's spider sees it: the homepage and a few documents fetched again
as Baiduspider (its User-Agent and a Baidu search Referer), with the off-site links of that answer.

A hacked site often serves its 暗链 only to spiders (cloaking).  This records facts: per page, the
off-site links the spider was shown (``scan.stats.spider_views``); the audits compare them with
the links the ordinary fetch stored (``link_source``).  The requests go through the same
downloader (politeness, robots.txt as it applies to Baiduspider).  ``--resume`` keeps the views
the interrupted run stored and asks again for those it could not take (refused, blocked), so a
resumed scan holds the views of a scan that ran through.  Each view is stored as it is taken
(``keep``), so a crawl killed with -9 keeps them too.
"""
from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import select, update

from crawler.extract.hidden import link_hiding
from crawler.extract.page import outgoing_links
from crawler.requestinfo import RequestInfo, build_request, info_of
from crawler.responses import page_of
from govaudit.core import storage

BAIDU_UA = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
BAIDU_REFERER = "https://www.baidu.com/s?wd="
MAX_LINKS = 200      # off-site links kept per page


class SpiderView:
    """Asks for ``sample`` pages (the homepage first) again as Baiduspider; ``views`` holds what
    each showed: {url: {"status", "links": [[target, anchor], ...], "word": the Referer's search word}}."""

    def __init__(self, scope, sample: int, keep=None):
        self.scope, self.sample = scope, sample
        self.asked = 0
        self.views: dict[str, dict] = {}
        self.keep = keep            # called with ``views`` after each answer (``store_views``)

    def requests_for(self, url: str, title: str = ""):
        if self.asked >= self.sample or url in self.views:
            return []
        self.asked += 1
        return [self.request(url, title)]

    def request(self, url: str, title: str):
        # The search word is stored with the view, so a resumed scan's Referer names it again.
        word = (title or "")[:30]
        self.views[url] = {"status": None, "links": [], "word": word}
        headers = {"User-Agent": BAIDU_UA, "Referer": BAIDU_REFERER + quote(word)}
        return build_request(url, RequestInfo("spider_view"), self.parse, self.on_error, headers=headers)

    def restore(self, views: dict | None) -> list:
        """Resume: the views the interrupted run stored (``stored_views``) are kept and count
        against the sample; those without an answer to read are asked again (the requests)."""
        self.views = {url: view for url, view in (views or {}).items() if isinstance(view, dict)}
        self.asked = max(self.asked, len(self.views))
        return [self.request(url, view.get("word") or "") for url, view in list(self.views.items())
                if view.get("status") != 200]

    def parse(self, response):
        url = info_of(response).url
        view = self.views.setdefault(url, {"status": None, "links": [], "word": ""})
        view["status"] = response.status
        if response.status == 200:
            self._read_links(url, response, view)
        self._kept()

    def _read_links(self, url: str, response, view: dict) -> None:
        page, _, _ = page_of(response, url)
        _, written = link_hiding(url, page)
        seen = set()
        for ref in [*outgoing_links(url, page), *written]:
            if not self.scope.is_internal(ref.url) and ref.url not in seen and len(seen) < MAX_LINKS:
                seen.add(ref.url)
                view["links"].append([ref.url, (ref.anchor or "")[:100]])

    def on_error(self, failure):
        url = info_of(failure.request).url
        self.views.setdefault(url, {"status": None, "links": [], "word": ""})["error"] = type(failure.value).__name__
        self._kept()

    def _kept(self) -> None:
        if self.keep is not None:
            self.keep(self.views)


def stored_views(engine, scan_id: int) -> dict:
    """The views a scan stored when its last run ended (``scan.stats.spider_views``)."""
    with engine.connect() as conn:
        stats = conn.execute(select(storage.scan.c.stats).where(storage.scan.c.id == scan_id)).scalar()
    return (stats or {}).get("spider_views") or {}


def store_views(engine, scan_id: int, views: dict) -> None:
    """Write the views taken so far into ``scan.stats.spider_views`` (the close writes them too)."""
    scan = storage.scan
    with engine.begin() as conn:
        stats = conn.execute(select(scan.c.stats).where(scan.c.id == scan_id)).scalar() or {}
        conn.execute(update(scan).where(scan.c.id == scan_id).values(stats={**stats, "spider_views": views}))
