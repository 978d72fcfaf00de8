"""Attachments: fetch the files documents link to, within limits, and read their text.

``Attachments`` is a Scrapy extension (``EXTENSIONS``), found by the spider with
``crawler.get_extension``.  For each document of a column (sections ``gongkai`` and ``portal``:
the 政府信息公开 platform and the policy library) it asks for every in-scope attachment link once
per scan (the frontier de-duplicates files linked by several documents):

* under the crawl's politeness (the same downloader slots as every page);
* with a per-file cap (``download_maxsize``: Scrapy aborts on the announced Content-Length and
  on the streamed size) and a per-scan byte budget, after which files are listed, not fetched;
* conditionally on a re-scan (``crawler.rescan`` adds the previous scan's validators): a 304
  copies the previous scan's row, and the text stays where it is (stored once per sha256).

The GET is also the file's link check: its answer is recorded as the file's ``link`` row, so the
link checker does not ask again; an HTML answer (a soft 404, a login page) is handed to the link
checker's own judgement of a GET (``LinkChecker.parse_link``: soft-404 test and probe).

The file is read by the name its answer gives (``Content-Disposition``: a ``download.jsp?fileId=``
handler's URL names no file), else its URL's (``crawler.files.names``).  Its text is read by a
child process with time and memory limits (``crawler.files.pool``), called through
``deferToThread`` so the reactor is never blocked; a file whose sha256 has been read before (in
any scan of the database) is not read again.

Settings: ``GOVAUDIT_ATTACHMENTS``, ``GOVAUDIT_ATTACHMENT_MAX_BYTES``,
``GOVAUDIT_ATTACHMENT_TOTAL_BYTES``, ``GOVAUDIT_READER_PROCESSES``, ``GOVAUDIT_READER_MEMORY_MB``,
``GOVAUDIT_READER_CPU_SECONDS``, ``GOVAUDIT_READER_TIMEOUT``, ``GOVAUDIT_READER_RECYCLE_MB``.
Stats: ``govaudit/attachments``, ``govaudit/attachment_bytes``, ``govaudit/attachments_read``,
``govaudit/attachment_cpu_seconds``, ``govaudit/attachments_not_fetched``, ``govaudit/readers_started``,
``govaudit/readers_recycled``.
"""
from __future__ import annotations

import hashlib

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy import select
from twisted.internet.threads import deferToThread

from crawler import items as it
from crawler.blocked import Blocked
from crawler.extract.urls import is_attachment_url
from crawler.files.names import file_name
from crawler.files.pool import ReaderPool
from crawler.fingerprints import FingerprintSet
from crawler.linkcheck import LinkChecker, outcome_for_failure, outcome_for_status
from crawler.requestinfo import RequestInfo, info_of
from govaudit.core import clock, storage

READER_VERSION = "2"        # 2: zip/rar/7z members, .et/.wps by content, txt/csv
OVER_TOTAL = "attachment budget spent"
SECTIONS = frozenset({"gongkai", "portal"})


def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class Attachments:
    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.enabled = s.getbool("GOVAUDIT_ATTACHMENTS")
        self.max_bytes = s.getint("GOVAUDIT_ATTACHMENT_MAX_BYTES")
        self.total_bytes = s.getint("GOVAUDIT_ATTACHMENT_TOTAL_BYTES")
        self.engine = storage.connect(s.get("GOVAUDIT_DB"))
        self.pool = ReaderPool(size=s.getint("GOVAUDIT_READER_PROCESSES"), memory_mb=s.getint("GOVAUDIT_READER_MEMORY_MB"),
                               cpu_seconds=s.getfloat("GOVAUDIT_READER_CPU_SECONDS"),
                               wall_seconds=s.getfloat("GOVAUDIT_READER_TIMEOUT"),
                               recycle_mb=s.getfloat("GOVAUDIT_READER_RECYCLE_MB"))
        self.spent = 0                 # bytes of files downloaded in this run (AttachmentBudget counts them)
        self.read = FingerprintSet()   # digests of the contents read (or known) in this run, on disk
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def close(self, spider=None):
        self.pool.close()

    # ---- requests ------------------------------------------------------------------------------
    def requests(self, spider, doc_ga: RequestInfo, attachments):
        """The file requests of one document (frontier entries and requests, for its callback)."""
        if not self.enabled or doc_ga.section not in SECTIONS:
            return
        for ref in attachments:
            url = spider.scope.canonical(ref["url"])
            if not is_attachment_url(url) or not spider.scope.allows(url):
                continue
            if self.spent >= self.total_bytes:
                if spider.frontier.is_new(url):
                    self.crawler.stats.inc_value("govaudit/attachments_not_fetched")
                    yield it.AttachmentItem(url=url, document_url=doc_ga.url, name=(ref.get("name") or "")[:500],
                                            outcome="over_total", detail=f"scan budget of {self.total_bytes} bytes spent")
                continue
            ga = RequestInfo("attachment", unit=doc_ga.unit, section=doc_ga.section, document=doc_ga.url,
                             anchor=(ref.get("name") or "")[:500], conditional=True, attachment=True)
            yield from spider.frontier.emit(spider.make(url, "parse_attachment", ga, errback="on_attachment_error"))

    # ---- answers -------------------------------------------------------------------------------
    def record(self, ga, response, outcome, detail="", sha=None, size=None):
        return it.AttachmentItem(
            url=ga.url, document_url=ga.document or "", name=ga.anchor or "", status=response.status,
            content_type=(_header(response, b"Content-Type") or "")[:200] or None, size=size, sha256=sha,
            etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"),
            outcome=outcome, detail=detail[:500])

    async def parse(self, spider, response):
        """A file's answer: its records (one ``Records`` item) and the frontier marker."""
        ga = info_of(response)
        records = []
        content_type = (_header(response, b"Content-Type") or "").lower()
        if response.status == 304 and spider.rescan.previous:
            records.append(it.CopyPreviousItem(url=ga.url, previous_scan_id=spider.rescan.previous, kind="attachment"))
            records.append(self.link(ga, response.status))
        elif response.status >= 400:
            records.append(self.record(ga, response, "fetched", f"HTTP {response.status}"))
            records.append(self.link(ga, response.status))
        else:
            body = response.body
            self.crawler.stats.inc_value("govaudit/attachments")
            self.crawler.stats.inc_value("govaudit/attachment_bytes", len(body))
            digest = hashlib.sha256(body).digest()
            sha = digest.hex()
            if "html" in content_type:     # a soft 404 or a login page: the link checker judges it
                for out in self.crawler.get_extension(LinkChecker).parse_link(response):
                    yield out
            else:
                records.append(self.link(ga, response.status))
            if digest not in self.read:
                self.read.add(digest)      # before the wait: a copy answered meanwhile is not read again
                if not self.known(sha):
                    name = file_name(ga.url, response.headers.get(b"Content-Disposition"), ga.anchor or "")
                    answer = await maybe_deferred_to_future(deferToThread(self.pool.read, body, name, content_type))
                    self.store_text(sha, answer)
            records.append(self.record(ga, response, "fetched", sha=sha, size=len(body)))
        yield it.Records(records + list(spider.frontier.done(response)))

    def link(self, ga, status):
        return it.LinkStatusItem(url=ga.url, status=status, outcome=outcome_for_status(status), detail=f"HTTP {status}",
                                 is_external=False, is_attachment=True, method="GET")

    def budget_left(self) -> int:
        return self.total_bytes - self.spent

    def failed(self, spider, failure):
        """No answer: a file over the size cap or the budget (aborted after its headers, so its
        link answers), or a network failure (left to the link checker, which asks again).  Not
        asked because of a block: nothing (``--resume`` asks for it)."""
        if failure.check(Blocked):
            return      # not asked because the host blocks us: left open in the frontier for --resume
        ga = info_of(failure.request)
        text = f"{type(failure.value).__name__}: {failure.value}"
        if isinstance(failure.value, IgnoreRequest) and str(failure.value) == OVER_TOTAL:
            outcome, detail = "over_total", f"scan budget of {self.total_bytes} bytes spent"
            self.crawler.stats.inc_value("govaudit/attachments_not_fetched")
        elif "maxsize" in text.lower() or "Cancelled" in type(failure.value).__name__:
            cap = failure.request.meta.get("download_maxsize") or self.max_bytes
            # A cap below the per-file one was what was left of the scan's budget.
            outcome = "too_large" if cap >= self.max_bytes else "over_total"
            detail = f"larger than {cap} bytes" + ("" if outcome == "too_large" else " left of the scan budget")
            self.crawler.stats.inc_value("govaudit/attachments_not_fetched")
        else:
            outcome, detail = "failed", outcome_for_failure(failure)[1]
        records = [it.AttachmentItem(url=ga.url, document_url=ga.document or "", name=ga.anchor or "",
                                     outcome=outcome, detail=detail[:500])]
        if outcome in ("too_large", "over_total"):
            # Scrapy gives up only once the server has answered with the file's headers: the link
            # answers, and the link checker need not ask again.
            records.append(it.LinkStatusItem(url=ga.url, status=None, outcome="ok", detail=f"file {detail}",
                                             is_external=False, is_attachment=True, method="GET"))
        yield it.Records(records + list(spider.frontier.done(failure)))

    # ---- text ----------------------------------------------------------------------------------
    def known(self, sha: str) -> bool:
        tx = storage.attachment_text
        with self.engine.connect() as conn:
            return conn.execute(select(tx.c.sha256).where(tx.c.sha256 == sha, tx.c.reader == READER_VERSION)).first() is not None

    def store_text(self, sha: str, answer: dict) -> None:
        self.crawler.stats.inc_value("govaudit/attachments_read")
        self.crawler.stats.inc_value("govaudit/attachment_cpu_seconds", float(answer.get("cpu_seconds") or 0))
        self.crawler.stats.set_value("govaudit/readers_started", self.pool.started)
        self.crawler.stats.set_value("govaudit/readers_recycled", self.pool.recycled)
        row = {"sha256": sha, "kind": answer.get("kind"), "status": answer.get("status"),
               "detail": (answer.get("detail") or "")[:500], "pages": answer.get("pages"),
               "parts": answer.get("parts") or [], "cells": answer.get("cells") or [],
               "cpu_seconds": answer.get("cpu_seconds"), "reader": READER_VERSION, "read_at": clock.utc_now(),
               "members": answer.get("members")}
        tx = storage.attachment_text
        with self.engine.begin() as conn:
            dialect_insert = storage.dialect_insert(conn)
            if dialect_insert is not None:
                stmt = dialect_insert(tx)
                conn.execute(stmt.on_conflict_do_update(index_elements=["sha256"],
                                                        set_={k: stmt.excluded[k] for k in row if k != "sha256"}), [row])
            else:
                conn.execute(tx.delete().where(tx.c.sha256 == sha))
                conn.execute(tx.insert(), [row])


class AttachmentBudget:
    """Downloader middleware (``DOWNLOADER_MIDDLEWARES``): as a file request leaves for the network
    (also one re-issued on ``resume``), its size cap is the per-file cap or what is left of the
    scan's budget, if less; with the budget spent it is not sent (recorded ``over_total``).  Files
    already in flight may overshoot the budget by at most the concurrency times the per-file cap."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.files = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        ga = info_of(request)
        if ga is None or ga.kind != "attachment":
            return
        if self.files is None:
            self.files = self.crawler.get_extension(Attachments)
        left = self.files.budget_left()
        if left <= 0:
            raise IgnoreRequest(OVER_TOTAL)
        request.meta["download_maxsize"] = min(self.files.max_bytes, left)
        request.meta["download_warnsize"] = 0

    def process_response(self, request, response, spider=None):
        """Bytes are spent as they arrive, before the next file request is sent."""
        ga = info_of(request)
        if ga is not None and ga.kind == "attachment" and self.files is not None:
            self.files.spent += len(response.body)
        return response
