"""Re-scans: what the previous complete scan of the site lets this one skip, in one place.

``Rescan`` is a downloader middleware (``DOWNLOADER_MIDDLEWARES``), found by the spider with
``crawler.get_downloader_middleware(Rescan)``.  It

* revalidates documents against the previous scan (If-None-Match / If-Modified-Since): an
  unchanged document answers 304 and its facts are copied from that scan, so a re-scan of an
  unchanged site downloads almost nothing (``GOVAUDIT_CONDITIONAL_REQUESTS``).  The spider looks
  the validators up a list page at a time (``RequestInfo.validators``); requests without them
  are looked up one by one.  Nothing of the previous scan is held in memory;
* tells the spider when a column or list page is unchanged (a 304 served from the HTTP cache,
  or the same bytes) and hands it the previous scan's replay of that page;
* decides, with the revisit policy (``crawler.revisit``), which documents of unchanged lists
  are copied without asking the server (``trusted_documents``).

Settings: ``GOVAUDIT_PREVIOUS_SCAN_ID``, ``GOVAUDIT_CONDITIONAL_REQUESTS``,
``GOVAUDIT_RECHECK_DOCUMENTS_AFTER_DAYS``, ``GOVAUDIT_TRUST_UNCHANGED_LISTS``.  Stats:
``govaudit/replayed_pages``, ``govaudit/trusted_unchanged``, ``govaudit/recheck_window_days``.
"""
from __future__ import annotations

import hashlib

import scrapy
from scrapy import signals
from sqlalchemy import select

from crawler import items as it
from crawler.requestinfo import info_of
from crawler.revisit import RevisitPolicy
from govaudit.core import storage


def previous_validators(engine, scan_id: int, urls) -> dict:
    """{url: {"etag", "last_modified", "related", "fetched_at"}} of pages fetched (200) by an earlier scan."""
    pg = storage.page
    out = {}
    urls = list(urls)
    with engine.connect() as conn:
        for i in range(0, len(urls), 500):
            rows = conn.execute(select(pg.c.url, pg.c.etag, pg.c.last_modified, pg.c.fetched_at,
                                       pg.c.facts["related"].label("related"))
                                .where(pg.c.scan_id == scan_id, pg.c.status == 200, pg.c.url.in_(urls[i:i + 500])))
            for row in rows:
                out[row.url] = {"etag": row.etag, "last_modified": row.last_modified, "related": row.related or [],
                                "fetched_at": row.fetched_at}
    return out


def previous_attachment_validators(engine, scan_id: int, url: str) -> dict | None:
    """The validators an earlier scan got for a file (for a conditional request)."""
    at = storage.attachment
    with engine.connect() as conn:
        row = conn.execute(select(at.c.etag, at.c.last_modified).where(
            at.c.scan_id == scan_id, at.c.url == url, at.c.status == 200).limit(1)).first()
    if row is None or not (row.etag or row.last_modified):
        return None
    return {"etag": row.etag, "last_modified": row.last_modified, "related": []}


class Rescan:
    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.previous = int(s.get("GOVAUDIT_PREVIOUS_SCAN_ID")) if s.get("GOVAUDIT_PREVIOUS_SCAN_ID") else None
        self.conditional = s.getbool("GOVAUDIT_CONDITIONAL_REQUESTS")
        self.scope_column = s.get("GOVAUDIT_SCOPE_COLUMN")
        self.engine = storage.connect(s.get("GOVAUDIT_DB"))
        self.revisit = RevisitPolicy.from_settings(self.engine, s)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider=None):
        if self.revisit.enabled:     # the report says how old a copied verification may be
            self.crawler.stats.set_value("govaudit/recheck_window_days", None if self.revisit.trust_always
                                         else self.revisit.window_days)

    # ---- conditional requests (downloader middleware) ---------------------------------------------
    def process_request(self, request, spider=None):
        ga = info_of(request)
        if not (self.previous and self.conditional) or ga is None or not ga.conditional or request.method != "GET":
            return
        if ga.kind == "attachment":
            found = previous_attachment_validators(self.engine, self.previous, ga.url or request.url)
        elif ga.looked_up:
            found = ga.validators
        else:
            url = ga.url or request.url
            found = previous_validators(self.engine, self.previous, [url]).get(url)
        if not found:
            return
        if found["etag"] and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = found["etag"]
        if found["last_modified"] and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = found["last_modified"]
        # What the page linked to as 解读/原文, for following them if it turns out unchanged.
        request.meta["previous_related"] = found["related"]
        return

    def validators(self, urls) -> dict:
        """One lookup per list page for the conditional requests of the documents it lists."""
        return previous_validators(self.engine, self.previous, urls) if self.previous and urls else {}

    # ---- unchanged column and list pages ------------------------------------------------------------
    def replayable(self, response) -> bool:
        """Served from the HTTP cache after a 304: the page is what the previous scan read."""
        return (bool(self.previous) and "cached" in response.flags and response.request.method == "GET"
                and not self.scope_column)

    def same_as_previous(self, response) -> bool:
        """A list page (or data endpoint) without validators whose bytes are the previous scan's
        (GET only: POST pages share a URL)."""
        if not (self.previous and response.status == 200 and response.request.method == "GET"
                and not self.scope_column):
            return False
        pg = storage.page
        with self.engine.connect() as conn:
            previous = conn.execute(select(pg.c.content_hash).where(
                pg.c.scan_id == self.previous, pg.c.url == info_of(response).url)).scalar()
        return previous is not None and previous == hashlib.sha256(response.body).hexdigest()

    def unchanged(self, response, kind: str, same_bytes: bool = False):
        """The previous scan's replay of an unchanged column/list page (a 304; with ``same_bytes``
        also the same bytes): (copy of its records, replay facts, listed document URLs), for the
        spider to issue its requests again without parsing it.  None when it changed, or when the
        previous scan holds no replay for it (then it is parsed as usual)."""
        if not (self.replayable(response) or (same_bytes and self.same_as_previous(response))):
            return None
        url = info_of(response).url
        pg, li = storage.page, storage.list_item
        with self.engine.connect() as conn:
            replay = conn.execute(select(pg.c.facts["replay"]).where(pg.c.scan_id == self.previous,
                                                                     pg.c.url == url)).scalar()
            if not replay:
                return None
            entries = conn.execute(select(li.c.url).where(li.c.scan_id == self.previous, li.c.page_url == url)
                                   .order_by(li.c.position)).scalars().all()
        self.crawler.stats.inc_value("govaudit/replayed_pages")
        return it.CopyPreviousItem(url=url, previous_scan_id=self.previous, kind=kind), replay, entries

    def unchanged_document(self, url: str) -> it.CopyPreviousItem:
        """304 Not Modified: the previous scan's facts are this scan's facts."""
        self.crawler.stats.inc_value("govaudit/not_modified")
        self.crawler.stats.inc_value("govaudit/documents")
        return it.CopyPreviousItem(url=url, previous_scan_id=self.previous, kind="document")

    # ---- documents copied unasked -------------------------------------------------------------------
    def trusted_documents(self, urls, frontier, scope):
        """The documents of an unchanged list page, and the 解读/原文 they link to, that the
        revisit policy (``crawler.revisit``) lets us copy from the previous scan unasked.

        Returns the URLs that still need a (conditional) request.
        """
        previous = self.previous
        fingerprints = {}      # each URL fingerprinted once (tens of thousands per re-scan)

        def new(candidates):
            for u in candidates:
                if u not in fingerprints and scope.allows(u):
                    fingerprints[u] = frontier.fingerprint(scrapy.Request(u, method="GET"))
            return [u for u in candidates if u in fingerprints and fingerprints[u] not in frontier.seen]

        pending = new(urls)
        ask = []
        while pending:
            known = previous_validators(self.engine, previous, pending)
            related = []
            for url in pending:
                if url not in known or not self.revisit.may_copy(url, known[url]):
                    ask.append(url)
                    continue
                frontier.seen.add(fingerprints[url])     # copied: known, not to be fetched
                self.crawler.stats.inc_value("govaudit/trusted_unchanged")
                self.crawler.stats.inc_value("govaudit/documents")
                yield it.CopyPreviousItem(url=url, previous_scan_id=previous, kind="document", verified=False)
                related += new(known[url]["related"])
            pending = list(dict.fromkeys(u for u in related if u not in ask))
        return ask

    def listed_as_before(self, column_url, entries, urls) -> set[str]:
        """Documents this list shows exactly as the previous scan saw them listed in this column
        (same title, same date): new, retitled or re-dated entries are not among them."""
        li = storage.list_item
        shown = {url: ((entry.title or "").strip(), entry.date_raw or "") for entry, url in zip(entries, urls)}
        if not shown:
            return set()
        with self.engine.connect() as conn:
            rows = conn.execute(select(li.c.url, li.c.title, li.c.date_raw).where(
                li.c.scan_id == self.previous, li.c.column_url == column_url,
                li.c.url.in_(list(shown))))
            return {row.url for row in rows if shown.get(row.url) == ((row.title or "").strip(), row.date_raw or "")}

    def trusted_listing(self, column_url, entries, urls, frontier, scope):
        """A changed or POST list page: documents listed as before may be copied.  Returns the
        URLs still to request, in the order they are asked for."""
        if not self.revisit.enabled:
            return urls
        as_before = self.listed_as_before(column_url, entries, urls)
        asked = yield from self.trusted_documents([u for u in urls if u in as_before], frontier, scope)
        return [u for u in urls if u not in as_before] + asked
