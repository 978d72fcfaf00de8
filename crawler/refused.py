"""Resume: answers that were refusals are asked again.

A page or link check refused (403/412/418/429, ``GOVAUDIT_BLOCK_STATUSES``, or a WAF's JavaScript
challenge page) before ``crawler.blocking`` saw that the host blocks the crawler was taken as
that page's own answer: its refusal is stored like any answer, the page marked done.  Whether
it was a block or the page's own answer, ``--resume`` cannot tell from the stored row, so it
asks again, like a page left open in the frontier: a resumed scan's facts are then those of a
scan that was never blocked (a page that really answers 403 answers 403 again).  A challenge
page or cookie loop that one URL answered to every ask (``crawler.blocked.Refused``: stored as a
fetch error, or a file's detail, starting ``refused:``) is asked again the same way.
"""
from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from crawler.blocked import BLOCKED, REFUSED
from govaudit.core import storage

CHUNK = 500


def reopen_refused_pages(engine, scan_id: int, statuses) -> int:
    """Crawl requests (pages, files) whose stored answer is a refusal are open again (the frontier
    re-issues them); their page, attachment and fetch-error rows go, so nothing of the refusal
    stays if the host blocks us again.  Returns the number of URLs reopened."""
    fr, pg, at, fe = storage.frontier, storage.page, storage.attachment, storage.fetch_error
    statuses = [int(s) for s in statuses]
    refused = f"{REFUSED}:%"
    with engine.begin() as conn:
        urls = {u for table in (pg, at) for u in conn.execute(
            select(table.c.url).where(table.c.scan_id == scan_id, table.c.status.in_(statuses))).scalars()}
        challenged = {u for table, text in ((fe, fe.c.error), (at, at.c.detail)) for u in conn.execute(
            select(table.c.url).where(table.c.scan_id == scan_id, text.like(refused))).scalars()}
        urls = sorted(urls | challenged)
        for i in range(0, len(urls), CHUNK):
            chunk = urls[i:i + CHUNK]
            conn.execute(update(fr).where(fr.c.scan_id == scan_id, fr.c.url.in_(chunk)).values(done=False))
            conn.execute(delete(fe).where(fe.c.scan_id == scan_id, fe.c.url.in_(chunk),
                                          or_(fe.c.status.in_(statuses), fe.c.error.like(refused))))
            conn.execute(delete(at).where(at.c.scan_id == scan_id, at.c.url.in_(chunk),
                                          or_(at.c.status.in_(statuses), at.c.detail.like(refused))))
            # the page row of a challenged URL has no status (it was never read)
            conn.execute(delete(pg).where(pg.c.scan_id == scan_id, pg.c.url.in_(chunk),
                                          or_(pg.c.status.in_(statuses), pg.c.url.in_([u for u in chunk if u in challenged]))))
    return len(urls)


def forget_unsettled_links(engine, scan_id: int, statuses) -> None:
    """Link checks to make again: those in flight, not made because of a block, or refused (a
    refusal status, or ``inconclusive``: the JavaScript challenge page)."""
    ln = storage.link
    with engine.begin() as conn:
        conn.execute(ln.delete().where(ln.c.scan_id == scan_id, or_(
            ln.c.detail.in_(("pending", BLOCKED)), ln.c.status.in_([int(s) for s in statuses]),
            ln.c.outcome == "inconclusive")))
