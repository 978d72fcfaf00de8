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
    """The organisation the page's catalogue tree hangs under, when its heading names one.

    The heading above the tree is often the platform's own (政府信息公开平台, 信息公开目录,
    栏目导航): no organisation, so no owner (the caller falls back to the site's name)."""
    names = {link.name for link in links}
    heads = Counter(link.path[0] for link in links if link.path and link.path[0] not in names and not link.is_unit)
    for head, _ in heads.most_common():
        owner = organisation_name(head)
        if owner:
            return owner
    return None


# Words of the 政务公开 platform, its catalogue and the site itself: a heading made only of
# them (政府信息公开平台, 信息公开目录, 政务公开, 栏目导航) names no organisation.
_GENERIC = ("政府信息公开", "政务信息公开", "信息公开", "政务公开", "政府公开", "主动公开", "依申请公开", "公开",
            "政务", "信息", "平台", "目录", "栏目", "导航", "专栏", "网站", "门户", "首页", "主页", "系统",
            "专区", "指南", "内容", "法定", "基层", "标准化", "规范化", "索引")
# How the name of a 政务公开 owner ends: a government, a department, an office, a town.
_ORG_SUFFIXES = sorted(("人民政府", "政府", "委员会", "管委会", "管理委员会", "办公室", "办事处", "管理处", "街道",
                        "局", "委", "办", "厅", "署", "院", "镇", "乡", "中心", "处", "站", "所", "队", "会",
                        "公司", "集团", "学校", "大学", "医院", "社区", "村"),
                       key=len, reverse=True)
_SPACE = re.compile(r"[\s\u3000]+")


def organisation_name(text) -> str | None:
    """``text`` as an organisation's name (济南市章丘区人民政府, 区教育和体育局, 埠村街道), with a
    generic tail of the platform dropped (章丘县人民政府政府信息公开 → 章丘县人民政府), or None
    when it names none (政府信息公开平台, 信息公开目录, 区政府)."""
    name = _SPACE.sub("", text or "")
    if not name or len(name) > 40:
        return None
    # The shortest cut that still names one: 某县人民政府政府信息公开平台 is 某县人民政府.
    cuts = [cut for cut in _generic_tails(name) if _looks_like_organisation(cut)]
    return min(cuts, key=len) if cuts else None


def _generic_tails(name: str) -> set:
    """``name`` and what is left of it after dropping generic words from its end, in every way."""
    seen, todo = {name}, [name]
    while todo:
        current = todo.pop()
        for word in _GENERIC:
            if current.endswith(word) and current[:-len(word)] not in seen:
                seen.add(current[:-len(word)])
                todo.append(current[:-len(word)])
    return seen


def _only_generic(text: str) -> bool:
    return not text or min(_generic_tails(text), key=len) == ""


def _looks_like_organisation(name: str) -> bool:
    suffix = next((s for s in _ORG_SUFFIXES if name.endswith(s)), None)
    if suffix is None:
        return False
    prefix = name[:-len(suffix)]
    # 区政府 / 人民政府 / 政务公开办 say whose kind, not who.
    return len(prefix) >= 2 and not _only_generic(prefix) and not _only_generic(prefix.strip("区县市省"))


def unit_code(url: str) -> str | None:
    """The platform's site code in a unit URL (``/gongkai/site_<code>/``), when it has one."""
    m = UNIT_CODE.search(url)
    return m.group(1) if m else None

