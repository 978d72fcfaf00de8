"""Where a page says it sits in the site: its breadcrumb trail (当前位置：首页 > 信息公开 > 政策文件,
read by :mod:`crawler.extract.breadcrumb`) and the item its own navigation highlights
(``<li class="on">``) with the group above it.

Facts only: which column is a column's parent is decided from them by the audits
(``audits/tree.py``).
"""
from __future__ import annotations

import re

from crawler.extract.breadcrumb import breadcrumb_box, breadcrumb_trail
from crawler.extract.html import Page, text_of
from crawler.extract.navigation import group_path

__all__ = ["breadcrumb_box", "breadcrumb_trail", "highlighted_item"]

_HIGHLIGHT = re.compile(r"(?:^|[\s_-])(?:on|cur|current|active|select|selected|hover|now|checked|this|thisclass|sel|focus)"
                        r"(?:$|[\s_-]|\d)", re.I)


def highlighted_item(page: Page, name: str | None = None) -> dict | None:
    """The page's own item in its navigation, highlighted by class (on / current / active …):
    {"name", "url", "group"} where ``group`` is the label of the group it sits under (the tree
    node or box heading above it).  Only an item linking to the page itself or named like it
    (``name``) counts; a highlighted top-menu section is not the page's own item."""
    own = page.url.split("#")[0]
    for el in page.body.iter("li", "a", "dd", "span", "div"):
        if not _HIGHLIGHT.search(el.get("class") or ""):
            continue
        a = el if el.tag == "a" else next(iter(el.iter("a")), None)
        if a is None or not a.get("href"):
            continue
        url, text = page.resolve(a.get("href")), text_of(a)
        if url != own and not (name and text == name):
            continue
        groups = [g for g in group_path(a) if g != text]
        return {"name": text, "url": url, "group": groups[-1] if groups else None}
    return None
