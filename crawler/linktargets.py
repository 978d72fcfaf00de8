"""The link targets a scan still has to classify, read back from its snapshot in bounded batches
(``crawler.linkcheck.LinkChecker`` asks for them at every idle round after the crawl)."""
from __future__ import annotations

from sqlalchemy import and_, func, select

from govaudit.core import storage

# The facts of a fetched page that classifying a link to it reads: a failed page's error, and
# ``soft404_facts``.  A page's facts are about 1.4 kB, most of them its <meta> tags, and a round
# reads a thousand pages: decoding only these keeps a round's rows small.
LINK_FACTS = ("error", "detail", "final_url", "soft404_test", "title", "text_len", "digest", "document_fields")


class LinkTargets:
    """Reads back, from the snapshot, the link targets still to classify (bounded batches)."""

    def __init__(self, engine, scan_id: int):
        self.engine = engine
        self.scan_id = scan_id

    def _unclassified(self):
        ls, ln = storage.link_source, storage.link
        return (select(ls.c.target_url).distinct()
                .select_from(ls.outerjoin(ln, and_(ln.c.scan_id == ls.c.scan_id, ln.c.url == ls.c.target_url)))
                .where(ls.c.scan_id == self.scan_id, ln.c.id.is_(None)))

    def fetched(self, limit: int = 1000) -> list:
        """Unclassified targets the crawl fetched itself: (url, status, facts) from their page row,
        with only the facts classification reads (``LINK_FACTS``)."""
        pg, ls, ln = storage.page, storage.link_source, storage.link
        # From the page rows, with index probes per row: the DISTINCT over every link source
        # of the scan that ``_unclassified`` needs would be recomputed for every batch.
        q = (select(pg.c.url, pg.c.status, *(pg.c.facts[name] for name in LINK_FACTS))
             .where(pg.c.scan_id == self.scan_id,
                    select(ls.c.id).where(ls.c.scan_id == self.scan_id, ls.c.target_url == pg.c.url).exists(),
                    ~select(ln.c.id).where(ln.c.scan_id == self.scan_id, ln.c.url == pg.c.url).exists())
             .limit(limit))
        with self.engine.connect() as conn:
            return [(url, status, {k: v for k, v in zip(LINK_FACTS, values) if v is not None})
                    for url, status, *values in conn.execute(q)]

    def unfetched(self, exclude: set, limit: int) -> list[str]:
        """Unclassified targets the crawl did not fetch, skipping those already in flight."""
        pg = storage.page
        sub = self._unclassified().subquery()
        q = (select(sub.c.target_url)
             .where(~select(pg.c.id).where(pg.c.scan_id == self.scan_id, pg.c.url == sub.c.target_url).exists())
             .limit(limit + len(exclude)))
        with self.engine.connect() as conn:
            return [u for (u,) in conn.execute(q) if u not in exclude][:limit]

    def count_external_checked(self) -> int:
        ln = storage.link
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(ln).where(
                ln.c.scan_id == self.scan_id, ln.c.is_external.is_(True), ln.c.outcome != "unchecked")).scalar()
