"""Body text and the other large per-page values, read from the database in batches.

The snapshot's frames (``audits.snapshot``) hold no body text and no per-page JSON blobs
(``document.metas``, ``page.facts``): on a site of 10⁵ documents they would be most of the audit's
memory.  A rule that reads them iterates instead::

    from audits.texts import document_texts

    for docs in document_batches(snapshot, config, ("fetched_ok", "title")):   # audits.docparts
        for url, text in document_texts(snapshot, docs.index[docs["fetched_ok"]]):
            ...                          # one document at a time; findings as usual

``document_texts(snapshot, urls)`` yields ``(document URL, body text)`` for the documents whose
URL is in ``urls`` (default: every document of the snapshot, inside its scope), in the order
they were stored, reading ``GOVAUDIT_TEXT_BATCH_SIZE`` rows (default 500) per query by primary
key, so at most one batch of text is in memory and the rows not asked for are never read.  A missing text is ``""``.  For a handful of documents,
``dict(document_texts(snapshot, urls))`` is fine.  ``page_values`` / ``document_values`` do the
same for any other column of ``page`` / ``document`` (``facts``, ``metas``; JSON comes back as
dicts).  Findings must not depend on the batch size (tests/audits/test_texts.py runs the audit
with batches of 1 and of 10⁶ and compares).
"""
from __future__ import annotations

import os
from typing import Iterable, Iterator

from sqlalchemy import select

from govaudit.core import storage

DEFAULT_BATCH_SIZE = 500
_TABLES = {"documents": storage.document, "pages": storage.page}


def batch_size() -> int:
    """Rows per query (``GOVAUDIT_TEXT_BATCH_SIZE``, default 500)."""
    try:
        return max(1, int(os.environ.get("GOVAUDIT_TEXT_BATCH_SIZE") or DEFAULT_BATCH_SIZE))
    except ValueError:
        return DEFAULT_BATCH_SIZE


def _values(snapshot, name: str, column: str, urls: Iterable[str] | None, where=None) -> Iterator[tuple[str, object]]:
    table = _TABLES[name]
    wanted = None if urls is None else set(urls)        # None: every row of the scan
    if snapshot.scope:
        # Only a scoped snapshot leaves rows of the scan out (it holds its frames whole).
        in_scope = getattr(snapshot, name)["url"]
        wanted = set(in_scope) if wanted is None else wanted.intersection(in_scope)
    if wanted is not None and not wanted:
        return
    size = batch_size()
    key, url, value = table.c.id, table.c.url, table.c[column]
    base = select(key, url, value).where(table.c.scan_id == snapshot.scan_id)
    if where is not None:
        base = base.where(where(table))
    if wanted is not None and len(wanted) <= size:
        # A few pages: ask for them by URL, put in order here: SQLite's ORDER BY copied each
        # row's text into a sorted temporary table (1 s a pass over 10⁵ texts).
        with snapshot.engine.connect() as conn:
            rows = conn.execute(base.where(url.in_(sorted(wanted)))).all()
        rows.sort(key=_first)
        for r in rows:
            yield r[1], r[2]
        return
    # The ids of the wanted rows first (the (scan_id, url) index covers them), then their values
    # by primary key, a batch and a connection at a time: nothing is held open while the rule
    # works, no driver buffers the whole result (psycopg2 would, for one big SELECT), and no query
    # walks the whole scan per batch (keyset pages on id with scan_id = ? made SQLite sort every
    # remaining row, texts included, for each batch: quadratic in the documents).
    with snapshot.engine.connect() as conn:
        if where is None:
            ids_of = select(key, url).where(table.c.scan_id == snapshot.scan_id)
        else:       # tested on each row of the scan: read in the order of their ids
            ids_of = select(key, url).where(storage.rows_of_scan(conn, table, snapshot.scan_id), where(table))
        result = conn.execution_options(stream_results=True).execute(ids_of)
        ids = sorted(i for part in result.partitions(10000) for i, u in part if wanted is None or u in wanted)
    for start in range(0, len(ids), size):
        with snapshot.engine.connect() as conn:
            rows = conn.execute(select(url, value).where(key.in_(ids[start:start + size])).order_by(key)).all()
        for r in rows:
            yield r[0], r[1]


def _first(row):
    return row[0]


def document_texts(snapshot, urls: Iterable[str] | None = None) -> Iterator[tuple[str, str]]:
    """(document URL, body text) of the documents ``urls`` (default: all), in batches from the DB."""
    for url, text in _values(snapshot, "documents", "body_text", urls):
        yield url, text or ""


def document_values(snapshot, column: str, urls: Iterable[str] | None = None, where=None) -> Iterator[tuple[str, object]]:
    """(document URL, value of ``column``) of the documents ``urls`` (default: all), in batches;
    ``where`` as for ``page_values``."""
    return _values(snapshot, "documents", column, urls, where)


def page_values(snapshot, column: str, urls: Iterable[str] | None = None, where=None) -> Iterator[tuple[str, object]]:
    """(page URL, value of ``column``) of the pages ``urls`` (default: all), in batches.

    ``where(table)``: an SQL condition the database checks first, so only the rows that can
    matter are read (for example a JSON key of ``facts``; the rule still judges each row)."""
    return _values(snapshot, "pages", column, urls, where)
