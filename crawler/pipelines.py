"""The item pipeline that streams crawler items into the snapshot DB (govaudit/core/storage.py).

Items are buffered and written in one transaction per batch (``GOVAUDIT_BATCH_SIZE`` rows or
``GOVAUDIT_FLUSH_SECONDS``), so memory stays bounded whatever the size of the site.  Rows
are upserted on their (scan_id, url…) keys, so a resumed scan never duplicates anything.

Inside a batch the frontier entries are written first and the "done" markers last, in one
transaction: once a page is marked done, every request it found is already stored.
"""
from __future__ import annotations

import dataclasses
import logging
import time

from scrapy import signals
from sqlalchemy import and_, delete, func, insert, literal, select, update
from sqlalchemy.exc import SQLAlchemyError

from crawler import items as it
from crawler.blocking import blocked_facts
from crawler import signals as ga_signals
from crawler.progress import crawl_counts
from govaudit.core import clock, storage
from govaudit.core.errors import EXIT_DB

log = logging.getLogger(__name__)


def now_iso() -> str:
    return clock.utc_now()     # stored in UTC, shown in local time (govaudit/core/clock.py)


# item class -> (table, conflict keys or None for plain insert, on conflict: "update" | "ignore")
ROUTES = {
    it.UnitItem: (storage.unit, ("name",), "update"),
    it.ColumnItem: (storage.column, ("url",), "update"),
    it.ColumnListStyleItem: (storage.column, ("url",), "update"),
    it.ListItemItem: (storage.list_item, ("column_url", "url"), "ignore"),
    it.DocumentItem: (storage.document, ("url",), "update"),
    it.RelationItem: (storage.relation, ("src_url", "dst_url", "kind"), "ignore"),
    it.PageItem: (storage.page, ("url",), "update"),
    it.LinkSourceItem: (storage.link_source, ("target_url", "source_url"), "ignore"),
    it.LinkStatusItem: (storage.link, ("url",), "update"),
    it.FetchErrorItem: (storage.fetch_error, None, None),
    it.AttachmentItem: (storage.attachment, ("url", "document_url"), "update"),
    it.FrontierEntry: (storage.frontier, ("fingerprint",), "ignore"),
}
# How a crawl ended -> scan.status.  A crawl stopped by the --max-pages cap did not read the whole
# site: it is ``incomplete`` (not resumable, never the base of a comparison, judged 无法评价 unless a
# veto is found; see audits/scoring.py).
STATUS_BY_REASON = {"finished": "complete", "closespider_pagecount": "incomplete", "shutdown": "interrupted",
                    "cancelled": "interrupted"}
# Timestamps the snapshot keeps per row.
STAMP = {storage.column: "fetched_at", storage.document: "fetched_at", storage.page: "fetched_at",
         storage.attachment: "fetched_at",
         storage.link: "checked_at", storage.fetch_error: "at"}


_FIELDS: dict = {}


def crawl_facts(spider, reason: str) -> dict:
    """What the audits need to know about how far the crawl got (they judge it, not the crawler)."""
    facts = {"page_cap": getattr(spider, "max_pages", None), "page_cap_reached": reason == "closespider_pagecount"}
    blocked = blocked_facts(spider.crawler.stats)
    if blocked:         # hosts that refused the crawler, and what was not read because of it
        facts["blocked"] = blocked
    unread = spider.crawler.stats.get_value("govaudit/start_page_unread")
    if unread:      # the start page gave no answer to read, e.g. a redirect loop
        facts["start_page_unread"] = unread
        facts["start_page_redirect_loop"] = "redirect" in unread.lower()
    if getattr(spider, "units_elsewhere", None):     # units listed on hosts the scope leaves out
        facts["units_elsewhere"] = [{"url": u, "name": n} for u, n in sorted(spider.units_elsewhere.items())]
    if getattr(spider, "spider_view", None) is not None and spider.spider_view.views:
        facts["spider_views"] = spider.spider_view.views     # crawler/spiderview.py
    return facts


def to_row(item, scan_id: int) -> tuple:
    table, keys, mode = ROUTES[type(item)]
    names = _FIELDS.get(type(item))
    if names is None:
        names = _FIELDS[type(item)] = [f.name for f in dataclasses.fields(item)]
    row = {name: getattr(item, name) for name in names}     # shallow: values are fresh per item
    if isinstance(item, it.LinkStatusItem):
        row["method"] = row["method"][:8]
    row["scan_id"] = scan_id
    stamp = STAMP.get(table)
    if stamp:
        row[stamp] = now_iso()
    return table, keys, mode, row


class SnapshotWriter:
    """Batched, idempotent writes of item rows for one scan."""

    def __init__(self, engine, scan_id: int, batch_size: int = 500, copy_batch_size: int = 5000):
        self.engine = engine
        self.scan_id = scan_id
        self.batch_size = batch_size
        self.copy_batch_size = copy_batch_size
        self.buffer: list = []
        self.done: list[str] = []
        self.copies: list[it.CopyPreviousItem] = []
        self.rows_written = 0

    def add(self, item) -> None:
        if isinstance(item, it.Records):
            for record in item.items:
                self.add(record)
        elif isinstance(item, it.FrontierDone):
            self.done.append(item.fingerprint)
        elif isinstance(item, it.CopyPreviousItem):
            self.copies.append(item)
        else:
            self.buffer.append(to_row(item, self.scan_id))

    def pending(self) -> int:
        return len(self.buffer) + len(self.done) + len(self.copies)

    def full(self) -> bool:
        """Rows are written in batches of ``batch_size``; copies and done markers are a URL each
        and are written set-wise, so they may gather longer (fewer, larger transactions)."""
        return len(self.buffer) >= self.batch_size or len(self.done) + len(self.copies) >= self.copy_batch_size

    def flush(self) -> None:
        if not self.pending():
            return
        buffer, done, copies = self.buffer, self.done, self.copies
        self.buffer, self.done, self.copies = [], [], []
        groups: dict = {}
        for table, keys, mode, row in buffer:
            groups.setdefault((table.name, keys, mode), (table, []))[1].append(row)
        order = sorted(groups, key=lambda k: k[0] != "frontier")   # frontier first, stable otherwise
        with self.engine.begin() as conn:
            for key in order:
                table, rows = groups[key]
                _, keys, mode = key
                self._write(conn, table, keys, mode, rows)
            if copies:
                self._copy_previous(conn, copies)
            for i in range(0, len(done), 500):
                conn.execute(update(storage.frontier)
                             .where(storage.frontier.c.scan_id == self.scan_id,
                                    storage.frontier.c.fingerprint.in_(done[i:i + 500]))
                             .values(done=True))
        self.rows_written += len(buffer) + len(copies)

    # -- writing -----------------------------------------------------------------------------
    def _write(self, conn, table, keys, mode, rows) -> None:
        if keys is None:
            conn.execute(insert(table), rows)
            return
        # One statement must not touch a key twice (PostgreSQL refuses): last row wins for
        # updates, first row for insert-or-ignore.
        unique: dict = {}
        for row in rows:
            k = tuple(row[c] for c in keys)
            if mode == "update":
                unique[k] = {**unique.get(k, {}), **row}
            else:
                unique.setdefault(k, row)
        rows = list(unique.values())
        conflict = ["scan_id", *keys]
        dialect_insert = storage.dialect_insert(conn)
        if dialect_insert is not None:
            # Rows of one table may carry different column sets; group by shape.
            by_shape: dict = {}
            for row in rows:
                by_shape.setdefault(tuple(sorted(row)), []).append(row)
            for shape, shaped in by_shape.items():
                stmt = dialect_insert(table)
                if mode == "update":
                    stmt = stmt.on_conflict_do_update(
                        index_elements=conflict,
                        set_={c: stmt.excluded[c] for c in shape if c not in conflict})
                else:
                    stmt = stmt.on_conflict_do_nothing(index_elements=conflict)
                conn.execute(stmt, shaped)
            return
        # Portable fallback for other databases: delete-then-insert on the key.
        for row in rows:
            cond = and_(*(table.c[c] == row[c] for c in conflict))
            if mode == "ignore" and conn.execute(select(func.count()).select_from(table).where(cond)).scalar():
                continue
            conn.execute(delete(table).where(cond))
            conn.execute(insert(table), [row])

    def _copy_previous(self, conn, copies: list) -> None:
        """Copy unchanged pages' rows (page, document or column, relations, list items, link
        sources), set-wise.

        The copied document keeps the previous scan's column_url; its unit is settled again
        when the scan finishes (``attribute_units``).
        """
        stamp = now_iso()
        plans = {
            # fetch_error: scans before link.signals recorded a soft-404 "document" as one.
            "document": [(storage.page, "url"), (storage.document, "url"), (storage.relation, "src_url"),
                         (storage.link_source, "source_url"), (storage.fetch_error, "url"),
                         (storage.attachment, "document_url")],      # its files, as they were
            "attachment": [(storage.attachment, "url")],
            "column": [(storage.page, "url"), (storage.column, "url"), (storage.list_item, "page_url"),
                       (storage.link_source, "source_url")],
            "list": [(storage.page, "url"), (storage.list_item, "page_url"), (storage.link_source, "source_url")],
        }
        by_previous: dict = {}
        for copy in copies:
            by_previous.setdefault((copy.previous_scan_id, copy.kind, copy.verified), []).append(copy.url)
        for (prev, kind, verified), urls in by_previous.items():
            plan = plans[kind]
            for i in range(0, len(urls), 500):
                chunk = urls[i:i + 500]
                for table, key in plan:
                    url_col = table.c[key]
                    conn.execute(delete(table).where(table.c.scan_id == self.scan_id, url_col.in_(chunk)))
                    cols = [c for c in table.columns if c.name not in ("id", "scan_id")]
                    # A copy made without asking keeps the date it was last verified.
                    values = [_literal(stamp, c) if verified and c.name == STAMP.get(table) else c for c in cols]
                    src = (select(_literal(self.scan_id, table.c.scan_id), *values)
                           .where(table.c.scan_id == prev, url_col.in_(chunk)))
                    conn.execute(insert(table).from_select(["scan_id", *[c.name for c in cols]], src))


def _literal(value, column):
    return literal(value, type_=column.type).label(column.name)


class SnapshotPipeline:
    """Scrapy item pipeline: every item becomes a row of the scan's snapshot."""

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.db = settings.get("GOVAUDIT_DB")
        self.scan_id = settings.getint("GOVAUDIT_SCAN_ID")
        self.batch_size = settings.getint("GOVAUDIT_BATCH_SIZE", 500)
        self.copy_batch_size = settings.getint("GOVAUDIT_COPY_BATCH_SIZE", 5000)
        self.flush_seconds = settings.getfloat("GOVAUDIT_FLUSH_SECONDS", 2.0)
        self.writer: SnapshotWriter | None = None
        self.failed = False
        self.last_flush = time.monotonic()
        crawler.signals.connect(self.flush, signal=ga_signals.flush_requested)
        crawler.signals.connect(self.record, signal=ga_signals.record_item)
        crawler.signals.connect(self.finish_scan, signal=signals.spider_closed)
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        engine = storage.connect(self.db)
        self.writer = SnapshotWriter(engine, self.scan_id, self.batch_size, self.copy_batch_size)

    def process_item(self, item, spider=None):
        self.writer.add(item)
        if self.writer.full() or time.monotonic() - self.last_flush > self.flush_seconds:
            self.flush()
        return item

    def record(self, item):
        self.process_item(item)

    def flush(self):
        if self.writer is None or self.failed:
            return
        try:
            self.writer.flush()
        except SQLAlchemyError as exc:
            # Disk full, server gone, locked for too long: nothing more can be stored, so stop
            # (what was committed stays; --resume continues from there).
            self.failed = True
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            stop = getattr(self.crawler.spider, "stop", None)
            if stop:
                stop(f"无法写入数据库 / cannot write to the database: {first}", EXIT_DB)
        self.last_flush = time.monotonic()

    def close_spider(self, spider=None):
        self.flush()

    def attribute_units(self, conn):
        """A document belongs to the unit whose sub-site holds it (wherever it was listed first);
        columns and documents found outside any unit's sub-site belong to the district."""
        un, doc = storage.unit, storage.document
        units = conn.execute(select(un.c.name, un.c.home_url).where(un.c.scan_id == self.scan_id,
                                                                    un.c.home_url.is_not(None))).all()
        for name, home in sorted(units, key=lambda u: len(u.home_url)):   # the longest prefix wins
            conn.execute(update(doc).where(doc.c.scan_id == self.scan_id,
                                           func.substr(doc.c.url, 1, len(home)) == home).values(unit=name))
        district = conn.execute(select(un.c.name).where(un.c.scan_id == self.scan_id, un.c.kind == "district")
                                .limit(1)).scalar()
        if district:
            for table in (storage.column, storage.document):
                cond = [table.c.scan_id == self.scan_id, table.c.unit.is_(None)]
                if table is storage.column:
                    cond.append(table.c.section != "homepage")
                conn.execute(update(table).where(*cond).values(unit=district))

    def finish_scan(self, spider, reason):
        """Close the scan row: status from the close reason, counts, and crawl statistics."""
        if self.writer is None or self.failed:
            return
        self.flush()
        fatal = getattr(spider, "fatal", None)
        status = STATUS_BY_REASON.get(reason, "failed") if not fatal else "failed"
        engine, scan_id = self.writer.engine, self.scan_id
        stats = crawl_counts(self.crawler.stats, time.monotonic() - self.started)
        stats["close_reason"] = reason
        stats.update(crawl_facts(spider, reason))
        if stats.get("blocked") and status == "complete":
            status = "blocked"         # resumable (crawler/runner.py RESUMABLE)
        if fatal:
            stats["error"] = fatal[0]
        with engine.begin() as conn:
            previous = conn.execute(select(storage.scan.c.stats, storage.scan.c.site_name)
                                    .where(storage.scan.c.id == scan_id)).first()
            if getattr(spider, "resume", False):   # resumed: the figures are this run's
                stats["runs"] = int(((previous.stats if previous else None) or {}).get("runs", 1)) + 1
            self.attribute_units(conn)
            col, li = storage.column, storage.list_item
            counts = (select(func.count()).select_from(li)
                      .where(li.c.scan_id == scan_id, li.c.column_url == col.c.url).scalar_subquery())
            conn.execute(update(col).where(col.c.scan_id == scan_id).values(item_count=counts))
            # Counted as stored: a 304 or a copy cannot tell a document from a soft-404 page.
            stats["documents"] = conn.execute(select(func.count()).select_from(storage.document)
                                              .where(storage.document.c.scan_id == scan_id)).scalar()
            values = {"status": status, "finished_at": now_iso(), "stats": stats}
            site_name = getattr(spider, "site_name", None)
            if site_name and previous is not None and not previous.site_name:
                values["site_name"] = site_name
            conn.execute(update(storage.scan).where(storage.scan.c.id == scan_id).values(**values))
