"""From the column links of one page to column-tree facts: paths, sub-columns, units.

Pure functions over ``crawler.extract.navigation.NavLink`` lists; the spider decides what to
fetch.  The catalogue tree most platforms print on every page (``<li><a>法定主动公开内容</a>
<ul><li><a>政策文件</a>…``) gives each column its path and tells hubs from leaves, so a column
is placed correctly however deep the page that first shows it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

UNIT_CODE = re.compile(r"/site_([A-Za-z0-9_-]+)/")


@dataclass
class ColumnLink:
    url: str
    name: str
    path: list          # column names from the tree root, ending with ``name``
    has_children: bool  # the tree nests columns under it
    region: str         # nav | content
    is_unit: bool = False
    unit_kind: str | None = None


def column_links(links, allowed) -> list[ColumnLink]:
    """NavLinks (in scope per ``allowed(url)``) with their tree paths.

    A group label counts as a path step only when it is itself a column link on the page: the
    tree's own heading (the unit name, "信息公开目录") and box titles are not columns.
    """
    links = [link for link in links if allowed(link.url)]
    names = {link.name for link in links if not link.is_unit}
    prefixes = Counter()
    for link in links:
        full = tuple(link.path) + (link.name,)
        for i in range(1, len(full)):
            prefixes[full[:i]] += 1
    out = []
    for link in links:
        steps = [p for p in link.path if p in names]
        out.append(ColumnLink(url=link.url, name=link.name, path=[*steps, link.name],
                              has_children=prefixes[tuple(link.path) + (link.name,)] > 0,
                              region=link.region, is_unit=link.is_unit, unit_kind=link.unit_kind))
    return out


def tree_owner(links) -> str | None:
    """The label the page's catalogue tree hangs under when it is not a column (its unit's name)."""
    names = {link.name for link in links}
    heads = Counter(link.path[0] for link in links if link.path and link.path[0] not in names and not link.is_unit)
    return heads.most_common(1)[0][0] if heads else None


def unit_code(url: str) -> str | None:
    """The platform's site code in a unit URL (``/gongkai/site_<code>/``), when it has one."""
    m = UNIT_CODE.search(url)
    return m.group(1) if m else None

