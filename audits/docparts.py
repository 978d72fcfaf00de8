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

import pandas as pd

from audits.docview import document_view
from audits.texts import batch_size


def document_batches(snapshot, config: dict) -> Iterator[pd.DataFrame]:
    """The document view (audits.docview) in parts of at most ``batch_size()`` rows."""
    view = document_view(snapshot, config)
    size = batch_size()
    for start in range(0, len(view), size):
        yield view.iloc[start:start + size]


def document_rows(snapshot, config: dict, urls: Iterable[str]) -> pd.DataFrame:
    """The view's rows of the documents ``urls`` (those that are documents), in the view's order."""
    wanted = set(urls)
    parts = [docs[docs.index.isin(wanted)] for docs in document_batches(snapshot, config)] if wanted else []
    parts = [p for p in parts if len(p)]
    return pd.concat(parts) if parts else document_view(snapshot, config).iloc[:0]


def document_subset(snapshot, config: dict, name: str, keep: Callable[[pd.DataFrame], object]) -> pd.DataFrame:
    """The view's rows where ``keep(part)`` (a boolean mask of a part) holds, kept once per
    snapshot under ``name`` for the rules that share them (the documents that must be interpreted)."""
    def build():
        parts = [docs[pd.Series(keep(docs), index=docs.index, dtype=bool)] for docs in document_batches(snapshot, config)]
        parts = [p for p in parts if len(p)]
        return pd.concat(parts) if parts else document_view(snapshot, config).iloc[:0]
    return snapshot.memo(("document_subset", name, id(config)), build)


def document_count(snapshot, config: dict) -> int:
    """Documents of the view (one row per URL; pages judged soft 404s are not documents)."""
    return sum(len(docs) for docs in document_batches(snapshot, config))
