"""A read-model of one stored scan: every snapshot table loaded once into pandas.

Rules never touch the database; they read these frames.  Frames derived with the audit
configuration (column classes, document requirements, …) are memoised per snapshot through
``Snapshot.memo`` so several rules share them.
"""
from __future__ import annotations

import logging
from typing import Callable

import pandas as pd
from sqlalchemy import inspect, select

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
# Added after the first release: a database made before them (opened read-only) has none.
OPTIONAL = frozenset({"attachments"})


def _frame(conn, table, scan_id: int) -> pd.DataFrame:
    """One table of one scan, every column of dtype object with None for missing values.

    Through SQLAlchemy so JSON columns come back as dicts/lists on every backend.  Built column
    by column: letting pandas infer dtypes would turn missing values into NaN (truthy) and
    integers with gaps into floats, and costs seconds on the link tables' 10⁵ rows.
    """
    columns = [c.name for c in table.columns if c.name not in ("id", "scan_id")]
    rows = conn.execute(select(*(table.c[c] for c in columns)).where(table.c.scan_id == scan_id)).all()
    values = list(zip(*rows)) if rows else [()] * len(columns)
    return pd.DataFrame({name: pd.Series(list(col), dtype=object) for name, col in zip(columns, values)},
                        columns=columns)


def _empty(table) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series([], dtype=object) for c in table.columns if c.name not in ("id", "scan_id")})


def _texts(conn, digests) -> pd.DataFrame:
    """The stored text of the files of one scan (``attachment_text`` is shared by all scans)."""
    table, digests = storage.attachment_text, list(digests)
    columns = [c.name for c in table.columns]
    rows = []
    for i in range(0, len(digests), 500):
        rows += conn.execute(select(table).where(table.c.sha256.in_(digests[i:i + 500]))).all()
    values = list(zip(*rows)) if rows else [()] * len(columns)
    return pd.DataFrame({name: pd.Series(list(col), dtype=object) for name, col in zip(columns, values)},
                        columns=columns)


class Snapshot:
    """The tables of one scan (restricted to the scan's scope, if it had one)."""

    units: pd.DataFrame
    columns: pd.DataFrame
    list_items: pd.DataFrame
    documents: pd.DataFrame
    relations: pd.DataFrame
    links: pd.DataFrame
    link_sources: pd.DataFrame
    pages: pd.DataFrame
    fetch_errors: pd.DataFrame
    attachments: pd.DataFrame          # files documents link to, as fetched (one row per file and document)
    attachment_texts: pd.DataFrame     # their text, by sha256 (audits.filetext reads both)

    def __init__(self, scan: dict, frames: dict[str, pd.DataFrame]):
        self.scan = dict(scan)
        for name in TABLES:
            setattr(self, name, frames[name] if name in frames else _empty(TABLES[name]))
        self.attachment_texts = frames.get("attachment_texts", _empty(storage.attachment_text))
        self._memo: dict = {}
        self.scope = {k: self.scan.get(k) for k in ("scope_unit", "scope_column") if self.scan.get(k)}
        if self.scope:
            self._restrict_to_scope()

    @classmethod
    def load(cls, engine, scan_id: int) -> "Snapshot":
        with engine.connect() as conn:
            scan = conn.execute(select(storage.scan).where(storage.scan.c.id == scan_id)).mappings().first()
            if scan is None:
                raise GovauditError(f"检查记录不存在 / no scan with id {scan_id}", EXIT_USAGE)
            have = set(inspect(conn).get_table_names())
            frames = {name: _frame(conn, table, scan_id) for name, table in TABLES.items()
                      if name not in OPTIONAL or table.name in have}
            if "attachments" in frames and storage.attachment_text.name in have:
                frames["attachment_texts"] = _texts(conn, frames["attachments"]["sha256"].dropna().unique())
        return cls(dict(scan), frames)

    @property
    def scan_id(self) -> int:
        return self.scan["id"]

    def memo(self, key, build: Callable):
        """Compute ``build()`` once per snapshot and key (derived frames shared by rules)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

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
        pages = self.pages[self.pages["kind"] == "homepage"]
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
