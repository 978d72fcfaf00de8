"""Policy document ↔ 解读 pairs, as the stored relations and titles show them (rules.md J1–J4).

A pair is *forward* when the document's page links to the 解读 (relation kind
``interpretation``), *backward* when the 解读 links back to the document (kind ``original``),
and *by title* when neither links but a 解读's title contains the document's full title in 《》.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from audits.docparts import document_batches, document_rows
from audits.views import column_classes


# How a document and a 解读 were paired (the flags of a pair).
FORWARD, BACKWARD, BY_TITLE = 1, 2, 4
_ISSUING_RE = re.compile(r"关于(?:印发|公布|发布)《?(.+?)》?的(?:通知|决定|公告)$")


def _norm(title: str) -> str:
    return "".join((title or "").split())


def issued_name(title: str, min_chars: int) -> str | None:
    """关于印发《X》的通知 -> X (at least ``min_chars`` characters), the name a 解读 often quotes instead."""
    m = _ISSUING_RE.search(_norm(title))
    return m.group(1) if m and len(m.group(1)) >= min_chars else None


def quoted_names(title: str, min_chars: int, shared: set[str] = frozenset()) -> list[str]:
    """How a 解读 may quote a document: 《full title》, or 《X》 for a 关于印发《X》的通知 — unless
    several documents issue an X of that name (a yearly 三年行动计划 …): then only the full title."""
    names = [_norm(title)]
    name = issued_name(title, min_chars)
    if name and name not in shared:
        names.append(name)
    return names


def interpretation_titles(snapshot, config) -> dict[str, str]:
    """解读 URL -> its title, for every 解读 known from a 解读 column or a 解读 document."""
    cols = column_classes(snapshot, config)
    interp_cols = set(cols.index[cols["interp"]]) if len(cols) else set()
    titles: dict[str, str] = {}
    items = snapshot.list_items_in(interp_cols, ["url", "full_title", "title"])
    for url, full, title in zip(items["url"], items["full_title"], items["title"]):
        titles[url] = full or title or titles.get(url, "")
    for url, title in _interpretation_documents(snapshot, config).items():
        titles[url] = title or titles.get(url, "")
    return titles


def _interpretation_documents(snapshot, config) -> dict[str, str]:
    """{URL: title} of the 解读 documents (by title or by column)."""
    def build():
        return {url: title for docs in document_batches(snapshot, config, ("is_interpretation", "title"))
                for url, title in zip(docs.index[docs["is_interpretation"]], docs["title"][docs["is_interpretation"]])}
    return snapshot.memo(("interpretation_documents", id(config)), build)


def pair_documents(snapshot, config, columns) -> pd.DataFrame:
    """``columns`` of the view's rows of the documents and 解读 of every pair (those that are documents)."""
    found = pairs(snapshot, config)
    return document_rows(snapshot, config, set(found["doc"]) | set(found["interp"]), columns)


def pairs(snapshot, config) -> pd.DataFrame:
    """Columns: doc, interp, forward, backward, by_title."""
    return snapshot.memo(("interp_pairs", id(config)), lambda: _pairs(snapshot, config))


def _quoted(titles: dict[str, str]) -> dict[str, list[str]]:
    """{X: the 解读 whose title holds 《X》} for every 《…》 span of the titles, nested ones too."""
    spans: dict[str, list[str]] = {}
    for url, title in titles.items():
        title = _norm(title)
        opens = [i for i, c in enumerate(title) if c == "《"]
        closes = [j for j, c in enumerate(title) if c == "》"]
        for i in opens:
            for j in (j for j in closes if j > i):
                spans.setdefault(title[i + 1:j], []).append(url)
    return spans


def _pairs(snapshot, config) -> pd.DataFrame:
    min_chars = config["interpretation"]["issued_name_min_chars"]
    alias: dict[str, str] = {}
    issued: Counter = Counter()
    for docs in document_batches(snapshot, config, ("url", "final_url", "title")):    # what pairs need of all
        alias.update((f, u) for u, f in zip(docs["url"], docs["final_url"]) if f and f != u)
        issued.update(n for n in (issued_name(t, min_chars) for t in docs["title"]) if n)
    # (document, 解读) -> FORWARD | BACKWARD | BY_TITLE: an int, not a dict, for each of 10⁴ pairs.
    found: dict[tuple[str, str], int] = {}
    # A 解读 (by its title or its 解读 column) is not a document that has 解读: a link from one
    # 解读 to another (its 相关阅读, 上一篇/下一篇, a 图解 beside the 文字解读) pairs no document.
    interp_urls = set(_interpretation_documents(snapshot, config))
    rel = snapshot.relations
    for src, dst, kind in zip(rel["src_url"], rel["dst_url"], rel["kind"]):
        src, dst = alias.get(src, src), alias.get(dst, dst)
        if src in interp_urls and dst in interp_urls:
            continue
        if kind == "interpretation":
            found[(src, dst)] = found.get((src, dst), 0) | FORWARD
        elif kind == "original":
            found[(dst, src)] = found.get((dst, src), 0) | BACKWARD
    linked_docs = {d for d, _ in found}
    # By title: a 解读 whose title quotes the document's title (or the name it issues) in 《》.
    quoted = _quoted(interpretation_titles(snapshot, config))
    shared = {n for n, count in issued.items() if count > 1}
    for docs in document_batches(snapshot, config, ("must_interpret", "title")):
        must = docs["must_interpret"]
        for url, title in zip(docs.index[must], docs["title"][must]):
            if url in linked_docs or not title:
                continue
            for name in quoted_names(title, min_chars, shared):
                for interp_url in quoted.get(name, ()):
                    if interp_url != url:
                        found[(url, interp_url)] = BY_TITLE
    pairs_found, flags = list(found), np.fromiter(found.values(), dtype=np.int64, count=len(found))
    del found
    return pd.DataFrame({"doc": pd.Series([d for d, _ in pairs_found], dtype=object),
                         "interp": pd.Series([i for _, i in pairs_found], dtype=object),
                         "forward": (flags & FORWARD) > 0, "backward": (flags & BACKWARD) > 0,
                         "by_title": (flags & BY_TITLE) > 0})
