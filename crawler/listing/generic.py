"""Fallback reader: a server-rendered list without a recognised pager.

Repeated sibling items (li / tr / div …) each holding a link and a date, or lines holding a link
and a date — but not one box of a hub of boxes each headed by its column's 更多 link (a 政策文件 page
showing 区政府文件 / 区政府办公室文件 / 规范性文件 boxes; ``base.HUB_MIN_BOXES``).  (A list framed in an ``<iframe>``: ``crawler.listing.iframe``; a page that only says
暂无信息: ``crawler.listing.placeholder``.)
"""
from __future__ import annotations

from crawler.extract.dates import has_url_date_stamp
from crawler.extract.entries import best_group, entries_of, in_chrome, line_entries
from crawler.extract.html import Page, as_page, text_of
from crawler.items import ListPage
from crawler.listing.base import WEAK, ReadContext, hub_of_boxes

name = "generic"
evidence = WEAK


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    parent, items = best_group(page)
    entries = entries_of(items, page.resolve) if parent is not None else []
    if parent is not None and in_chrome(parent) and len(entries) < 3:
        entries = []                              # a side rail's 3 latest items are not this column
    if len(entries) <= 1:
        lines = line_entries(page)
        if len(lines) > len(entries):
            entries = lines
    if not entries:
        entries = _article_links(page)
    if not entries:
        return None
    if hub_of_boxes(page.url, page, len(entries)):
        return None                               # one box of a hub of boxes (each with its 更多) is no list
    return ListPage(style=name, entries=entries)


def _article_links(page: Page) -> list:
    """A list that shows no dates (媒体关注, 镇街动态: the date is on each article's own page),
    known by its links: every one an article path with a date stamp, which a CMS never gives a
    column, so the group is no hub of sub-columns.  Each item shows its title and nothing else
    (paragraphs of an article ending in 点击阅读 links are no list)."""
    parent, items = best_group(page, allow_undated=True)
    if parent is None or in_chrome(parent):
        return []
    entries = entries_of(items, page.resolve)
    titles = {e.title for e in entries}
    if len(entries) < 2 or len(titles) < len(entries) or len(entries) < len(items):
        return []
    if all(has_url_date_stamp(e.url) and text_of(item) == e.title for e, item in zip(entries, items)):
        return entries
    return []


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    page = as_page(url, body or "")
    return detect(page, ctx) or ListPage(style=name)
