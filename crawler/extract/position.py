"""Where a page says it sits in the site: its breadcrumb trail (当前位置：首页 > 信息公开 > 政策文件)
and the item its own navigation highlights (``<li class="on">``) with the group above it.

Facts only: which column is a column's parent is decided from them by the audits
(``audits/tree.py``).
"""
from __future__ import annotations

import re

from crawler.extract.html import Page, ancestors, attr_words, norm_space, text_of
from crawler.extract.navigation import group_path

_PREFIX = re.compile(r"^(?:您?(?:当前|现在)?(?:所在|的)?位置(?:是)?|当前位置(?:是)?|您现在的位置(?:是)?)\s*[:：]\s*")
_SPLIT = re.compile(r"\s*(?:>>|>|»|＞|›|→|/|\||｜)\s*")
_CRUMB_BOX = re.compile(r"crumb|position|location|dqwz|mbx|bread|weizhi|local", re.I)
_HIGHLIGHT = re.compile(r"(?:^|[\s_-])(?:on|cur|current|active|select|selected|hover|now|checked|this|sel|focus)"
                        r"(?:$|[\s_-]|\d)", re.I)
MAX_CRUMBS = 12
MAX_CRUMB_LEN = 40


def _crumb_run(page: Page):
    """(run, text after the 当前位置 prefix) of the breadcrumb line, or None."""
    for run in page.runs[:300]:
        plain = norm_space(run.text)
        m = _PREFIX.match(plain)
        if m and len(plain) - m.end() > 1:
            return run, plain[m.end():]
    for run in page.runs[:300]:
        el = run.el
        boxed = _CRUMB_BOX.search(attr_words(el)) or any(_CRUMB_BOX.search(attr_words(a)) for a in ancestors(el))
        plain = norm_space(run.text)
        if boxed and run.links and _SPLIT.search(plain):
            return run, _PREFIX.sub("", plain)
    return None


def breadcrumb_trail(page: Page) -> list[dict]:
    """The breadcrumb as [{"name", "url"}] (url None for a step shown without a link), first step
    first; [] when the page shows none."""
    found = _crumb_run(page)
    if found is None:
        return []
    run, text = found
    links = {}
    for _, a in run.links or ():
        name = text_of(a)
        if name and name not in links:
            links[name] = page.resolve(a.get("href")) if a.get("href") else None
    trail = []
    for step in _SPLIT.split(text):
        step = step.strip(" :：")
        if step and len(step) <= MAX_CRUMB_LEN:
            trail.append({"name": step, "url": links.get(step)})
    return trail[:MAX_CRUMBS]


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
