"""The document view a part at a time, for rules: memory per worker must not grow with the site.

A rule that judges documents one by one iterates ``document_batches``; a check across documents
keeps only what it needs from them (the 解读 pairs, a Counter of 索引号 styles) and asks for the
rows it reports on with ``document_rows``.  No rule holds the view of every document::

    for docs in document_batches(snapshot, config, ("fetched_ok", "title", "unit")):  # the columns read
        for url, d in records(docs[docs["fetched_ok"]], ("title", "unit")):
            ...

Rows come in the view's order, ``GOVAUDIT_TEXT_BATCH_SIZE`` (audits.texts) at a time; findings
must not depend on the batch size (tests/audits/test_texts.py runs the audit with batches of 1).
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, Sequence

import pandas as pd

from audits.docview import DOCUMENT_READS, ITEM_READS, NO_CONTEXT, view_context, view_of
from audits.spool import ColumnSpool
from audits.texts import batch_size


def document_batches(snapshot, config: dict, columns: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
    """The document view (audits.docview) in parts of at most ``batch_size()`` documents, by URL;
    only ``columns`` of it if given (each column is read apart: name those the rule reads)."""
    yield from _spooled(snapshot, config).parts(columns)


def document_rows(snapshot, config: dict, urls: Iterable[str], columns=None) -> pd.DataFrame:
    """The view's rows of the documents ``urls`` (those that are documents), by URL; only
    ``columns`` of them if given (a row of every column is ~2 kB: ask for what the rule reads)."""
    wanted = {u for u in urls if isinstance(u, str)}
    return _gathered(snapshot, config, lambda docs: docs.index.isin(wanted), (), columns) if wanted \
        else _empty_view(snapshot, config, columns)


def document_subset(snapshot, config: dict, keep: Callable[[pd.DataFrame], object], reads: Sequence[str],
                    columns=None) -> pd.DataFrame:
    """The view's rows where ``keep(part)`` (a boolean mask of a part of the ``reads`` columns)
    holds: for a few documents (the 指南, the 征求意见), not for a share of them (iterate the
    parts instead)."""
    return _gathered(snapshot, config, keep, reads, columns)


def _gathered(snapshot, config: dict, keep, reads, columns) -> pd.DataFrame:
    read = None if columns is None else list(dict.fromkeys([*reads, *columns]))
    parts = []
    for docs in document_batches(snapshot, config, read):
        rows = docs[pd.Series(keep(docs), index=docs.index, dtype=bool)]
        if len(rows):
            parts.append(rows if columns is None else rows[list(columns)])
    return pd.concat(parts) if parts else _empty_view(snapshot, config, columns)


def document_view(snapshot, config: dict) -> pd.DataFrame:
    """The whole view, for tests and tools: the rules read it a part at a time."""
    parts = list(document_batches(snapshot, config))
    return pd.concat(parts) if len(parts) > 1 else parts[0] if parts else _empty_view(snapshot, config)


def document_count(snapshot, config: dict) -> int:
    """Documents of the view (one row per URL; pages judged soft 404s are not documents)."""
    return sum(len(docs) for docs in document_batches(snapshot, config, ()))


def _empty_view(snapshot, config: dict, columns=None) -> pd.DataFrame:
    view = view_of(snapshot, config, pd.DataFrame(columns=DOCUMENT_READS), pd.DataFrame(columns=ITEM_READS), NO_CONTEXT)
    return view if columns is None else view[list(columns)]


def _spooled(snapshot, config: dict) -> ColumnSpool:
    """Every part of the view, built once (the documents a part at a time, each with the list
    entries linking to it: audits.parts) and kept in a temporary file: each rule's pass reads back
    the columns it names (a pickle per column of a part, ~100× faster than building it again)."""
    def build():
        spool, size, context = ColumnSpool("document view"), batch_size(), view_context(snapshot, config)
        for part in snapshot.document_parts(DOCUMENT_READS):
            for start in range(0, len(part), size):
                docs = part.iloc[start:start + size]
                spool.add(view_of(snapshot, config, docs, snapshot.list_items_of(docs["url"], ITEM_READS), context))
        return spool
    return snapshot.memo(("document_parts", id(config)), build)
