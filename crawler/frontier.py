"""The scan's DB-backed frontier: every crawl request made in the scan, and which are done.

Enabled as Scrapy's ``DUPEFILTER_CLASS``.  The scheduler opens it with the crawl; it then
serves the spider (``spider.frontier``, as Scrapy's SpiderState extension sets
``spider.state``), which admits each request the moment a callback finds it, so the request's
frontier row reaches the pipeline before the request is made (``crawler.responses.bundled``),
and every crawl request is stored before the page that found it is marked done (``resume``
re-issues exactly the requests that never completed).  A crawl request reaching the scheduler
without having been admitted (another component's) is de-duplicated against the same frontier.

A column's first list request (a JS shell's first question to its data endpoint) is the
column's own: two columns whose scripts send the same request each get an answer, so neither
is left with a list that was never answered for it.

State: the fingerprints of every request made in the scan (on disk, so the crawl's memory does
not grow with the site: ``crawler.fingerprints``), seeded from the ``frontier`` table on
``resume`` (pages whose answer was a refusal are opened again: ``crawler.refused``).  Stats:
``govaudit/restored_requests``, ``govaudit/frontier_refused``, ``govaudit/reopened_refusals``.
"""
from __future__ import annotations

import hashlib

import scrapy
from scrapy.dupefilters import BaseDupeFilter
from sqlalchemy import func, select

from crawler import items as it
from crawler import signals as ga_signals
from crawler.fingerprints import FingerprintSet
from crawler.refused import reopen_refused_pages
from crawler.requestinfo import META_KEY, RequestInfo
from govaudit.core import storage

# request.meta key: the fingerprint (hex) of a request the frontier admitted.
ADMITTED = "frontier"
RESTORE_CHUNK = 500          # frontier rows read at a time on resume


class Frontier(BaseDupeFilter):
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.db = settings.get("GOVAUDIT_DB")
        self.scan_id = settings.getint("GOVAUDIT_SCAN_ID")
        self.resume = settings.getbool("GOVAUDIT_RESUME")
        self.engine = None
        self.seen = FingerprintSet()
        self.restore_upto: int | None = None     # resume: the last frontier row of the runs before

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open(self):
        self.engine = storage.connect(self.db)
        self.crawler.stats.set_value("govaudit/resumed", self.resume)
        if self.resume:
            self.load()
        if self.crawler.spider is not None:
            self.crawler.spider.frontier = self

    def load(self) -> None:
        """Resume: seed the seen-set with every request made so far, and open again the pages
        whose answer was a refusal (``crawler.refused``); ``restore`` reads the unfinished later."""
        fr = storage.frontier
        reopened = reopen_refused_pages(self.engine, self.scan_id,
                                        self.crawler.settings.getlist("GOVAUDIT_BLOCK_STATUSES"))
        self.crawler.stats.set_value("govaudit/reopened_refusals", reopened)
        mine = fr.c.scan_id == self.scan_id
        with self.engine.connect() as conn:
            for fingerprint in conn.execute(select(fr.c.fingerprint).where(mine)).scalars():
                self.seen.add(bytes.fromhex(fingerprint))
            # Rows after this one are this run's own requests, not the interrupted run's.
            self.restore_upto = conn.execute(select(func.max(fr.c.id)).where(mine)).scalar()

    # ---- Scrapy's dupefilter interface ------------------------------------------------------------
    def request_seen(self, request) -> bool:
        """Admitted requests pass (also after a redirect); any other crawl request is admitted
        here, or refused when the scan already made it."""
        if request.meta.get(ADMITTED):
            return False
        fp = self.fingerprint(request)
        if fp in self.seen:
            self.crawler.stats.inc_value("govaudit/frontier_refused")
            return True
        self.seen.add(fp)
        if META_KEY in request.meta and request.callback is not None and request.errback is not None:
            # Stored, to be re-issued on resume (by callback name: only the spider's own requests).
            self.crawler.signals.send_catch_log(ga_signals.record_item, item=self.entry(request, fp))
        return False

    # ---- the spider's side ----------------------------------------------------------------------
    def fingerprint(self, request) -> bytes:
        fp = self.crawler.request_fingerprinter.fingerprint(request)
        info = request.meta.get(META_KEY)
        if (getattr(info, "kind", None) == "list" and info.column
                and (info.spec or {}).get("mode") == "first"):
            fp = hashlib.sha1(fp + info.column.encode("utf-8")).digest()   # the column's own first page
        return fp

    def is_new(self, url) -> bool:
        return self.fingerprint(scrapy.Request(url, method="GET")) not in self.seen

    def mark_seen(self, url) -> None:
        """Known but not to be fetched (outside a --unit scope, copied on a re-scan)."""
        self.seen.add(self.fingerprint(scrapy.Request(url, method="GET")))

    def entry(self, request, fp: bytes) -> it.FrontierEntry:
        return it.FrontierEntry(fingerprint=fp.hex(), url=request.url, request={
            "url": request.url, "method": request.method,
            "body": request.body.decode("utf-8", "replace") if request.body else None,
            "headers": {k.decode("latin-1"): v[0].decode("latin-1") for k, v in request.headers.items()},
            "callback": request.callback.__name__, "errback": request.errback.__name__,
            "ga": request.meta[META_KEY].to_dict(),
        })

    def emit(self, request):
        """Yield (frontier entry, request) unless this request was already made in this scan."""
        fp = self.fingerprint(request)
        if fp in self.seen:
            return
        self.seen.add(fp)
        request.meta[ADMITTED] = fp.hex()
        yield self.entry(request, fp)
        yield request

    def done(self, response_or_failure):
        """The frontier marker that closes a request: yielded after everything it produced."""
        request = getattr(response_or_failure, "request", None)
        if request is not None:
            yield it.FrontierDone(self.fingerprint(request).hex())

    def restore(self, make):
        """Resume: the requests that never completed, made again with
        ``make(url, callback, info, method, body, headers, errback)``, read RESTORE_CHUNK rows
        at a time as Scrapy takes them: a large site's crawl can leave tens of thousands."""
        fr = storage.frontier
        after, restored = 0, 0
        while self.restore_upto is not None:
            unfinished = (select(fr.c.id, fr.c.fingerprint, fr.c.request)
                          .where(fr.c.scan_id == self.scan_id, fr.c.done.is_not(True),
                                 fr.c.id > after, fr.c.id <= self.restore_upto)
                          .order_by(fr.c.id).limit(RESTORE_CHUNK))
            with self.engine.connect() as conn:
                rows = conn.execute(unfinished).all()
            if not rows:
                break
            after = rows[-1].id
            for row in rows:
                spec = row.request
                request = make(spec["url"], spec["callback"], RequestInfo.from_dict(spec["ga"]),
                               method=spec["method"], body=spec["body"], headers=spec.get("headers") or None,
                               errback=spec["errback"])
                request.meta[ADMITTED] = row.fingerprint
                restored += 1
                self.crawler.stats.set_value("govaudit/restored_requests", restored)
                yield request
