"""Discovery: which links lead to columns.  (Which kind of page a link led to: ``crawler.listing.classify``.)

``find_column_links`` takes every same-host link that is not a document of a list (no date
beside it, short text), not a pager, not a file, and names the group it sits under: the label of
the enclosing tree node (``<li><a>法定主动公开内容</a><ul><li><a>政策文件</a>``), the ``<dt>`` of its
``<dd>``, or the heading (h1–h6, ``.title``, a short first line) in front of its box.  A
"更多 >>" link takes the heading of its box as its name, and so does a textless link whose class
says "more" (a background image), or the label beside it in its own box.  Links under a group named like a list
of units (部门 / 镇街 / 街道 / 乡镇 / 区直单位 …) are unit sub-site entries (``kind='unit'``);
the spider builds column paths from ``path`` (outermost group first).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from crawler.extract.dates import find_date
from crawler.extract.entries import MORE_ANCHOR, dated_groups, page_table_lists, row_cells, table_rows
from crawler.extract.html import (
    ancestors, as_page, attr_words, is_element, is_hidden, norm_space, text_content, text_of,
)
from crawler.extract.layout import within, words
from crawler.extract.urls import host_of, is_attachment_url

MAX_NAME_LEN = 24             # column names are short; longer link text is a document title
MAX_GROUP_LEN = 20

_UNIT_GROUP = re.compile(r"部门|镇街|街道|乡镇|镇办|区直|县直|市直|单位|机构|委办局|各镇|各街道")
_TOWN_NAME = re.compile(r"(?:街道|镇|乡|办事处)(?:办事处|人民政府)?$")
_UNIT_NAME = re.compile(r"(?:局|委|办|办公室|中心|院|所|队|会|部|处|站|街道|镇|乡|办事处|人民政府|管委会|公司)$")
_NOISE = re.compile(r"^(?:首页|返回首页|网站首页|上一页|下一页|尾页|末页|首 页|\d{1,4}|更多|more|详情|English|EN|"
                    r"登录|注册|无障碍|无障碍浏览|无障碍阅读|关怀版|长者版|打印|关闭|收藏|分享|设为首页|加入收藏|"
                    r"网站地图|联系我们|关于我们|网站声明|隐私声明|纠错|我要纠错|RSS|繁體|简体|[<>«»›‹]+|"
                    r"切换城市|城市切换|切换地区|切换站点|站点切换|切换区县)$", re.I)
# A "more" link drawn as a background image: no text, its class says what it is.
_MORE_CLASS = re.compile(r"(?:^|[\s_-])(?:more|gd|gengduo)(?:$|[\s_-]|\d)", re.I)
# A date stamp in an element of its own inside the link (<a>标题<span>10.11</span></a>): a list entry.
_DATE_STAMP = re.compile(r"^[\[(（]?(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}[-/.]\d{1,2}|\d{1,2}月\d{1,2}日)[\])）]?$")
_FOOTER = words("footer")
_FOOTER_LINKS = re.compile(r"(?:^|[\s_-])(?:friend|yqlj|links)(?:$|[\s_-])", re.I)   # 友情链接: other sites
# A heading's class word, alone (title, lm_tit) or ending a compound one (bmtitle, lmtitle, boxtitle).
_HEADING_CLASS = re.compile(r"(?:^|[\s_-])(?:[a-z]{0,8}title|tit|hd|head|header|bt|name|lm|lanmu|caption|tab)"
                            r"(?:$|[\s_-]|\d)", re.I)
_GONGKAI = [re.compile(p) for p in (r"^政府信息公开$", r"^信息公开$", r"^政务公开$", r"政府信息公开", r"信息公开", r"政务公开")]
_NAV = re.compile(r"nav|menu|tree|catalog|column|lanmu|sidebar|side|left|dh|channel|zt", re.I)


@dataclass
class NavLink:
    url: str
    name: str                     # the link's visible name (or its box's heading for 更多)
    group: str | None = None      # innermost group label it sits under
    path: list = field(default_factory=list)   # group labels, outermost first
    kind: str = "column"          # column | unit
    unit_kind: str | None = None  # department | town (for kind='unit')
    region: str = "content"       # nav | content
    boxed: bool = False           # a box's 更多 link, named by the box's heading

    @property
    def is_unit(self) -> bool:
        return self.kind == "unit"


def _own_label(el) -> str | None:
    """The label of a tree node / box: its first short text child that is not a nested list."""
    for child in el:
        if not is_element(child) or is_hidden(child):
            continue
        if child.tag in ("ul", "ol", "dl", "table", "dd"):
            return None
        t = text_of(child)
        if t and len(t) <= MAX_GROUP_LEN:
            return t
        if t:
            return None
    t = norm_space(el.text or "")
    return t if t and len(t) <= MAX_GROUP_LEN else None


def _heading_before(el) -> str | None:
    """A heading in front of a box: a preceding sibling that is a heading or a short label."""
    sib = el.getprevious()
    hops = 0
    while sib is not None and hops < 3:
        if is_element(sib) and not is_hidden(sib):
            t = text_of(sib)
            if t:
                if (sib.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "strong", "b", "span", "p", "label",
                                "caption", "legend")
                        or _HEADING_CLASS.search(attr_words(sib))) and len(t) <= MAX_GROUP_LEN:
                    if sib.find(".//a") is None or MORE_ANCHOR.match(t) is None:
                        return _MORE_SUFFIX.sub("", t) or None
                return None
        sib = sib.getprevious()
        hops += 1
    return None


_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MORE_SUFFIX = re.compile(r"\s*(?:更多|more)\s*[>»]*\s*$", re.I)


def _heading_children(el) -> list[tuple[int, str]]:
    """(position, text) of a box's own heading children (h*, .title …)."""
    out = []
    for i, child in enumerate(el):
        if is_element(child) and (child.tag in _HEADING_TAGS or _HEADING_CLASS.search(attr_words(child))):
            t = _MORE_SUFFIX.sub("", text_of(child))
            if t and len(t) <= MAX_GROUP_LEN:
                out.append((i, t))
    return out


def _span(cell) -> int:
    try:
        return max(1, int(cell.get("colspan") or 1))
    except ValueError:
        return 1


def _table_heading(table) -> tuple[object, str] | None:
    """(row, label) of a table's heading row: its first row, holding one short label and no link
    but a 更多 one, in a cell spanning the table (colspan), a ``<th>`` or a cell whose class names
    a title (<tr><td class="bmtitle" colspan="2">部门信息公开目录</td></tr>).  A layout table
    (one nesting tables) has none: its first row is a banner, not a group's heading."""
    if table.find(".//table") is not None:
        return None
    rows = [r for r in table_rows(table) if not is_hidden(r)]
    if len(rows) < 2:
        return None
    first = rows[0]
    cells = row_cells(first)
    labelled = [c for c in cells if text_of(c) and not MORE_ANCHOR.match(text_of(c))]
    if len(labelled) != 1 or any(MORE_ANCHOR.match(text_of(a)) is None for a in first.iter("a")):
        return None
    cell = labelled[0]
    label = _MORE_SUFFIX.sub("", text_of(cell))
    if not label or len(label) > MAX_GROUP_LEN:
        return None
    widest = max(sum(_span(c) for c in row_cells(r)) for r in rows[1:])
    spans_table = len(cells) == 1 and _span(cell) >= widest
    if cell.tag == "th" or _HEADING_CLASS.search(attr_words(cell)) or spans_table:
        return first, label
    return None


def _label_of(el, branch, cache: dict) -> str | None:
    """The group label an ancestor ``el`` gives to what sits in its child ``branch``."""
    tag = el.tag
    if tag == "li":
        key = ("li", el)
        if key not in cache:
            cache[key] = _own_label(el)
        return cache[key]
    if tag == "dd":
        key = ("dd", el)
        if key not in cache:
            prev = el.getprevious()
            while prev is not None and (not is_element(prev) or prev.tag != "dt"):
                prev = prev.getprevious()
            cache[key] = text_of(prev) if prev is not None else None
        return cache[key]
    key = ("h", el)
    if key not in cache:
        cache[key] = _heading_children(el)
    headings = cache[key]
    if headings:
        pos = el.index(branch)
        if headings[0][0] < pos:
            return headings[0][1]         # the box's own heading, in front of the link's branch
    if tag in ("table", "tbody", "thead", "tfoot"):
        table = el if tag == "table" else el.getparent()
        key = ("row", table)
        if key not in cache:
            cache[key] = _table_heading(table) if table is not None and table.tag == "table" else None
        heading = cache[key]
        # The heading is the table's first row: every other row (or row group) comes below it.
        if heading is not None and branch.tag in ("tr", "tbody", "tfoot") and branch is not heading[0] \
                and heading[0].getparent() is not branch:
            return heading[1]
    if tag in ("ul", "ol", "div", "dl", "table", "section", "tbody"):
        key = ("before", el)
        if key not in cache:
            cache[key] = _heading_before(el)
        return cache[key]
    return None


def group_path(link, cache: dict | None = None) -> list[str]:
    """Labels of the groups a link sits in, outermost first."""
    cache = {} if cache is None else cache
    labels: list[str] = []
    branch, own_li = link, None
    for a in ancestors(link):
        if a.tag in ("body", "html"):
            break
        if a.tag == "li" and own_li is None:
            own_li = a                  # the link's own list item: its label is the link itself
            label = None
        else:
            label = _label_of(a, branch, cache)
        label = label.strip(" :：") if label else label
        if label and (not labels or labels[-1] != label):
            labels.append(label)
        branch = a
    return list(reversed(labels))


_SHORT_DATE = re.compile(r"(?<![\d-])\d{1,2}[-/.]\d{1,2}(?![\d-])|\d{1,2}月\d{1,2}日")


def _is_document_link(a, dated_parents, link_counts: dict) -> bool:
    """A link shown with a date next to it (or among dated siblings) is a list entry, not a column."""
    el = a
    name = norm_space(text_content(a))
    for _ in range(2):
        el = el.getparent()
        if el is None or el.tag in ("ul", "ol", "table", "tbody", "body"):
            return False
        if el.getparent() in dated_parents:
            return True
        if el not in link_counts:
            link_counts[el] = sum(1 for _ in el.iter("a"))
        if link_counts[el] > 1:
            return False
        rest = text_of(el).replace(name, " ", 1)
        if find_date(rest) or _SHORT_DATE.search(rest):
            return True
    return False


def _has_date_stamp(a) -> bool:
    return any(is_element(el) and _DATE_STAMP.match(text_of(el)) for el in a.iterdescendants())


def _label_beside(a, own: str = "") -> str | None:
    """The short text of a "more" link's own box, the link's text ``own`` left out
    (<div><div>全域旅游</div><a class="more">, <div class="box_tit"><span>区政府文件</span><a>更多&gt;&gt;</a>)."""
    parent = a.getparent()
    t = text_of(parent) if parent is not None else ""
    if own:
        t = norm_space(t.replace(own, " ", 1))
    return t if t and len(t) <= MAX_GROUP_LEN and not MORE_ANCHOR.match(t) else None


def _region(a) -> str:
    for p in ancestors(a):
        if p.tag == "nav" or (p.tag in ("ul", "div") and _NAV.search(attr_words(p))):
            return "nav"
    return "content"


def _in_footer(a) -> bool:
    return within(a, _FOOTER, tags=("footer",), include_self=False) or within(a, _FOOTER_LINKS, tags=())


def find_column_links(url: str, html, same_host: bool = True) -> list[NavLink]:
    """Links that look like columns / unit sub-sites, with their names and groups."""
    page = as_page(url, html)
    key = ("column_links", same_host)
    if key in page.memo:      # the spider and classify_page both ask: walk the links once
        return [dataclasses.replace(link) for link in page.memo[key]]
    host = host_of(page.url)
    if "dated_groups" not in page.memo:
        page.memo["dated_groups"] = dated_groups(page.body, page.resolve)
    dated_parents = {parent for parent, items in page.memo["dated_groups"] if len(items) >= 2}
    dated_parents |= {parent for parent, _rows in page_table_lists(page)}     # a table of documents, undated
    out: dict[str, NavLink] = {}
    cache: dict = {}
    link_counts: dict = {}
    for a in page.body.iter("a"):
        target = page.resolve(a.get("href"))
        if not target or target == page.url or is_hidden(a) or is_attachment_url(target):
            continue
        if same_host and host_of(target) != host:
            continue
        name = norm_space(text_content(a)) or norm_space(a.get("title") or "")
        path, boxed = None, False
        if not name and _MORE_CLASS.search(attr_words(a)):
            boxed = True
            beside = _label_beside(a)
            path = [p for p in group_path(a, cache) if p != beside]
            name = beside or (path.pop() if path else "")
        elif MORE_ANCHOR.match(name):
            boxed = True
            beside = _label_beside(a, name)
            path = group_path(a, cache)
            if beside:
                path = [p for p in path if p != beside]
            elif not path:
                continue
            name = beside or path[-1]
            path = path if beside else path[:-1]
        if not name or len(name) > MAX_NAME_LEN or _NOISE.match(name):
            continue
        # A box's 更多 link sits among its box's dated entries, but it names the column.
        if _in_footer(a) or _has_date_stamp(a) or (not boxed and _is_document_link(a, dated_parents, link_counts)):
            continue
        if path is None:
            path = [p for p in group_path(a, cache) if p != name]
        group = path[-1] if path else None
        kind, unit_kind = "column", None
        if any(_UNIT_GROUP.search(g) for g in path[-2:]) and _UNIT_NAME.search(name):
            kind = "unit"
            unit_kind = "town" if _TOWN_NAME.search(name) else "department"
        link = NavLink(url=target, name=name, group=group, path=path, kind=kind, unit_kind=unit_kind,
                       region=_region(a), boxed=boxed)
        prev = out.get(target)
        # The same column deeper down wins, and so does a child at its parent's address: a menu
        # header that opens its first child (<a href=tzgg>法定主动公开内容</a><ul><li><a href=tzgg>
        # 通知公告</a>…) is no column of its own; the page is the child's, named by it.
        if prev is None or (len(link.path) > len(prev.path)
                            and (prev.name == link.name or prev.name in link.path[len(prev.path):])):
            out[target] = link
    page.memo[key] = list(out.values())
    return [dataclasses.replace(link) for link in page.memo[key]]     # copies: callers rewrite urls


# A column that is itself a directory of units: 部门信息公开, 镇街信息公开, 乡镇政务公开, or a bare 部门 / 镇街.
_DIRECTORY_WORDS = re.compile(r"部门|镇街|街道|乡镇|镇办|区直|县直|市直|委办局")
_BARE_DIRECTORY = re.compile(r"(?:区直|县直|市直)?(?:部门|镇街|街道|乡镇|镇办|委办局)(?:单位)?")


def names_unit_directory(column_name: str | None) -> bool:
    """Is a column so named a directory of units' 信息公开 homes (部门信息公开, 镇街信息公开, 镇街)?"""
    name = column_name or ""
    return bool(_DIRECTORY_WORDS.search(name) and ("公开" in name or _BARE_DIRECTORY.fullmatch(name)))


def mark_directory_units(links: list[NavLink], column_name: str | None) -> list[NavLink]:
    """On the page of a column named as a directory of units (部门信息公开), the organ-named links
    of its content that sit under no group of their own are the units' homes, as they are under a
    部门 / 镇街 heading: the column's own name is their heading."""
    if not names_unit_directory(column_name):
        return links
    name = column_name or ""
    for link in links:
        if link.kind == "column" and not link.path and link.region == "content" and _UNIT_NAME.search(link.name):
            link.kind = "unit"
            link.unit_kind = "town" if _TOWN_NAME.search(link.name) else "department"
            link.group = name
    return links


def find_gongkai_entry(url: str, html) -> NavLink | None:
    """The 政府信息公开 / 信息公开 / 政务公开 entry of a home page."""
    page = as_page(url, html)
    candidates = []
    for a in page.body.iter("a"):
        target = page.resolve(a.get("href"))
        if not target or target == page.url:
            continue
        name = norm_space(text_content(a)) or norm_space(a.get("title") or "")
        for rank, pattern in enumerate(_GONGKAI):
            if pattern.search(name) and len(name) <= 12:
                candidates.append((rank, _region(a) != "nav", target, name))
                break
    if not candidates:
        return None
    rank, _content, target, name = min(candidates, key=lambda c: (c[0], c[1]))
    return NavLink(url=target, name=name, region="nav" if not _content else "content")
