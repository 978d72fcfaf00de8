"""A read-model of one stored scan: the snapshot tables loaded once into pandas.

Rules never query the database themselves; they read these frames, or ask the snapshot for rows:
list items, documents, pages and links, the tables that grow with the site, are no frames of an
unscoped scan (``PARTED``): ``Snapshot.list_item_parts`` / ``document_parts`` / ``page_parts`` /
``link_parts`` read them in parts and ``list_items_of`` / ``documents_of`` / ``pages_of`` /
``links_of`` … the rows a rule needs (``audits.parts``).  Frames derived with the
audit configuration (column classes, document requirements, …) are memoised per snapshot through
``Snapshot.memo`` so several rules share them.

Only the columns the audits read are loaded (memory is per document: a site of 10⁵ documents
must audit in a few hundred MB).  Body text and the per-page JSON blobs (``STREAMED``) are never
in the frames: rules iterate them in batches through ``audits.texts``.  The crawler's
bookkeeping columns (``OPTIONAL``) are loaded only when an enabled rule names them in
``@rule(reads=[...])`` (as ``"table.column"``, tables named as the attributes below).
"""
from __future__ import annotations

import logging
from typing import Callable

import numpy as np
import pandas as pd
from sqlalchemy import String, cast, func, inspect, select

from audits.parts import PartedTables, fill, order_of, share_by_type
from govaudit.core import storage
from govaudit.core.errors import EXIT_USAGE, GovauditError

log = logging.getLogger(__name__)

TABLES = {
    "units": storage.unit,
    "columns": storage.column,
    "list_items": storage.list_item,
    "documents": storage.document,
    "relations": storage.relation,
    "links": storage.link,
    "link_sources": storage.link_source,
    "pages": storage.page,
    "fetch_errors": storage.fetch_error,
    "attachments": storage.attachment,
}


# Read whole on first use only: the audits ask for parts of the link sources, only the 解读 pairs
# read the relations, and only the attachment rules the files (15,000 at 10⁵ documents), which are
# then not held under the rules before them.  Each is let go after its last rule (VIEWS).
LAZY = ("link_sources", "relations", "attachments")
# Never loaded whole for an unscoped scan: read in parts or asked for (audits.parts).  A scoped
# scan is small and loads them (its scope is decided on them).
PARTED = ("list_items", "documents", "pages", "links")
# Read in batches through audits.texts, never loaded into a frame.
STREAMED = {
    "documents": ("body_text", "metas", "fields_raw"),
    "pages": ("facts",),
}
# Loaded only for the rules that declare them (@rule(reads=["links.detail"])).
OPTIONAL = {
    "columns": ("fetched_at",),
    "list_items": ("date_raw",),
    "documents": ("encoding", "content_hash", "etag", "last_modified", "fetched_at"),
    "links": ("detail", "method", "checked_at"),
    "link_sources": ("anchor", "tag"),
    "pages": ("size", "content_hash", "etag", "last_modified", "encoding", "fetched_at"),
    "fetch_errors": ("error", "at"),
    "attachments": ("content_type", "etag", "last_modified", "fetched_at"),
}


# What a rule names in ``@rule(views=[...])``: the frames built once and shared by rules
# (``Snapshot.memo``'s first key) and the tables read on first use.  The runner lets each go after
# the last enabled rule that names it; one asked for again is built or read again.
VIEWS = frozenset({
    "column_classes", "column_view", "link_verdicts", "list_page_owners", "document_parts",
    "interpretation_documents", "interp_pairs", "relations", "attachments"})


def check_reads(reads) -> None:
    """Raise ValueError for a ``table.column`` that is not an optional column of the snapshot."""
    for name in reads:
        table, _, column = str(name).partition(".")
        if column in STREAMED.get(table, ()):
            raise ValueError(f"{name} is not loaded into the frames: read it with audits.texts")
        if column not in OPTIONAL.get(table, ()):
            raise ValueError(f"{name}: not an optional column (snapshot.OPTIONAL); the others are always loaded")


def frame_columns(table_name: str, reads=()) -> list[str]:
    """The columns of one table loaded for the rules that declared ``reads``."""
    skip = set(STREAMED.get(table_name, ())) | set(OPTIONAL.get(table_name, ()))
    wanted = {c.partition(".")[2] for c in reads if c.partition(".")[0] == table_name}
    return [c.name for c in TABLES[table_name].columns
            if c.name not in ("id", "scan_id") and (c.name not in skip or c.name in wanted)]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns}, columns=columns)


def _frame(conn, table, scan_id: int, columns: list[str], pool: dict, where=None,
           every_row: bool = False) -> pd.DataFrame:
    """One table of one scan, every column of dtype object with None for missing values.

    Through SQLAlchemy so JSON columns come back as dicts/lists on every backend.  Rows are read
    in parts (a server-side cursor on PostgreSQL), never all at once, straight into the one object
    block the frame keeps: lists per column, then Series, then pandas' stacked copy of them were
    three copies of every table at load.  Letting pandas infer dtypes would turn missing values
    into NaN (truthy) and integers with gaps into floats.  ``every_row``: ``where`` is tested on
    every row of the scan (no index serves it), read in the order of their ids.
    """
    query = select(*(table.c[c] for c in columns))
    if where is None:       # the whole table: counted on the scan_id index, sized once
        size = conn.execute(select(func.count()).select_from(table).where(table.c.scan_id == scan_id)).scalar()
        query = query.where(table.c.scan_id == scan_id).order_by(*order_of(table))
    else:                   # a few rows; counting would run the condition (a LIKE over 10⁶ rows) twice
        rows = storage.rows_of_scan(conn, table, scan_id) if every_row else table.c.scan_id == scan_id
        query, size = query.where(rows, where), 0
    values = np.empty((len(columns), size or 0), dtype=object)
    result = conn.execution_options(stream_results=True).execute(query)
    share = [share_by_type(table, c) for c in columns]
    row = 0
    for part in result.partitions(10000):
        if row + len(part) > values.shape[1]:        # not counted, or rows added since (a scan still running)
            values = np.concatenate([values, np.empty((len(columns), len(part)), dtype=object)], axis=1)
        fill(values, row, part, share, pool)
        row += len(part)
    return pd.DataFrame(values[:, :row].T, columns=columns, dtype=object, copy=False)


def _empty_table(table) -> pd.DataFrame:
    return _empty([c.name for c in table.columns if c.name not in ("id", "scan_id")])


# A file's text (up to 2·10⁶ characters each), read per batch of files (audits.filetext.file_texts).
FILE_TEXT = ("parts", "cells")
# What reading a file gave that the audits read (not the reader's timings).
FILE_FACTS = ("sha256", "kind", "status", "detail", "pages", "members")


def _texts(conn, digests) -> pd.DataFrame:
    """What reading the files of one scan gave (``FILE_FACTS``), without their text; the table
    ``attachment_text`` is shared by all scans."""
    table, digests, columns = storage.attachment_text, list(digests), list(FILE_FACTS)
    rows = []
    for i in range(0, len(digests), 500):
        rows += conn.execute(select(*(table.c[c] for c in columns))
                             .where(table.c.sha256.in_(digests[i:i + 500]))).all()
    values = list(zip(*rows)) if rows else [()] * len(columns)
    return pd.DataFrame({name: pd.Series(list(col), dtype=object) for name, col in zip(columns, values)},
                        columns=columns)


class _ReadOnFirstUse:
    """A table attribute (PARTED, LAZY) read whole from the database when first asked for."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, snapshot, owner=None):
        return self if snapshot is None else snapshot._whole(self.name)

    def __set__(self, snapshot, frame: pd.DataFrame) -> None:
        snapshot._held[self.name] = frame
        snapshot._reloadable.discard(self.name)        # a frame given or restricted is no table's


class Snapshot(PartedTables):
    """The tables of one scan (restricted to the scan's scope, if it had one).

    List items, documents, pages and links are no frames of an unscoped scan (``PARTED``): the
    audits read them in parts or ask for the rows they need (``audits.parts.PartedTables``).  The
    attributes still give the whole table, read on first use, for tools and tests."""

    units: pd.DataFrame
    columns: pd.DataFrame
    fetch_errors: pd.DataFrame
    # Every row of the scan, read on first use (the audits read parts or ask for rows instead).
    list_items = _ReadOnFirstUse()
    documents = _ReadOnFirstUse()
    pages = _ReadOnFirstUse()
    links = _ReadOnFirstUse()
    link_sources = _ReadOnFirstUse()     # about ten per page: the audits ask for some (link_sources_of)
    relations = _ReadOnFirstUse()        # links between documents and 解读 (audits.interpretations)
    attachments = _ReadOnFirstUse()      # files documents link to, one row per file and document

    def __init__(self, scan: dict, frames: dict[str, pd.DataFrame], engine=None, reads=()):
        self.scan = dict(scan)
        self.engine = engine           # audits.texts reads text and per-page values through it
        self._reads = tuple(reads)
        # No engine (frames made by hand): what was not given is empty, as for the other tables.
        self._held = {name: frames.get(name, None if engine is not None else _empty_table(TABLES[name]))
                      for name in PARTED + LAZY}
        self._reloadable: set[str] = set()     # tables of _held read from the database: release() may drop them
        self.touched: set[str] = set()         # the VIEWS asked for by a caller, not by a view's build
        self._building = 0
        for name in TABLES:
            if name in LAZY or name in PARTED:
                continue
            setattr(self, name, frames[name] if name in frames else _empty_table(TABLES[name]))
        self._file_facts = frames.get("attachment_texts")   # read with the attachments when not given
        self._memo: dict = {}
        self.scope = {k: self.scan.get(k) for k in ("scope_unit", "scope_column") if self.scan.get(k)}
        if self.scope:
            self._restrict_to_scope()

    @classmethod
    def load(cls, engine, scan_id: int, reads=None) -> "Snapshot":
        """The scan's frames: the always-loaded columns plus the optional ones ``reads`` names
        (None: every optional column; the runner passes what the enabled rules declare)."""
        if reads is None:
            reads = [f"{t}.{c}" for t, cols in OPTIONAL.items() for c in cols]
        check_reads(reads)
        with engine.connect() as conn:
            scan = conn.execute(select(storage.scan).where(storage.scan.c.id == scan_id)).mappings().first()
            if scan is None:
                raise GovauditError(f"检查记录不存在 / no scan with id {scan_id}", EXIT_USAGE)
            have = set(inspect(conn).get_table_names())
            scoped = scan["scope_unit"] or scan["scope_column"]
            pool: dict = {}
            frames = {name: _frame(conn, table, scan_id, frame_columns(name, reads), pool)
                      for name, table in TABLES.items()
                      if name not in LAZY and (name not in PARTED or scoped)}
            # A database made before the files (or their text) were stored, opened read-only.
            if storage.attachment.name not in have:
                frames["attachments"] = _empty_table(storage.attachment)
            if storage.attachment_text.name not in have:
                frames["attachment_texts"] = _empty_table(storage.attachment_text)
        # Uncached: SQLAlchemy's cache keeps each compiled statement with the values of its first
        # run (an IN list's 500 URLs), made in the middle of the rules' frames, where they outlived
        # them and kept the heap's pages in use (1,300 such objects after the document parts at
        # 10⁴ documents, 350 without the cache).  Compiling anew costs no measurable time.
        return cls(dict(scan), frames, engine.execution_options(compiled_cache=None), reads)

    @property
    def reads(self) -> tuple:
        """The optional columns loaded (``table.column``), as the rules declared them."""
        return self._reads

    @property
    def scan_id(self) -> int:
        return self.scan["id"]

    @property
    def attachment_texts(self) -> pd.DataFrame:
        """What reading the files of ``attachments`` gave (``FILE_FACTS``), read with them."""
        files = self.attachments             # read first: letting the files go lets these go too
        if self._file_facts is None:
            if self.engine is None:
                self._file_facts = _empty_table(storage.attachment_text)
            else:
                with self.engine.connect() as conn:
                    self._file_facts = _texts(conn, files["sha256"].dropna().unique())
        return self._file_facts

    def _whole(self, name: str) -> pd.DataFrame:
        if name in VIEWS and not self._building:
            self.touched.add(name)
        if self._held[name] is None:
            if self.engine is None:
                self._held[name] = _empty_table(TABLES[name])
            else:
                with self.engine.connect() as conn:
                    self._held[name] = _frame(conn, TABLES[name], self.scan_id, self.loaded_columns(name), {})
                self._reloadable.add(name)
        return self._held[name]

    def loaded_columns(self, name: str) -> list[str]:
        """The columns of table ``name`` this snapshot reads: the always-loaded ones and the
        optional ones the enabled rules declared."""
        return frame_columns(name, self._reads)

    def link_sources_of(self, targets) -> pd.DataFrame:
        """The link sources of the targets ``targets`` (inside the scope), read from the DB."""
        targets, table = sorted(set(targets)), storage.link_source
        return self._link_sources_where([table.c.target_url.in_(targets[i:i + 500]) for i in range(0, len(targets), 500)],
                                        lambda frame: frame["target_url"].isin(set(targets)))

    def link_sources_from(self, pages) -> pd.DataFrame:
        """The link sources on the pages ``pages`` (inside the scope), read from the DB."""
        pages, table = sorted(set(pages)), storage.link_source
        return self._link_sources_where([table.c.source_url.in_(pages[i:i + 500]) for i in range(0, len(pages), 500)],
                                        lambda frame: frame["source_url"].isin(set(pages)))

    def hidden_link_sources(self) -> pd.DataFrame:
        """The link sources whose ``facts`` say the link is hidden on its page (a few of 10⁶ rows)."""
        table = storage.link_source
        found = self._link_sources_where(
            [cast(table.c.facts, String).like('%"hidden"%')],
            lambda frame: [isinstance(f, dict) and "hidden" in f for f in frame["facts"]], every_row=True)
        return found.sort_values("target_url", kind="stable", ignore_index=True)   # read by row id

    def _link_sources_where(self, clauses, mask, every_row: bool = False) -> pd.DataFrame:
        """The link sources matching any of the SQL ``clauses`` (each tested on ``every_row`` of the
        scan, or chosen through an index); when the whole frame is loaded (a scoped scan), its rows
        where ``mask(frame)`` holds (the same condition)."""
        if self._held["link_sources"] is not None or self.engine is None:
            frame = self.link_sources
            return frame[np.asarray(mask(frame), dtype=bool)]
        columns, parts, pool = frame_columns("link_sources", self._reads), [], {}
        with self.engine.connect() as conn:
            for clause in clauses:
                parts.append(_frame(conn, storage.link_source, self.scan_id, columns, pool, where=clause,
                                    every_row=every_row))
        return pd.concat(parts, ignore_index=True) if parts else _empty(columns)

    def memo(self, key, build: Callable):
        """Compute ``build()`` once per snapshot and key (derived frames shared by rules).  The
        key's first item names the view (``VIEWS``)."""
        if key[0] not in VIEWS:
            raise ValueError(f"{key[0]}: not a view of snapshot.VIEWS")
        if not self._building:       # what a view's build asks for is the view's, not the rule's
            self.touched.add(key[0])
        if key not in self._memo:
            self._building += 1
            try:
                self._memo[key] = build()
            finally:
                self._building -= 1
        return self._memo[key]

    def held_views(self) -> set[str]:
        """The VIEWS built or read and held now."""
        return ({key[0] for key in self._memo} | self._reloadable) & VIEWS

    def release(self, views) -> None:
        """Let go of the ``views`` (VIEWS): built or read again if asked for again."""
        views = set(views)
        for key in [k for k in self._memo if k[0] in views]:
            del self._memo[key]
        for name in views & self._reloadable:
            self._held[name] = None
            self._reloadable.discard(name)
            if name == "attachments":
                self._file_facts = None

    # ---- names ---------------------------------------------------------------------------

    @property
    def district_unit(self) -> str | None:
        """The name of the district's own unit (owner of columns with no unit)."""
        if len(self.units):
            district = self.units[self.units["kind"] == "district"]
            if len(district):
                return district.iloc[0]["name"]
        return None

    @property
    def homepage_url(self) -> str | None:
        home = self.columns[(self.columns["kind"] == "homepage") | (self.columns["section"] == "homepage")]
        if len(home):
            return home.iloc[0]["url"]
        pages = self.pages_of_kind(["homepage"], [])
        if len(pages):
            return pages.iloc[0]["url"]
        return None

    # ---- scope ---------------------------------------------------------------------------

    def _restrict_to_scope(self) -> None:
        """Keep only what lies inside the scan's --unit / --column restriction."""
        cols = self.columns
        keep = pd.Series(True, index=cols.index)
        unit = self.scope.get("scope_unit")
        if unit:
            names = {unit}
            match = self.units[(self.units["name"] == unit) | (self.units["code"] == unit)]
            names |= set(match["name"])
            keep &= cols["unit"].isin(names)
            self.units = self.units[self.units["name"].isin(names)]
        column_url = self.scope.get("scope_column")
        if column_url:
            wanted = {column_url}
            # The column and its sub-columns.
            while True:
                more = set(cols.loc[cols["parent_url"].isin(wanted), "url"]) - wanted
                if not more:
                    break
                wanted |= more
            keep &= cols["url"].isin(wanted)
        self.columns = cols[keep]
        col_urls = set(self.columns["url"])
        self.list_items = self.list_items[self.list_items["column_url"].isin(col_urls)]
        docs = self.documents
        in_scope_docs = docs["url"].isin(set(self.list_items["url"])) | docs["column_url"].isin(col_urls)
        if unit and not column_url:
            in_scope_docs |= docs["unit"].isin(set(self.units["name"]) | {unit})
        self.documents = docs[in_scope_docs]
        doc_urls = set(self.documents["url"])
        rel = self.relations
        self.relations = rel[rel["src_url"].isin(doc_urls) | rel["dst_url"].isin(doc_urls)]
        page_urls = col_urls | doc_urls | set(self.list_items["page_url"].dropna())
        self.pages = self.pages[self.pages["url"].isin(page_urls)]
        self.link_sources = self.link_sources[self.link_sources["source_url"].isin(page_urls)]
        self.links = self.links[self.links["url"].isin(set(self.link_sources["target_url"]))]
        self.fetch_errors = self.fetch_errors[
            self.fetch_errors["url"].isin(page_urls) | self.fetch_errors["referer"].isin(page_urls)]
        self.attachments = self.attachments[self.attachments["document_url"].isin(doc_urls)]
