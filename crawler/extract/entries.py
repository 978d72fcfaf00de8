"""List items → :class:`ListEntry`, shared by every list reader (``crawler.listing``) and by
navigation and page facts.

An *item* is the element that holds one entry: an ``<li>``, a table row, a ``<div>`` …  It is
found by climbing from each link to the nearest ancestor whose text carries a date; items that
are siblings form a *group*, and the list is the biggest group outside page chrome.  Lists
without dates (机构职能, 指南 …) are found as repeated link-only siblings in a list-like
container, but only when a caller asks for them (a page with a pager, say).
"""
from __future__ import annotations

import re

from crawler.extract.dates import (DateMatch, find_date, find_dates, looks_like_date, month_day_date, parse_date,
                                   split_date)
from crawler.extract.html import (Page, ancestors, attr_words, is_hidden, norm_space, text_content, text_of,
                                  text_pieces)
from crawler.extract.layout import within, words
from crawler.extract.title import is_truncated
from crawler.items import ListEntry

ITEM_TAGS = ("li", "tr", "dd", "dt", "p", "div", "article", "section", "dl", "span", "td", "h3", "h4")
# Page chrome never holds the column's own list (left/right columns may: see layout.py).
_CHROME = words("nav", "header", "top", "footer", "side", "widgets", "calendar", "crumb", "pager")
_CHROME_NOT_PAGER = words("nav", "header", "top", "footer", "side", "widgets", "calendar", "crumb")
_LIST_WORDS = re.compile(r"list|lb|news|xxgk|wj|article|doc|info|item|con|main|content|result", re.I)
# A box's "more" link in any of its dress: 更多>>, 更多&gt;&gt;, [更多], +更多, 查看更多…, MORE+, >>.
MORE_ANCHOR = re.compile(r"^[\s\[【（(<«‹+＋]*(?:点击)?(?:查看)?(?:更多|more)(?:信息|内容|资讯|新闻|文件)?"
                         r"[\s\]】）)>»›＞》+＋.…]*$|^(?:>{2,}|》》|»|\+|＋)$", re.I)
_NOISE_ANCHOR = re.compile(r"^(?:更多|more|详情|详细|查看|进入|\d{1,4}|[<>«»›‹]+|上一页|下一页|首页|尾页|末页|下页|上页)$",
                           re.I)


def is_noise_anchor(text: str) -> bool:
    """A link that names no entry: a "more" link, a pager step, a bare number."""
    return bool(_NOISE_ANCHOR.match(text) or MORE_ANCHOR.match(text))


_DATE_CLASS = re.compile(r"date|time|rq|sj|riqi|shijian|fbrq", re.I)
# Tells a page that lists nothing but says so from a page that is no list (what to read next);
# whether a column shows only a placeholder is judged by the audits from its shown_lines.
_PLACEHOLDER = re.compile(
    r"暂无(?:相关)?(?:信息|数据|内容|记录|文章|资料|文件|公开信息)|正在建设中|栏目建设中|建设中[，。…]*$|"
    r"没有(?:相关)?(?:记录|数据|信息|内容)|无相关(?:记录|信息|数据)|信息(?:正在)?整理中|查询结果为空")

MAX_ITEM_CLIMB = 4
# What may stand right before / after a list item's date: a label's colon, a bracket, a bar, a
# space or the edge of its text node.  A date inside a sentence (于2022年7月1日起实施) is prose.
_STAMP_BEFORE = frozenset(" :：(（[【〔<《|/")
_STAMP_AFTER = frozenset(" )）]】〕>》|/")


def date_stamp(text: str):
    """The first date of ``text`` that stands apart as a date stamp (2022-04-12, [2022-04-12],
    发布时间：2022-04-12, （2022年4月12日）), not one written inside a sentence; else None."""
    for d in find_dates(text):
        before = text[d.start - 1] if d.start > 0 else " "
        after = text[d.end] if d.end < len(text) else " "
        if before in _STAMP_BEFORE and after in _STAMP_AFTER:
            return d
    return None


def _shows_date_stamp(el, rest: str, anchor_text: str) -> bool:
    """Does an item show a date of its own (not only dates inside the sentences of a paragraph)?"""
    if date_stamp(rest):
        return True
    return any(date_stamp(piece) for piece in text_pieces(el) if not (anchor_text and piece in anchor_text))


def placeholder_text(page_or_el) -> str | None:
    """The 暂无信息 / 正在建设中 line of a list page, when it shows one (outside page chrome)."""
    runs = page_or_el.runs if isinstance(page_or_el, Page) else None
    lines = [(r.plain, r.el) for r in runs] if runs is not None else [(text_of(page_or_el), page_or_el)]
    for text, el in lines:
        if text and len(text) <= 40:
            m = _PLACEHOLDER.search(text)
            if m and not in_chrome(el, placeholder=True):
                return text
    return None


MAX_SHOWN_LINES = 30        # recording bounds only: which line is a placeholder is the audits' call
MAX_SHOWN_LINE_CHARS = 200


def shown_lines(page: Page) -> list[str]:
    """The lines a page shows outside page chrome (a pager box counts: 暂无 sits there), a long
    one cut to its start, recorded for a column page that lists nothing so the audits can judge
    its empty state (a placeholder, or text shown inline)."""
    out = []
    for run in page.runs:
        text = run.plain
        if text and not in_chrome(run.el, placeholder=True):
            out.append(text[:MAX_SHOWN_LINE_CHARS])
            if len(out) >= MAX_SHOWN_LINES:
                break
    return out


def in_chrome(el, placeholder: bool = False) -> bool:
    """In page chrome?  (For a placeholder line, a pager box does not count: 暂无 sits there.)"""
    return within(el, _CHROME_NOT_PAGER if placeholder else _CHROME)


def link_text(a) -> str:
    """A link's title text: without a date that stands in an element of its own inside the link
    (<a><span>2017-10-14</span>区域品牌化 …</a>, or a <time datetime> showing 10-18 or 10月18日:
    the date belongs to the item, not the title)."""
    text = norm_space(text_content(a))
    for el in a.iterdescendants():
        if not isinstance(el.tag, str) or len(el):
            continue
        piece = norm_space(text_content(el))
        if piece and piece != text and (looks_like_date(piece) or (el.tag == "time" and el.get("datetime"))):
            rest = norm_space(text.replace(piece, " ", 1))
            if rest:
                return rest
    pieces = text_pieces(a)     # a card's date split in two (<span>12</span><span>2023-05</span>) is no title either
    for i in range(len(pieces) - 1):
        if split_date(pieces[i], pieces[i + 1]) and len(pieces) > 2:
            return norm_space("".join(pieces[:i] + pieces[i + 2:]))
    return text


def _item_links(item, base_resolve):
    out = []
    for a in item.iter("a"):
        url = base_resolve(a.get("href"))
        if not url:
            continue
        text = link_text(a)
        if (not text and not a.get("title")) or (is_noise_anchor(text) and not a.get("title")):
            continue
        out.append((a, url, text))
    return out


_PUBLISH_HEADER = re.compile(r"发布(?:日期|时间)|发文日期|公开日期")
_DATE_HEADER = re.compile(r"日期|时间")


def _date_column(row) -> int | None:
    """In a table row, the index of the column headed 发布日期 (else 日期), from the table's header row."""
    table = next((a for a in ancestors(row) if a.tag == "table"), None)
    if table is None:
        return None
    header = next((tr for tr in table.iter("tr") if tr.find("th") is not None), None)
    if header is None:
        return None
    heads = [text_of(c) for c in header if isinstance(c.tag, str) and c.tag in ("th", "td")]
    for pattern in (_PUBLISH_HEADER, _DATE_HEADER):
        for i, h in enumerate(heads):
            if pattern.search(h):
                return i
    return None


def _date_of(item, anchor_text: str):
    """The date shown in an item outside its title: the 发布日期 column of a table, an element
    whose class says date/time, else the last date of the rest of the item's text (lists that
    show 成文日期 and 发布日期 put the latter last)."""
    if item.tag == "tr":
        col = _date_column(item)
        cells = [c for c in item if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if col is not None and col < len(cells):
            d = find_date(text_of(cells[col]))
            if d:
                return d
    for el in item.iter():
        if isinstance(el.tag, str) and el.tag != "a" and _DATE_CLASS.search(attr_words(el)):
            d = find_date(text_of(el))
            if d:
                return d
    text = text_of(item)
    if anchor_text:
        text = text.replace(anchor_text, " ", 1)
    found = find_dates(text)
    return found[-1] if found else None


def _month_day_of(item, anchor_text: str, url: str | None):
    """A date shown apart in an item without a full date in one piece of text: a month-day
    (10-19) dated by the year of the entry's URL stamp; a date split over two neighbouring
    elements (<span>12</span><span>2023-05</span>, <em>05-12</em><i>2023</i>); or a
    <time datetime="2023-05-12"> whose shown text leaves out the year."""
    for piece in text_pieces(item):
        d = None if anchor_text and piece in anchor_text else month_day_date(piece, url)
        if d:
            return d
    pieces = text_pieces(item)      # each half a text node of its own, the title's included (in a card link)
    for first, second in zip(pieces, pieces[1:]):
        d = split_date(first, second)
        if d:
            return d
    iso = next((d for d in (parse_date(el.get("datetime")) for el in item.iter("time")) if d), None)
    return DateMatch(iso, iso, 0, 0) if iso else None


def _entry(a, url: str, text: str, d) -> ListEntry:
    """The entry of a title link: the full title from title="" when it is one, else the text
    unless it is truncated (then unknown: the detail page has it)."""
    full = norm_space(a.get("title") or "")
    if looks_like_date(full) or is_truncated(full):
        full = ""
    if not full and text and not is_truncated(text):
        full = text
    return ListEntry(url=url, title=text or full, full_title=full,
                     date_raw=norm_space(d.raw) if d else "", date=d.iso if d else None)


def make_entry(item, base_resolve) -> ListEntry | None:
    """One item element → ListEntry (None when it holds no usable link)."""
    links = _item_links(item, base_resolve)
    if not links:
        return None
    # The title link is the one with the longest text (an item may also link its category, a pdf …).
    a, url, text = max(links, key=lambda x: len(norm_space(x[0].get("title") or "")) + len(x[2]))
    return _entry(a, url, text, _date_of(item, text) or _month_day_of(item, text, url))


MAX_ITEM_LINKS = 3      # an item holds one entry (perhaps with a category or file link beside it)


def _item_for(a, text: str, stop, cache: dict):
    """The nearest ancestor of a link whose text shows a date besides the link's own."""
    el = a
    for _ in range(MAX_ITEM_CLIMB):
        el = el.getparent()
        if el is None or el is stop or el.tag in ("body", "html", "ul", "ol", "table", "tbody"):
            return None
        info = cache.get(el)
        if info is None:
            info = cache[el] = (text_of(el), sum(1 for _ in el.iter("a")))
        rest, n_links = info
        if n_links > MAX_ITEM_LINKS:
            return None
        if text:
            rest = rest.replace(text, " ", 1)
        if find_date(rest) and _shows_date_stamp(el, rest, text):
            return el
        if _month_day_of(el, text, a.get("href")):
            return el
    return None


def dated_groups(root, resolve) -> list[tuple[object, list]]:
    """[(parent, [item, ...])] of sibling items each showing a link and a date."""
    groups: dict = {}
    cache: dict = {}
    for a in root.iter("a"):
        if not a.get("href") or is_hidden(a):
            continue
        text = link_text(a)
        if is_noise_anchor(text) and not a.get("title"):
            continue
        if not resolve(a.get("href")):
            continue
        item = _item_for(a, text, root, cache)
        if item is None:
            continue
        parent = item.getparent()
        if parent is None:
            continue
        bucket = groups.setdefault(parent, [])
        if item not in bucket:
            bucket.append(item)
    return list(groups.items())


def undated_groups(root, resolve, min_items: int = 2) -> list[tuple[object, list]]:
    """[(parent, [item, ...])] of ≥ min_items sibling li/tr/dd each holding one main link."""
    out = []
    for parent in root.iter("ul", "ol", "tbody", "table", "dl", "div"):
        items = [c for c in parent if isinstance(c.tag, str) and c.tag in ("li", "tr", "dd", "p", "div")
                 and _item_links(c, resolve)]
        if len(items) >= min_items and len({c.tag for c in items}) == 1:
            out.append((parent, items))
    return out


# The page's own item highlighted in its navigation (<li class="on">; DedeCMS's channel tag marks
# it <a class='thisclass'>): a list of documents has none.
_HIGHLIGHT = re.compile(r"(?:^|[\s_-])(?:on|cur|curr|current|active|selected|now|thisclass)(?:$|[\s_-]|\d)", re.I)


def is_navigation_group(items, resolve, own_url: str | None = None) -> bool:
    """Is a group of undated link items the page's navigation (a sidebar of columns), not a list?
    It links to the page itself, or highlights one item as the current one (class on / cur /
    current / active / selected): entries of a list are documents, never the list's own page."""
    own = (own_url or "").split("#")[0]
    for item in items:
        if _HIGHLIGHT.search(item.get("class") or ""):
            return True
        for a in item.iter("a"):
            if _HIGHLIGHT.search(a.get("class") or ""):
                return True
            url = resolve(a.get("href")) if a.get("href") else None
            if own and url and url.split("#")[0] == own:
                return True
    return False


# A table of documents names its columns in a header row: a title column (名称, 标题) beside an
# index, a number or a date column (索引号, 文号, 发布日期, 生成日期).  Its rows are entries, dated or
# not (机构职能 tables often leave the date cell empty).
_TITLE_HEAD = re.compile(r"^(?:文件|信息|文章|公开|政策|规范性文件)?(?:名称|标题|题名|主题)$")
_LIST_HEAD = re.compile(r"^(?:索引号|文号|发文字号|发文文号|文件编号|编号|(?:发布|生成|成文|发文|公开|印发|更新)(?:日期|时间)|"
                        r"日期|时间)$")
_ROW_PARENTS = ("thead", "tbody", "tfoot")


def row_cells(row) -> list:
    """A table row's own cells (td, th)."""
    return [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]


def table_rows(table) -> list:
    """The table's own rows (not those of a table nested in a cell), in order."""
    out = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "tr":
            out.append(child)
        elif child.tag in _ROW_PARENTS:
            out.extend(r for r in child if isinstance(r.tag, str) and r.tag == "tr")
    return out


_HEAD_CELL = re.compile(r"^\D{0,8}$")     # a column's name, not a value (a metadata table's first row)


def _names_list_columns(row) -> bool:
    heads = ["".join(text_of(c).split()).strip(":：") for c in row_cells(row)]
    return (all(_HEAD_CELL.match(h) for h in heads) and any(_TITLE_HEAD.match(h) for h in heads)
            and any(_LIST_HEAD.match(h) for h in heads))


def table_lists(root, resolve) -> list[tuple[object, list]]:
    """[(parent, [row, ...])] of tables whose header row names the columns of a list of documents
    (名称|索引号|生成日期 …): each row below it holding a link in a cell of its own is an entry, a
    date shown or not.  A row of one spanning cell (暂无信息, a pager) is no entry."""
    out = []
    for table in root.iter("table"):
        rows = table_rows(table)
        header = next((r for r in rows if len(row_cells(r)) >= 2), None)
        if header is None or not _names_list_columns(header):     # (a sortable header's names are links)
            continue
        items = [r for r in rows[rows.index(header) + 1:]
                 if len(row_cells(r)) >= 2 and r.find(".//table") is None and _item_links(r, resolve)]
        if not items:
            continue
        parent = items[0].getparent()
        out.append((parent, [r for r in items if r.getparent() is parent]))
    return out


def page_table_lists(page: Page) -> list[tuple[object, list]]:
    """``table_lists`` of a page, computed once (list readers, classification and navigation ask)."""
    if "table_lists" not in page.memo:
        page.memo["table_lists"] = table_lists(page.body, page.resolve)
    return page.memo["table_lists"]


def _group_score(parent, items) -> float:
    score = float(len(items))
    if _LIST_WORDS.search(attr_words(parent)):
        score *= 1.2
    return score


def best_group(page_or_root, resolve=None, allow_undated: bool = False):
    """(parent, items) of the page's main list, or (None, [])."""
    if isinstance(page_or_root, Page):
        root, resolve = page_or_root.body, page_or_root.resolve
        own_url = page_or_root.url
        memo = page_or_root.memo
        if "dated_groups" not in memo:              # shared by the readers and navigation
            memo["dated_groups"] = dated_groups(root, resolve)
        all_dated = memo["dated_groups"]
        tables = page_table_lists(page_or_root)
    else:
        root, own_url = page_or_root, None
        all_dated = dated_groups(root, resolve)
        tables = table_lists(root, resolve)
    groups = [g for g in all_dated if not in_chrome(g[0])]
    # A table headed as a list of documents is a list with all its rows, dated or not.
    tables = [g for g in tables if not in_chrome(g[0]) and not is_navigation_group(g[1], resolve, own_url)]
    if tables:
        headed = {parent for parent, _items in tables}
        groups = [g for g in groups if g[0] not in headed] + tables
    if not groups and allow_undated:
        groups = [g for g in undated_groups(root, resolve)
                  if not in_chrome(g[0]) and not is_navigation_group(g[1], resolve, own_url)]
    if not groups:
        return None, []
    return max(groups, key=lambda g: _group_score(*g))


def unique_entries(entries) -> list[ListEntry]:
    """Drop Nones and repeated URLs (first occurrence kept, order kept).  An entry that only says
    暂无信息 is kept too: whether it is content is the audits' call (columns.placeholder_*)."""
    out, seen = [], set()
    for entry in entries:
        if entry and entry.url not in seen:
            seen.add(entry.url)
            out.append(entry)
    return out


def entries_of(items, resolve) -> list[ListEntry]:
    return unique_entries(make_entry(item, resolve) for item in items)


def line_entries(page: Page) -> list[ListEntry]:
    """Entries of a list without item wrappers: each rendered line holding a link and a date."""
    out = []
    for run in page.runs:
        if not run.links or in_chrome(run.el):
            continue
        links = [(a, page.resolve(a.get("href")), norm_space(text_content(a))) for _p, a in run.links]
        links = [x for x in links if x[1] and x[2] and not is_noise_anchor(x[2])]
        if not links:
            continue
        a, url, title = max(links, key=lambda x: len(x[2]))
        d = date_stamp(" " + norm_space(run.text).replace(title, " ", 1) + " ")
        if d:
            out.append(_entry(a, url, title, d))
    return unique_entries(out)


def dated_entries(page: Page) -> list[ListEntry]:
    """Every dated entry of every list on the page outside page chrome (a homepage's boxes)."""
    if "dated_groups" not in page.memo:
        page.memo["dated_groups"] = dated_groups(page.body, page.resolve)
    items = [item for parent, group in page.memo["dated_groups"] if not in_chrome(parent) for item in group]
    return unique_entries([e for e in entries_of(items, page.resolve) if e.date] + line_entries(page))


def list_entries(page: Page, allow_undated: bool = False) -> list[ListEntry]:
    """Entries of the page's main list."""
    parent, items = best_group(page, allow_undated=allow_undated)
    entries = entries_of(items, page.resolve) if parent is not None else []
    if len(entries) <= 1:
        lines = line_entries(page)
        if len(lines) > len(entries):
            return lines
    return entries
