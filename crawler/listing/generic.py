"""Fallback reader: a server-rendered list without a recognised pager.

Repeated sibling items (li / tr / div …) each holding a link and a date, or lines holding a link
and a date; a same-origin ``<iframe>`` that carries the real list (some column pages are only a
frame around it); and the placeholder page (暂无信息 / 正在建设中) that lists nothing.
"""
from __future__ import annotations

import re

from crawler.extract.html import Page, as_page, attr_words, is_hidden
from crawler.extract.urls import host_of
from crawler.items import ListPage
from crawler.listing.base import request
from crawler.extract.entries import best_group, entries_of, in_chrome, line_entries, placeholder_text

NAME = "generic"
IFRAME = "iframe"
PLACEHOLDER = "placeholder"

_LIST_FRAME = re.compile(r"list|lb|column|channel|col|xxgk|gongkai|info|news|doc|article|content|main", re.I)
_NOT_LIST_FRAME = re.compile(r"visit|count|stat|video|map|weather|share|conac|jiucuo|login|search", re.I)


def detect(page: Page, **_ignored) -> ListPage | None:
    parent, items = best_group(page)
    entries = entries_of(items, page.resolve) if parent is not None else []
    if parent is not None and in_chrome(parent) and len(entries) < 3:
        entries = []                              # a side rail's 3 latest items are not this column
    if len(entries) <= 1:
        lines = line_entries(page)
        if len(lines) > len(entries):
            entries = lines
    if not entries:
        return None
    return ListPage(style=NAME, entries=entries)


def detect_iframe(page: Page, **_ignored) -> ListPage | None:
    """A page that is only a frame around its list: follow the same-origin frame."""
    for frame in page.tree.iter("iframe", "frame"):
        src = page.resolve(frame.get("src"))
        if not src or is_hidden(frame) or host_of(src) != host_of(page.url):
            continue
        if (frame.get("width") or "").strip() in ("0", "1") or (frame.get("height") or "").strip() in ("0", "1"):
            continue
        hint = src + " " + attr_words(frame) + " " + (frame.get("name") or "")
        if _NOT_LIST_FRAME.search(hint) or not _LIST_FRAME.search(hint):
            continue
        return ListPage(style=IFRAME, next_pages=[request(src, "auto", page.url, frame_of=page.url)])
    return None


def detect_placeholder(page: Page, **_ignored) -> ListPage | None:
    text = placeholder_text(page)
    return ListPage(style=PLACEHOLDER, placeholder=text) if text else None


def read_response(meta: dict, url: str, body: str, content_type: str | None = None) -> ListPage:
    page = as_page(url, body or "")
    return detect(page) or ListPage(style=NAME)
