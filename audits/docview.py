"""The document view: one row per document URL with its columns, requirement and interpretation
flags (``view_of`` builds it for a part of the documents; audits.docparts gives the rules its parts).

No body text and no head metas: ``audits.texts`` reads them in batches.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from audits.frames import NO_ITEMS, Fields, records
from audits.views import DOCUMENT_FLAGS, column_classes, contains_any, is_placeholder_entry, link_verdicts, status_ok


def _required_fields(column, ecfg: dict) -> list[str]:
    if column["required_fields"] is not None:
        return list(column["required_fields"])
    if column.get("kind") == "single":
        return []   # the page a column shows inline (指南, 机构职能) is no published 信息 with 要素
    if column["section"] != "gongkai":
        return []   # portal news columns require nothing
    return list(ecfg["policy_required"] if column["policy"] else ecfg["basic_required"])


# The documents' columns the view is built from, and the list entries' (audits.parts reads them).
DOCUMENT_READS = ["url", "final_url", "title", "unit", "column_url", "fields", "publish_date", "written_date",
                  "attachments", "http_status", "is_interpretation"]
ITEM_READS = ["url", "column_url", "full_title", "title"]


class ViewContext(NamedTuple):
    """What every part of the view is decided by: the columns.  Built once for all the parts and
    let go with the last (a dict per column: 4 MiB at 10⁵ documents, needed by no rule)."""
    cols: dict
    required_of: dict
    by_columns: dict          # one _ColumnSet per distinct set of columns (filled as met)


def view_context(snapshot, config: dict) -> ViewContext:
    # Plain dicts: per-document lookups in a DataFrame would dominate the whole audit.
    cols = {url: c for url, c in column_classes(snapshot, config).to_dict("index").items()}
    return ViewContext(cols, {url: _required_fields(c, config["elements"]) for url, c in cols.items()}, {})


NO_CONTEXT = ViewContext({}, {}, {})     # enough for a view of no documents


def listed_columns(items, config: dict) -> tuple[dict, dict]:
    """({document URL: the columns listing it}, {document URL: the title a list shows it by}) of
    the list items ``items`` (a frame with url, column_url, full_title, title)."""
    listed: dict[str, tuple] = {}       # tuples: 10⁵ lists were 25 MB of the audit's peak
    list_titles: dict[str, str] = {}
    for url, col, full, title in zip(items["url"], items["column_url"], items["full_title"], items["title"]):
        if is_placeholder_entry(full or title, config):
            continue        # the list's empty state: the page it links to is not listed content
        if col not in listed.get(url, ()):
            listed[url] = (*listed.get(url, ()), col)
        if full or (title and url not in list_titles):
            list_titles[url] = full or title
    return listed, list_titles


def view_of(snapshot, config: dict, documents: pd.DataFrame, items: pd.DataFrame,
            context: ViewContext) -> pd.DataFrame:
    """The document view of the rows ``documents`` (columns of the snapshot's documents frame),
    given the list items ``items`` that link to them (at least) and the columns' ``context``."""
    ecfg, icfg = config["elements"], config["interpretation"]
    district = snapshot.district_unit
    # A page that says 页面不存在 (a soft 404 by links.soft404) is a broken link, not a document.
    verdicts = link_verdicts(snapshot, config)
    listed, list_titles = listed_columns(items, config)
    # Filled in place, one row per document: lists per column, then Series, then pandas' one
    # block of them were three copies of the view (60 MB of transient peak at 10⁵ documents).
    objects, flags = _split_flags(_DOCUMENT_COLUMNS)
    values = np.empty((len(objects), len(documents)), dtype=object)
    flag_values = np.zeros((len(flags), len(documents)), dtype=bool)
    by_columns = context.by_columns
    row = 0
    for _, d in records(documents):
        if verdicts.get(d["url"]) == "broken":
            continue
        col_urls = listed.get(d["url"], ())
        if d["column_url"] and d["column_url"] not in col_urls:
            col_urls = (*col_urls, d["column_url"])
        # In one order whatever the crawl's or the database's: a tie between columns must not
        # name another column next month because pages came back in another order.
        col_urls = tuple(sorted(col_urls))
        of = by_columns.get(col_urls)
        if of is None:
            of = by_columns[col_urls] = _column_set(col_urls, context.cols, context.required_of, ecfg, district)
        title = d["title"] or list_titles.get(d["url"]) or ""
        fields = d["fields"] if isinstance(d["fields"], (dict, Fields)) else {}
        is_interp = bool(d["is_interpretation"]) or of.interp
        number = fields.get("发文字号") or ""
        if of.must_interpret:
            must = "行政规范性文件"
        elif contains_any(number, icfg["must_doc_number_keywords"]):
            must = "文号含" + "/".join(k for k in icfg["must_doc_number_keywords"] if k in number)
        else:
            must = None
        if is_interp or not of.gongkai or contains_any(title, icfg["exclude_title_keywords"]):
            must = None
        row_values = (
            d["url"], d["final_url"], title, of.unit or d["unit"] or district, fields,
            d["publish_date"], d["written_date"], d["attachments"] or NO_ITEMS, status_ok(d["http_status"]),
            of.columns, of.primary, of.name, of.label, of.gongkai, of.required, is_interp, must is not None, must)
        values[:, row] = [row_values[i] for i in objects]
        flag_values[:, row] = [row_values[i] for i in flags]
        row += 1
    # The object columns stay the one block they were built as (no copy); flags are bool columns.
    view = pd.DataFrame(values[:, :row].T, index=pd.Index(values[0, :row], dtype=object, name="url"),
                        columns=[_DOCUMENT_COLUMNS[i] for i in objects], dtype=object, copy=False)
    for i, flag in zip(flags, flag_values[:, :row]):
        view.insert(i, _DOCUMENT_COLUMNS[i], flag)
    return view


class _ColumnSet(NamedTuple):
    """What a document's set of columns decides, computed once per distinct set (a site has
    thousands of sets and 10⁵ documents)."""
    columns: list
    required: list
    primary: str | None
    unit: str | None
    name: str | None
    label: str | None
    gongkai: bool
    interp: bool
    must_interpret: bool


def _column_set(col_urls: tuple, cols: dict, required_of: dict, ecfg: dict, district) -> _ColumnSet:
    col_urls = [c for c in col_urls if c in cols]
    # Judged once, by the strictest of its columns (the union of their requirements).
    per_column = [required_of[c] for c in col_urls]
    required = [f for f in ecfg["policy_required"] if any(f in r for r in per_column)]
    required += [f for r in per_column for f in r if f not in required]
    primary = _primary_column(col_urls, cols, required_of, district)
    home = cols[primary] if primary else {}
    return _ColumnSet(col_urls, required, primary, home.get("unit"), home.get("name"), home.get("label"),
                      any(cols[c]["section"] == "gongkai" for c in col_urls), any(cols[c]["interp"] for c in col_urls),
                      any(cols[c]["must_interpret"] for c in col_urls))


def _primary_column(col_urls: list, cols: dict, required_of: dict, district) -> str | None:
    """The column that names a document listed in several: the strictest requirement wins; among
    equals a real column, not the homepage's boxes of the newest items; then the column it lives in,
    not a parent's summary page showing its newest items (a leaf,
    and of a column and its ancestor the deeper), then a unit's own column, since the unit (not
    the district library that also lists it) owes the fix; then the smallest URL (the order is fixed: see view_of)."""
    if not col_urls:
        return None
    strictest = max(len(required_of[c]) for c in col_urls)
    tied = [c for c in col_urls if len(required_of[c]) == strictest]
    ancestors = {a for c in tied for a in _ancestors(c, cols)}
    return max(tied, key=lambda c: (cols[c].get("section") != "homepage", c not in ancestors, bool(cols[c].get("leaf")),
                                    cols[c]["unit"] not in (None, district)))


def _ancestors(url: str, cols: dict) -> set:
    """The columns above ``url`` in the decided tree (``parent_url`` of column_classes)."""
    seen: set = set()
    parent = cols[url].get("parent_url")
    while isinstance(parent, str) and parent in cols and parent not in seen and parent != url:
        seen.add(parent)
        parent = cols[parent].get("parent_url")
    return seen


def _split_flags(columns: list[str]) -> tuple[list[int], list[int]]:
    flags = [i for i, name in enumerate(columns) if name in DOCUMENT_FLAGS]
    return [i for i in range(len(columns)) if i not in flags], flags


_DOCUMENT_COLUMNS = [
    "url", "final_url", "title", "unit", "fields", "publish_date", "written_date", "attachments", "fetched_ok",
    "columns", "column_url", "column", "column_label", "gongkai", "required", "is_interpretation",
    "must_interpret", "must_reason"]
