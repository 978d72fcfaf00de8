"""The column tree, decided from what each column's own page says — never from whichever page
happened to link it first.

Sidebars and menus list sibling and unrelated columns on nearly every real CMS page, so the page
the crawl first reached a column from (``column.parent_url``) is only the last resort.  A
column's parent comes from, in order (docs/design.md, "The column tree"):

1. ``breadcrumb`` — its own page's breadcrumb (当前位置：首页 > 信息公开 > 政策文件 > 区政府文件,
   recorded in ``column.nav.breadcrumb``): the step before the column's own step.  A step that is
   no column of the scan (the platform home, a unit's home) makes it a top-level column.
2. ``url`` — URL path nesting: the column whose directory holds the column's directory
   (``/xxgk/zcwj/`` holds ``/xxgk/zcwj/qzfwj/``).
3. ``nav`` — the group above the item its own navigation highlights (``column.nav.highlight``).
4. ``tree`` — the group above it in the catalogue tree of the page that linked it (``column.path``),
   for a column whose own page says nothing (a dead page).
5. ``linked`` — the page the crawl reached it from.

The same breadcrumb names a column's owner: a column whose trail passes through a unit's 信息公开
home is that unit's and 政务公开 (``units_from_trails``, ``within_platform``), however the crawl
first reached it.

Pure functions of the stored column rows.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd

from govaudit.core.urls import same_page_key

EVIDENCE = ("breadcrumb", "url", "nav", "tree", "linked")


def _directory(url: str) -> tuple[str, str] | None:
    """(host, directory path) of a column URL; None for one whose path says nothing (a query)."""
    parts = urlsplit(url or "")
    if parts.query:
        return None
    path = parts.path
    if not path.endswith("/"):
        path = path.rsplit("/", 1)[0] + "/"
    return (parts.netloc, path) if path.strip("/") else None


class _Index:
    def __init__(self, rows: list[dict]):
        rows = [r for r in rows if r.get("kind") != "homepage"]    # the homepage's pseudo-column
        self.urls = {r["url"] for r in rows}
        by_name: dict = {}
        for r in rows:
            by_name.setdefault((r["unit"], r["name"]), []).append(r["url"])
        self.by_name = by_name
        self.dirs = {}
        for r in rows:
            d = _directory(r["url"])
            if d and d not in self.dirs:
                self.dirs[d] = r["url"]
        # Menu headers that open their first child: a column's own trail showing its URL twice,
        # 法定主动公开内容 > 通知公告 both at …/tzgg/.  The header is no column, wherever it shows.
        self.headers = set()
        for r in rows:
            trail = _trail(r["nav"] if isinstance(r.get("nav"), dict) else {})
            for a, b in zip(trail, trail[1:]):
                if a.get("url") and a["url"] == b.get("url") == r["url"] and a["name"] != b["name"]:
                    self.headers.add((a["url"], a["name"]))

    def named(self, unit, name, not_url=None) -> str | None:
        """The one column of ``unit`` called ``name`` (None when there are none or several)."""
        found = [u for u in self.by_name.get((unit, name), ()) if u != not_url]
        return found[0] if len(found) == 1 else None


def _trail(nav) -> list[dict]:
    return [s for s in nav.get("breadcrumb") or () if isinstance(s, dict) and s.get("name")]


def _from_breadcrumb(row, nav, index: _Index):
    trail = _trail(nav)
    own = None
    for i in range(len(trail) - 1, -1, -1):
        if trail[i].get("url") == row["url"] or trail[i]["name"] == row["name"]:
            own = i
            break
    if not own:                       # not on the trail, or the trail's first step
        return None
    while own > 1 and (trail[own - 1].get("url"), trail[own - 1]["name"]) in index.headers:
        own -= 1                      # a menu header at its first child's URL: the step above it decides
    step = trail[own - 1]
    if step.get("url") in index.urls and step["url"] != row["url"]:
        return step["url"]
    named = index.named(row["unit"], step["name"], not_url=row["url"])
    if named:
        return named
    # A step that is no column of the scan (the platform or a unit's home): top level.
    return step.get("url") or None


def _from_url(row, index: _Index):
    own = _directory(row["url"])
    if own is None:
        return None
    host, path = own
    parts = path.strip("/").split("/")
    for n in range(len(parts) - 1, 0, -1):
        found = index.dirs.get((host, "/" + "/".join(parts[:n]) + "/"))
        if found and found != row["url"]:
            return found
    return None


def _from_nav(row, nav, index: _Index):
    current = nav.get("highlight")
    if not isinstance(current, dict) or not current.get("group"):
        return None
    return index.named(row["unit"], current["group"], not_url=row["url"])


def _from_tree(row, index: _Index):
    """The group above the column in the catalogue tree of the page that linked it (its stored
    ``path``): evidence of its place when its own page says nothing (a dead column page)."""
    steps = [p for p in (row.get("path") or "").split("/") if p]
    if len(steps) < 2 or steps[-1] != row["name"]:
        return None
    return index.named(row["unit"], steps[-2], not_url=row["url"])


def decide_parents(rows: list[dict]) -> dict[str, tuple[str | None, str]]:
    """column URL -> (parent URL, evidence) for every column row (dicts with url, name, unit,
    parent_url, nav, and kind: the homepage's pseudo-column is no parent).  A decision that would make a cycle falls back to the linking page."""
    index = _Index(rows)
    decided = {}
    for row in rows:
        nav = row["nav"] if isinstance(row["nav"], dict) else {}
        for evidence, found in (("breadcrumb", lambda: _from_breadcrumb(row, nav, index)),
                                ("url", lambda: _from_url(row, index)),
                                ("nav", lambda: _from_nav(row, nav, index)),
                                ("tree", lambda: _from_tree(row, index)),
                                ("linked", lambda: row["parent_url"])):
            parent = found()
            if parent is not None or evidence == "linked":
                decided[row["url"]] = (parent, evidence)
                break
    linked = {r["url"]: r["parent_url"] for r in rows}
    for url in decided:
        seen, at = {url}, decided[url][0]
        while at in decided and at not in seen:
            seen.add(at)
            at = decided[at][0]
        if at in seen:                       # a cycle: trust the crawl for this column
            decided[url] = (linked[url], "linked")
    return decided


def decided_paths(rows: list[dict], decided: dict) -> dict[str, str]:
    """column URL -> its path (names from the top, '/'-joined) along the decided tree; a column
    whose parent is as linked keeps its stored path (which may hold group labels above it)."""
    by_url = {r["url"]: r for r in rows}
    paths: dict[str, str] = {}

    def path_of(url, depth=0):
        if url in paths:
            return paths[url]
        row = by_url[url]
        parent, evidence = decided[url]
        if evidence == "linked" or depth > 30:
            path = row["path"] or row["name"]
        elif parent in by_url and by_url[parent].get("kind") != "homepage":
            path = path_of(parent, depth + 1) + "/" + row["name"]
        else:
            path = row["name"]
        paths[url] = path
        return path

    for url in by_url:
        path_of(url)
    return paths


def units_from_trails(cols: pd.DataFrame, units: pd.DataFrame) -> dict[str, str]:
    """column URL -> the unit whose 信息公开 home its breadcrumb passes through (the deepest such
    step), for the columns stored under another unit.  The district's home is in every trail and
    decides nothing: a unit column whose trail skips its unit keeps the crawl's owner."""
    homes = {home: name for home, name, kind in zip(units["home_url"], units["name"], units["kind"])
             if isinstance(home, str) and home and kind != "district"}
    if not homes or not len(cols):
        return {}
    out = {}
    for url, nav, unit in zip(cols["url"], cols["nav"], cols["unit"]):
        trail = nav.get("breadcrumb") if isinstance(nav, dict) else None
        steps = [s.get("url") for s in trail if isinstance(s, dict) and s.get("url") != url] \
            if isinstance(trail, list) else []
        owner = next((homes[step] for step in reversed(steps) if step in homes), None)
        if owner and owner != unit:
            out[url] = owner
    return out


def within_platform(cols: pd.DataFrame, units: pd.DataFrame) -> set[str]:
    """Columns whose breadcrumb passes through a unit's 信息公开 home, the district's included."""
    # A home linked as its folder or as the folder's index page is one page (/bm/czj/, /bm/czj/index.shtml).
    homes = {same_page_key(home) for home in units["home_url"] if isinstance(home, str) and home}
    out = set()
    for url, nav in zip(cols["url"], cols["nav"]):
        trail = nav.get("breadcrumb") if isinstance(nav, dict) else None
        if isinstance(trail, list) and any(isinstance(s, dict) and isinstance(s.get("url"), str)
                                           and same_page_key(s["url"]) in homes and s.get("url") != url
                                           for s in trail):
            out.add(url)
    return out


def profile_section(nav) -> bool:
    return isinstance(nav, dict) and bool(nav.get("profile_section"))
