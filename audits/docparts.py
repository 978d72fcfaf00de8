"""The document view a part at a time, for rules: memory per worker must not grow with the site.

A rule that judges documents one by one iterates ``document_batches``; a check across documents
keeps only what it needs from them (the 解读 pairs, a Counter of 索引号 styles) and asks for the
rows it reports on with ``document_rows``.  No rule holds the view of every document::

    for docs in document_batches(snapshot, config):        # frames of the document view
        for url, d in records(docs[docs["fetched_ok"]], ("title", "unit")):
            ...

Rows come in the view's order, ``GOVAUDIT_TEXT_BATCH_SIZE`` (audits.texts) at a time; findings
must not depend on the batch size (tests/audits/test_texts.py runs the audit with batches of 1).
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd
from sqlalchemy import select

from audits.docview import document_view, view_of
from audits.snapshot import _frame, frame_columns
from audits.spool import PartSpool
from audits.texts import batch_size
from govaudit.core import storage

# What the view reads of the list entries that link to a part's documents.
_ITEM_COLUMNS = ["url", "column_url", "full_title", "title"]


def _streams(snapshot) -> bool:
    """Parts come from the database, except for a scoped snapshot (its frames are already cut to
    the scope, and small) and a snapshot with no database."""
    return snapshot.engine is not None and not snapshot.scope


def document_batches(snapshot, config: dict) -> Iterator[pd.DataFrame]:
    """The document view (audits.docview) in parts of at most ``batch_size()`` documents, in the
    order the crawl stored them."""
    if not _streams(snapshot):
        view, size = document_view(snapshot, config), batch_size()
        for start in range(0, len(view), size):
            yield view.iloc[start:start + size]
        return
    yield from _spooled(snapshot, config).parts()


def document_rows(snapshot, config: dict, urls: Iterable[str]) -> pd.DataFrame:
    """The view's rows of the documents ``urls`` (those that are documents), in stored order."""
    wanted = {u for u in urls if isinstance(u, str)}
    parts = [docs[docs.index.isin(wanted)] for docs in document_batches(snapshot, config)] if wanted else []
    parts = [p for p in parts if len(p)]
    return pd.concat(parts) if parts else _empty_view(snapshot, config)


def document_subset(snapshot, config: dict, keep: Callable[[pd.DataFrame], object]) -> pd.DataFrame:
    """The view's rows where ``keep(part)`` (a boolean mask of a part) holds: for a few documents
    (the 指南, the 征求意见), not for a share of them (iterate the parts instead)."""
    parts = [docs[pd.Series(keep(docs), index=docs.index, dtype=bool)] for docs in document_batches(snapshot, config)]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts) if parts else _empty_view(snapshot, config)


def document_count(snapshot, config: dict) -> int:
    """Documents of the view (one row per URL; pages judged soft 404s are not documents)."""
    return sum(len(docs) for docs in document_batches(snapshot, config))


def _empty_view(snapshot, config: dict) -> pd.DataFrame:
    if not _streams(snapshot):
        return document_view(snapshot, config).iloc[:0]
    return view_of(snapshot, config, _frame_of_ids(snapshot, []), pd.DataFrame(columns=_ITEM_COLUMNS))


def _spooled(snapshot, config: dict) -> PartSpool:
    """Every part of the view, built once from the database and kept in a temporary file: each
    rule's pass reads it back (a pickle per part, ~100× faster than building the part again)."""
    def build():
        spool, size = PartSpool(), batch_size()
        ids = _document_ids(snapshot)
        for start in range(0, len(ids), size):
            spool.add(_part(snapshot, config, ids[start:start + size].tolist()))
        return spool
    return snapshot.memo(("document_parts", id(config)), build)


def _document_ids(snapshot) -> np.ndarray:
    """The ids of the scan's documents in stored order (8 bytes a document)."""
    table = storage.document
    with snapshot.engine.connect() as conn:
        result = conn.execution_options(stream_results=True).execute(
            select(table.c.id).where(table.c.scan_id == snapshot.scan_id).order_by(table.c.id))
        return np.fromiter((i for part in result.partitions(10000) for (i,) in part), dtype=np.int64)


def _frame_of_ids(snapshot, ids: list[int]) -> pd.DataFrame:
    documents = storage.document
    with snapshot.engine.connect() as conn:
        return _frame(conn, documents, snapshot.scan_id, frame_columns("documents", snapshot.reads), {},
                      where=documents.c.id.in_(ids), ordered=True)


def _part(snapshot, config: dict, ids: list[int]) -> pd.DataFrame:
    """The view of the documents ``ids``, from their rows and the list entries linking to them."""
    docs, items = _frame_of_ids(snapshot, ids), storage.list_item
    urls = sorted(set(docs["url"]))
    with snapshot.engine.connect() as conn:
        entries = [_frame(conn, items, snapshot.scan_id, ["id", *_ITEM_COLUMNS], {},
                          where=items.c.url.in_(urls[i:i + 500])) for i in range(0, len(urls), 500)]
    entries = pd.concat(entries).sort_values("id", kind="stable") if entries else pd.DataFrame(columns=_ITEM_COLUMNS)
    return view_of(snapshot, config, docs, entries)
