"""A column page that is only a frame around its list: the same-origin ``<iframe>`` carrying it
is read like a column page (by whichever reader recognises it)."""
from __future__ import annotations

import re

from crawler.extract.html import Page, as_page, attr_words, is_hidden
from crawler.extract.urls import host_of
from crawler.items import ListPage
from crawler.listing import generic
from crawler.listing.base import WEAK, ReadContext, read_page, request

name = "iframe"
evidence = WEAK

_LIST_FRAME = re.compile(r"list|lb|column|channel|col|xxgk|gongkai|info|news|doc|article|content|main", re.I)
_NOT_LIST_FRAME = re.compile(r"visit|count|stat|video|map|weather|share|conac|jiucuo|login|search", re.I)


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    for frame in page.tree.iter("iframe", "frame"):
        src = page.resolve(frame.get("src"))
        if not src or is_hidden(frame) or host_of(src) != host_of(page.url):
            continue
        if (frame.get("width") or "").strip() in ("0", "1") or (frame.get("height") or "").strip() in ("0", "1"):
            continue
        hint = src + " " + attr_words(frame) + " " + (frame.get("name") or "")
        if _NOT_LIST_FRAME.search(hint) or not _LIST_FRAME.search(hint):
            continue
        return ListPage(style=name, next_pages=[request(src, name, page.url, frame_of=page.url)])
    return None


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    return read_page(as_page(url, body or ""), ctx) or ListPage(style=generic.name)
