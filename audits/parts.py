"""Rows of the snapshot's tables that grow with the site, read in parts instead of held whole.

``list_item``, ``document``, ``page`` and ``link`` grow with the site (10⁵ documents: 62 MiB of
documents, 41 MiB of list items, 35 MiB of pages and links as frames).  An unscoped ``Snapshot``
does not load them: its readers take them a part at a time (``Snapshot.list_item_parts``,
``document_parts``, ``page_parts``, ``link_parts``) or ask for the rows they need
(``list_items_in``, ``list_items_of``, ``documents_of``, ``pages_of``, ``pages_of_kind``,
``links_of``).  Each part is one
query on one connection, keyset-paged on the table's unique index (nothing held open while a rule
works, no driver buffering the whole result, no query sorting the remaining rows per part), of
``GOVAUDIT_ROW_BATCH_SIZE`` rows (default 500).  Findings must not depend on that size
(tests/audits/test_parts.py runs the audit with parts of 1 and of 10⁶ and compares).

Order, the same on every path (a frame loaded whole for a scoped scan is loaded in it too):

* documents, pages and links by URL (SQLite's order of the ``(scan_id, url)`` index the
  whole-table read used);
* list items by list page (``page_url``, missing first), then as stored (``id``): the order of
  the ``(scan_id, page_url)`` index SQLite read the whole table by, on which the first-wins
  choices over entries depend (the title a document is listed by when no entry has a full title,
  the column a list page shown by several columns is attributed to, the newest of two entries of
  one day and position).  The column that names a document listed in several does not: the
  document view sorts its columns first (audits/docview.py).
"""
from __future__ import annotations

import os
from typing import Iterator

import numpy as np
import pandas as pd
from sqlalchemy import Boolean, Float, Integer, String, func, nulls_first, select, tuple_

from audits.frames import NO_ITEMS, Fields
from govaudit.core import storage

DEFAULT_ROW_BATCH_SIZE = 500
IN_LIST = 500           # values per SQL IN list (SQLite's bound on parameters; link_sources_of too)


def row_batch_size() -> int:
    """Rows per query (``GOVAUDIT_ROW_BATCH_SIZE``, default 500: the rules' memory is then the
    same from 10³ documents on, where 2,000 made 10⁴ documents 5 MB more; docs/performance.md)."""
    try:
        return max(1, int(os.environ.get("GOVAUDIT_ROW_BATCH_SIZE") or DEFAULT_ROW_BATCH_SIZE))
    except ValueError:
        return DEFAULT_ROW_BATCH_SIZE


def shared(value, pool: dict):
    """``value`` with its strings (and a JSON dict's keys and string values, also in a list of
    dicts) replaced by one shared copy: a URL is in four tables, a column URL on every item,
    发布日期 in every ``fields``, 附件1.pdf in every attachment list.  Empty lists are one list."""
    if isinstance(value, str):
        return pool.setdefault(value, value)
    if isinstance(value, dict):
        return {pool.setdefault(k, k): pool.setdefault(v, v) if isinstance(v, str) else v for k, v in value.items()}
    if isinstance(value, list):
        return [shared(v, pool) for v in value] if value else NO_ITEMS
    return value


def as_fields(value, pool: dict):
    """A document's ``fields`` dict as a ``Fields`` (its keys one tuple shared through ``pool``)."""
    if not isinstance(value, dict):
        return value
    keys = tuple(pool.setdefault(k, k) for k in value)
    return Fields(pool.setdefault(keys, keys), tuple(pool.setdefault(v, v) if isinstance(v, str) else v
                                                     for v in value.values()))


def share_by_type(table, column: str):
    """How a column's values are shared: ``str`` (one pooled copy of each string), None (kept as
    read: numbers and flags), or a function of (value, pool) for JSON and a document's fields."""
    if table is storage.document and column == "fields":
        return as_fields
    kind = table.c[column].type
    if isinstance(kind, String):       # Text too; SQLite's TEXT affinity returns str or None
        return str
    if isinstance(kind, (Integer, Boolean, Float)):
        return None
    return shared


def fill(values: np.ndarray, row: int, part, share: list, pool: dict) -> None:
    """Rows ``part`` (tuples) into ``values[:, row:row + len(part)]``, strings shared through ``pool``."""
    for j, (col, how) in enumerate(zip(zip(*part), share)):
        if how is str:             # one C-level map, not a Python call per cell (3.4 M cells at 10⁵ documents)
            cells = map(pool.setdefault, col, col)
        elif how is None:
            cells = iter(col)
        else:
            cells = (how(v, pool) for v in col)
        values[j, row:row + len(part)] = np.fromiter(cells, dtype=object, count=len(part))


def as_frame(rows, table, columns: list[str], pool: dict) -> pd.DataFrame:
    """Rows read from ``table`` as a frame of dtype object (None for missing values)."""
    values = np.empty((len(columns), len(rows)), dtype=object)
    if rows:
        fill(values, 0, rows, [share_by_type(table, c) for c in columns], pool)
    return pd.DataFrame(values.T, columns=columns, dtype=object, copy=False)


def in_lists(values) -> Iterator[list]:
    values = sorted(set(values))
    for start in range(0, len(values), IN_LIST):
        yield values[start:start + IN_LIST]


# ---- the order of each table ---------------------------------------------------------------

def order_of(table) -> list:
    """The ORDER BY of a whole-table read of ``table`` (see the module's docstring)."""
    if table is storage.list_item:
        return [nulls_first(table.c.page_url), table.c.id]
    if table in (storage.document, storage.page, storage.link):
        return [table.c.url]
    return []


def list_item_order(row) -> tuple:
    """The sort key of a list item row whose first two values are ``page_url`` and ``id``: rows
    read in several queries, in the order of a whole-table read (Python compares strings by code
    point, SQLite's BINARY collation by UTF-8 bytes: the same order)."""
    return row[0] is not None, row[0] or "", row[1]


# ---- keyset pages --------------------------------------------------------------------------

def _pages(engine, query, after, key_of, size: int) -> Iterator[list]:
    """Rows of ``query`` a page of ``size`` at a time, a connection per page: ``after(key)`` is the
    condition for the rows after the one whose ``key_of(row)`` was last."""
    key = None
    while True:
        page = query if key is None else query.where(after(key))
        with engine.connect() as conn:
            rows = conn.execute(page.limit(size)).all()
        if rows:
            yield rows
        if len(rows) < size:
            return
        key = key_of(rows[-1])


def url_pages(table):
    """Keyset pages of ``table`` (documents, pages, links: one row per URL and scan) by URL, on
    its ``(scan_id, url)`` index; the first of the ``columns`` read is ``url``."""
    def pages(engine, scan_id: int, columns: list[str], size: int) -> Iterator[list]:
        query = select(*(table.c[c] for c in columns)).where(table.c.scan_id == scan_id).order_by(table.c.url)
        return _pages(engine, query, lambda key: table.c.url > key, lambda row: row[0], size)
    return pages


# The tables read in parts whose rows are one per URL (list items are keyed otherwise).
BY_URL = {"documents": storage.document, "pages": storage.page, "links": storage.link}


def list_item_pages(engine, scan_id: int, columns: list[str], size: int) -> Iterator[list]:
    """The scan's list items (``columns``, the first two being ``page_url`` and ``id``) in the
    table's order, keyset on the ``(scan_id, page_url)`` index: the items of no list page by id,
    then the others by (page_url, id)."""
    table = storage.list_item
    base = select(*(table.c[c] for c in columns)).where(table.c.scan_id == scan_id)
    yield from _pages(engine, base.where(table.c.page_url.is_(None)).order_by(table.c.id),
                      lambda key: table.c.id > key, lambda row: row[1], size)
    yield from _pages(engine, base.where(table.c.page_url.is_not(None)).order_by(table.c.page_url, table.c.id),
                      lambda key: tuple_(table.c.page_url, table.c.id) > tuple_(*key), lambda row: (row[0], row[1]),
                      size)


# ---- the snapshot's reads ------------------------------------------------------------------

class PartedTables:
    """``Snapshot``'s reads of list items and documents.  ``_held[name]`` is the whole frame
    when one is held (a scoped scan, or frames given to the constructor), else None: the rows
    come from the database."""

    _held: dict
    engine: object
    scan_id: int

    def loaded_columns(self, name: str) -> list[str]:
        raise NotImplementedError

    def _whole(self, name: str) -> pd.DataFrame:
        raise NotImplementedError

    def _wanted(self, name: str, columns, first) -> list[str]:
        """``first`` (the keys every read needs) then ``columns`` (default: every loaded column);
        asking for a column no enabled rule declared is an error, as reading it from a frame was."""
        loaded = self.loaded_columns(name)
        for c in columns or ():
            if c not in loaded:
                raise KeyError(f"{name}.{c} is not loaded: declare it in @rule(reads=[...])")
        return list(dict.fromkeys([*first, *(loaded if columns is None else columns)]))

    def _parts_of_frame(self, name: str, columns: list[str]) -> Iterator[pd.DataFrame]:
        frame, size = self._held[name][columns], row_batch_size()
        for start in range(0, len(frame), size):
            yield frame.iloc[start:start + size]

    def list_item_parts(self, columns=None) -> Iterator[pd.DataFrame]:
        """The scan's list items a part at a time (frames of ``page_url``, ``id`` and ``columns``,
        default every loaded column), in the table's order."""
        if self._held["list_items"] is not None:
            return self._parts_of_frame("list_items", self._wanted("list_items", columns, ("page_url",)))
        columns = self._wanted("list_items", columns, ("page_url", "id"))
        return self._read_parts(storage.list_item, columns, list_item_pages)

    def document_parts(self, columns=None) -> Iterator[pd.DataFrame]:
        """The scan's documents a part at a time (frames of ``url`` and ``columns``, default every
        loaded column), by URL."""
        return self._url_parts("documents", columns)

    def page_parts(self, columns=None) -> Iterator[pd.DataFrame]:
        """The scan's fetched pages a part at a time (frames of ``url`` and ``columns``), by URL."""
        return self._url_parts("pages", columns)

    def link_parts(self, columns=None) -> Iterator[pd.DataFrame]:
        """The scan's checked link targets a part at a time (frames of ``url`` and ``columns``), by URL."""
        return self._url_parts("links", columns)

    def _url_parts(self, name: str, columns) -> Iterator[pd.DataFrame]:
        columns = self._wanted(name, columns, ("url",))
        if self._held[name] is not None:
            return self._parts_of_frame(name, columns)
        return self._read_parts(BY_URL[name], columns, url_pages(BY_URL[name]))

    def _read_parts(self, table, columns: list[str], pages) -> Iterator[pd.DataFrame]:
        for rows in pages(self.engine, self.scan_id, columns, row_batch_size()):
            # Strings repeated across the part's rows (a column URL, a date, a unit) shared; a
            # pool kept across parts would hold every part's strings, long after the part is gone.
            pool: dict = {}
            yield as_frame(rows, table, columns, pool)

    def list_items_in(self, column_urls, columns=None) -> pd.DataFrame:
        """The list items of the columns ``column_urls``, in the table's order."""
        return self._list_items_where("column_url", column_urls, columns)

    def list_items_of(self, urls, columns=None) -> pd.DataFrame:
        """The list items (in any column) whose entry URL is one of ``urls``, in the table's order."""
        return self._list_items_where("url", urls, columns)

    def _list_items_where(self, key: str, values, columns) -> pd.DataFrame:
        values = {v for v in values if isinstance(v, str)}
        frame = self._held["list_items"]
        if frame is not None:
            columns = self._wanted("list_items", columns, ("page_url",))
            return frame.loc[frame[key].isin(values).to_numpy(dtype=bool), columns]
        columns = self._wanted("list_items", columns, ("page_url", "id"))
        rows = self._rows_where(storage.list_item, columns, key, values)
        return as_frame(sorted(rows, key=list_item_order), storage.list_item, columns, {})

    def documents_of(self, urls, columns=None) -> pd.DataFrame:
        """The documents whose URL is one of ``urls``, by URL."""
        return self._rows_of("documents", urls, columns)

    def pages_of(self, urls, columns=None) -> pd.DataFrame:
        """The fetched pages whose URL is one of ``urls``, by URL."""
        return self._rows_of("pages", urls, columns)

    def links_of(self, urls, columns=None) -> pd.DataFrame:
        """The checked link targets whose URL is one of ``urls``, by URL."""
        return self._rows_of("links", urls, columns)

    def pages_of_kind(self, kinds, columns=None) -> pd.DataFrame:
        """The fetched pages of the kinds ``kinds`` (homepage, column, list …: a few of them), by URL."""
        kinds = set(kinds)
        columns = self._wanted("pages", columns, ("url",))
        frame = self._held["pages"]
        if frame is not None:
            return frame.loc[frame["kind"].isin(kinds).to_numpy(dtype=bool), columns].sort_values("url", kind="stable")
        rows = self._rows_where(storage.page, columns, "kind", kinds)
        return as_frame(sorted(rows, key=lambda r: r[0]), storage.page, columns, {})

    def pages_without_link(self) -> list[str]:
        """URLs of the fetched pages that were never checked as a link target, by URL."""
        frame = self._held["pages"]
        if frame is not None:
            checked = set(self._whole("links")["url"])
            return sorted(u for u in frame["url"] if u not in checked)
        page, link = storage.page, storage.link
        checked = select(link.c.id).where(link.c.scan_id == page.c.scan_id, link.c.url == page.c.url).exists()
        with self.engine.connect() as conn:
            return list(conn.execute(select(page.c.url).where(page.c.scan_id == self.scan_id, ~checked)
                                     .order_by(page.c.url)).scalars())

    def _rows_of(self, name: str, urls, columns) -> pd.DataFrame:
        values = {v for v in urls if isinstance(v, str)}
        columns = self._wanted(name, columns, ("url",))
        frame = self._held[name]
        if frame is not None:
            return frame.loc[frame["url"].isin(values).to_numpy(dtype=bool), columns]
        rows = self._rows_where(BY_URL[name], columns, "url", values)
        return as_frame(sorted(rows, key=lambda r: r[0]), BY_URL[name], columns, {})

    def _rows_where(self, table, columns: list[str], key: str, values: set) -> list:
        rows: list = []
        query = select(*(table.c[c] for c in columns)).where(table.c.scan_id == self.scan_id)
        with self.engine.connect() as conn:
            for chunk in in_lists(values):
                rows += conn.execute(query.where(table.c[key].in_(chunk))).all()
        return rows

    def count(self, name: str) -> int:
        """Rows of ``list_items``, ``documents``, ``pages`` or ``links`` in the scan (inside its scope)."""
        frame = self._held[name]
        if frame is not None:
            return len(frame)
        table = BY_URL.get(name, storage.list_item)
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table).where(table.c.scan_id == self.scan_id)).scalar()
