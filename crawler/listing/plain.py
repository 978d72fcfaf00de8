"""Server-rendered lists with a pager: 下一页 / 下页 / 尾页 / 末页 links and numbered page links.

The 下一页 link (else the numbered link after the current page) is followed one page at a time.
Traps guarded against: a 下一页 that points at the page itself or back at a visited page, a
site that answers any ?page=N with its last page (a page repeating an earlier page's entries
stops the walk), pagination past the stated page count (共N页 / 尾页 / the highest page number)
and calendar widgets (links with date parameters or inside a calendar are never pager links).
"""
from __future__ import annotations

import re

from crawler.extract.html import Page, ancestors, as_page, attr_words, text_content
from crawler.extract.urls import host_of
from crawler.items import ListPage
from crawler.listing.base import DEFAULT_MAX_PAGES, WEAK, ReadContext, fingerprint, request
from crawler.extract.entries import list_entries

name = "plain_next"
evidence = WEAK

_NEXT = re.compile(r"^(?:下一页|下页|后一页|下一頁|后页|下一页>+|>|>>|›|»|next|nextpage|下一页»)$", re.I)
# A bare arrow is a next-page link only inside a pager: in a box's 更多 corner (<div class="more">
# <a>&gt;&gt;</a>) it opens the column.
_ARROW = re.compile(r"^(?:>|>>|›|»)$")
_PAGER_WORDS = re.compile(r"^(?:首页|尾页|末页|上一页|上页|前一页)$")
_LAST = re.compile(r"^(?:尾页|末页|最后一页|尾頁|末頁|last|lastpage)$", re.I)
_PAGE_COUNT = re.compile(r"共\s*(\d+)\s*页|第?\s*\d+\s*/\s*(\d+)\s*页|页次\s*[:：]?\s*\d+\s*/\s*(\d+)|总页数\s*[:：]?\s*(\d+)")
_TOTAL = re.compile(r"共\s*(\d+)\s*(?:条|篇|项|个|记录)")
_CURRENT = re.compile(r"(?:当前)?第\s*(\d+)\s*页|当前页\s*[:：]?\s*(\d+)|页次\s*[:：]?\s*(\d+)\s*/")
_CALENDAR = re.compile(r"calendar|rili|datepicker|date-picker|riqi", re.I)
_DATE_PARAM = re.compile(r"[?&](?:date|day|month|year|ym|rq|riqi)=|[?&][^=&]*=\d{4}-\d{1,2}(?:-\d{1,2})?(?:&|$)", re.I)
# Numbered links that are all years (信息公开年报 2008 … 2024) are a year menu: a pager also shows 1, 2, 3.
_YEAR_MIN, _YEAR_MAX = 1949, 2100
_PAGE_NUMBER_IN_URL = re.compile(r"(?:[?&](?:page|pageNo|pageNum|pageIndex|p|pn|currentPage|curPage)=|_)(\d+)(?:\D*$)",
                                 re.I)


def _key(text: str) -> str:
    return re.sub(r"[\s\[\]【】]+", "", text or "")


def _is_calendar(a, url: str) -> bool:
    if _DATE_PARAM.search(url):
        return True
    return any(_CALENDAR.search(attr_words(p)) for p in [a, *ancestors(a)])


class Pager:
    """The pager of one page: next / last / numbered links, page count, current page."""

    def __init__(self, page: Page):
        self.next_url = None
        self.last_url = None
        self.numbered: dict[int, str] = {}
        for a in page.body.iter("a"):
            url = page.resolve(a.get("href"))
            text = _key(text_content(a))
            title = _key(a.get("title") or "")
            cls = attr_words(a)
            is_next = bool(_NEXT.match(text) or _NEXT.match(title) or re.search(r"\bnext\b", cls))
            if is_next and _ARROW.match(text) and not _NEXT.match(title) and not self._in_pager(a):
                is_next = False
            is_last = bool(_LAST.match(text) or _LAST.match(title) or re.search(r"\blast\b", cls))
            if not (is_next or is_last or text.isdigit()):
                continue
            if url is None or url == page.url or host_of(url) != host_of(page.url) or _is_calendar(a, url):
                continue
            if is_next and self.next_url is None:
                self.next_url = url
            elif is_last and self.last_url is None:
                self.last_url = url
            elif text.isdigit() and len(text) <= 5 and self._in_pager(a):
                self.numbered.setdefault(int(text), url)
        text = page.text
        m = _PAGE_COUNT.search(text)
        self.page_count = int(next(g for g in m.groups() if g)) if m else None
        m = _TOTAL.search(text)
        self.total = int(m.group(1)) if m else None
        m = _CURRENT.search(text)
        self.current = int(next(g for g in m.groups() if g)) if m else None
        if self.last_url and self.page_count is None:
            # 尾页 → …?page=N or index_N.html: a bound on the page count (index_N counts from 0).
            n = _PAGE_NUMBER_IN_URL.search(self.last_url)
            if n:
                self.page_count = int(n.group(1)) + 1
        if self.numbered and all(_YEAR_MIN <= n <= _YEAR_MAX for n in self.numbered):
            self.numbered = {}                   # a year menu (年报 2008 … 2024), not page numbers
        if self.next_url is None and self.numbered:
            current = self.current or 1
            self.next_url = self.numbered.get(current + 1)

    @staticmethod
    def _in_pager(a) -> bool:
        for p in [a.getparent(), *ancestors(a.getparent())][:4] if a.getparent() is not None else []:
            if re.search(r"page|pager|pages|pagination|fenye|pagenav|pg", attr_words(p)):
                return True
            texts = [_key(text_content(c)) for c in p.iter("a")]
            if sum(t.isdigit() for t in texts) >= 2 or any(_PAGER_WORDS.match(t) for t in texts):
                return True
        return False

    @property
    def present(self) -> bool:
        """A pager is shown: page links, or only its text on a one-page list (共5条 第1/1页)."""
        return bool(self.next_url or self.last_url or self.numbered or self.page_count or self.total is not None)


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    max_pages = ctx.max_pages
    pager = Pager(page)
    if not pager.present:
        return None
    entries = list_entries(page, allow_undated=True)
    if not entries:
        return None
    if pager.total == 0 and not any(e.date_raw for e in entries):
        # 共 0 条: the list says it is empty, so undated links beside it are its page's menus
        # (an empty list is read by the placeholder / emptylist readers).
        return None
    result = ListPage(style=name, entries=entries, total=pager.total)
    limit = min(pager.page_count or max_pages, max_pages)
    current = pager.current or 1
    if pager.next_url and current < limit:
        result.next_pages = [request(pager.next_url, name, page.url, page_no=current + 1, page_count=limit,
                                     visited=[page.url], seen=[fingerprint(entries)])]
    return result


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    page = as_page(url, body or "")
    entries = list_entries(page, allow_undated=True)
    result = ListPage(style=name, entries=entries)
    if not entries:
        return result                                  # an empty page ends the list
    fp = fingerprint(entries)
    seen = list(meta.get("seen") or [])
    visited = list(meta.get("visited") or []) + [url]
    page_no = int(meta.get("page_no") or 1)
    limit = int(meta.get("page_count") or DEFAULT_MAX_PAGES)
    if fp in seen:
        result.entries = []                            # the same entries again: a loop
        return result
    pager = Pager(page)
    if pager.page_count:
        limit = min(limit, pager.page_count)
    nxt = pager.next_url
    if nxt and nxt not in visited and page_no < limit:
        result.next_pages = [request(nxt, name, meta.get("page_url") or url, page_no=page_no + 1,
                                     page_count=limit, visited=visited[-200:], seen=(seen + [fp])[-50:])]
    return result
