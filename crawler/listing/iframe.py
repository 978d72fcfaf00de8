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
# A frameset's banner and column-tree frames (name="topFrame" src="head.htm", name="leftFrame"
# src="tree.htm"): told by the frame's own name and file name, not by the folder they sit in
# (/xxgk/head.htm would pass for a list).
_NAV_FRAME = re.compile(r"top|head|banner|tree|left|menu|nav|foot|bottom|dh", re.I)


def nav_frame(frame, src: str) -> bool:
    """A frame carrying the page's banner, footer or column tree rather than its content."""
    own = src.rsplit("/", 1)[-1].split("?", 1)[0] + " " + attr_words(frame) + " " + (frame.get("name") or "")
    return bool(_NAV_FRAME.search(own))


def shown_frames(page: Page):
    """(element, url) of the same-site frames and iframes a reader sees (not hidden, not 1-pixel)."""
    for frame in page.tree.iter("iframe", "frame"):
        src = page.resolve(frame.get("src"))
        if not src or is_hidden(frame) or host_of(src) != host_of(page.url):
            continue
        if (frame.get("width") or "").strip() in ("0", "1") or (frame.get("height") or "").strip() in ("0", "1"):
            continue
        yield frame, src


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    for frame, src in shown_frames(page):
        if nav_frame(frame, src):
            continue
        hint = src + " " + attr_words(frame) + " " + (frame.get("name") or "")
        if _NOT_LIST_FRAME.search(hint) or not _LIST_FRAME.search(hint):
            continue
        return ListPage(style=name, next_pages=[request(src, name, page.url, frame_of=page.url)])
    return None


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    return read_page(as_page(url, body or ""), ctx) or ListPage(style=generic.name)
