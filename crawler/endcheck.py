"""The end of the crawl: scope checks, then link checking, each time the crawl runs dry.

A Scrapy extension (``EXTENSIONS``), found by the spider with ``crawler.get_extension``.  At
every ``spider_idle`` it writes out what is buffered, then

* a ``--unit`` scan whose unit was not found stops with a hint (close matches, known units);
* a ``--column`` scan whose column is in no catalogue reads it as a column of its own;
* otherwise the link checker (``crawler.linkcheck.LinkChecker``) takes a round; the crawl
  stays open while anything it scheduled is on its way.

State: what discovery reported so far (the start page reached, the units seen, the scope
matched), restored from the snapshot on ``resume``.  Settings: ``GOVAUDIT_SCOPE_UNIT``,
``GOVAUDIT_SCOPE_COLUMN``, ``GOVAUDIT_RESUME``.
"""
from __future__ import annotations

import difflib

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from sqlalchemy import select

from crawler import signals as ga_signals
from crawler.linkcheck import LinkChecker
from crawler.requestinfo import RequestInfo
from govaudit.core import storage
from govaudit.core.errors import EXIT_USAGE


class EndOfCrawlChecks:
    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.scope_unit = s.get("GOVAUDIT_SCOPE_UNIT")
        self.scope_column = s.get("GOVAUDIT_SCOPE_COLUMN")
        self.resume = s.getbool("GOVAUDIT_RESUME")
        self.db = s.get("GOVAUDIT_DB")
        self.scan_id = s.getint("GOVAUDIT_SCAN_ID")
        self.home_reached = False
        self.units: dict[str, dict] = {}            # unit name -> facts (a site has tens)
        self.unit_matched = False
        self.column_matched = False
        crawler.signals.connect(self.on_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # ---- what discovery reports -------------------------------------------------------------------
    def found_unit(self, unit: dict) -> None:
        self.units.setdefault(unit["name"], unit)

    def restore(self, scope, frontier_seen: bool) -> None:
        """Resume: the start page and the scope were found by the interrupted run."""
        self.home_reached = frontier_seen
        engine = storage.connect(self.db)
        with engine.connect() as conn:
            if self.scope_unit:
                self.unit_matched = conn.execute(select(storage.unit.c.id).where(
                    storage.unit.c.scan_id == self.scan_id).limit(1)).first() is not None
            if self.scope_column:
                col = storage.column
                self.column_matched = conn.execute(select(col.c.id).where(
                    col.c.scan_id == self.scan_id, col.c.url == scope.canonical(self.scope_column))
                    .limit(1)).first() is not None

    # ---- the checks ------------------------------------------------------------------------------
    def on_idle(self, spider=None):
        spider = self.crawler.spider
        if spider.fatal:
            return
        self.crawler.signals.send_catch_log(ga_signals.flush_requested)
        if not self.home_reached:
            return
        if self.scope_unit and not self.unit_matched:
            names = sorted(self.units)
            close = difflib.get_close_matches(self.scope_unit, names, n=5, cutoff=0.3)
            hint = f"; 相近 / close matches: {', '.join(close)}" if close else (
                f"; 已知单位 / known units: {', '.join(names[:12])}" if names else "")
            spider.stop(f"未找到单位 / unknown unit: {self.scope_unit}{hint}", EXIT_USAGE)
            return
        if self.scope_column and not self.column_matched:
            # Not in any catalogue: read it as a column of its own.
            self.column_matched = True
            url = spider.scope.canonical(self.scope_column)
            name = url.rstrip("/").rsplit("/", 1)[-1]
            ga = RequestInfo("column", name=name, path=name, unit=None, section="gongkai", depth=1,
                             nav={"via": "scope"})
            if self.schedule(spider.frontier.emit(spider.make(url, "parse_column", ga))):
                raise DontCloseSpider
        links = self.crawler.get_extension(LinkChecker)
        if links is not None and links.on_idle():
            raise DontCloseSpider

    def schedule(self, outputs) -> int:
        n = 0
        for out in outputs:
            if isinstance(out, scrapy.Request):
                self.crawler.engine.crawl(out)
                n += 1
            else:
                self.crawler.signals.send_catch_log(ga_signals.record_item, item=out)
        self.crawler.signals.send_catch_log(ga_signals.flush_requested)
        return n
