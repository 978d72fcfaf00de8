"""List-page readers, one module per CMS family / paging idiom.

Seam used by the spider (keep stable):

* ``crawler.listing.read_list(url, html, headers=None, max_pages=None) -> ListPage | None``
      Tries every reader on a column page and returns the one that recognises it
      (Hanweb ``<script type="text/xml"><datastore>`` + dataproxy.jsp, JS shell whose inline
      script names a JSON / HTML-fragment endpoint, TRS ``createPageHTML`` index_N.html,
      plain lists with 下一页/尾页, generic repeated link+date items, a list framed in an
      ``<iframe>``, a 暂无信息 placeholder page).  None if the page is not a list.
      ``html`` may be a string, an lxml tree or a ``crawler.extract.html.Page``.
* ``crawler.listing.read_response(request_meta, url, body_text, content_type) -> ListPage``
      Reads a follow-up page or data-endpoint response produced by ``ListPage.next_pages``
      (each next_pages dict carries a ``reader`` key naming the reader that understands it).

``ListPage.next_pages`` entries are dicts ``{"url", "method", "body", "headers", "reader",
"page_url", …reader state}``; hand the whole dict back as ``request_meta``.  A list's entries
are the union of the entries of every ListPage of its chain (a JS shell's own page usually has
none: they come with the endpoint's answers).  ``ListPage.style`` is one of ``STYLES``;
``placeholder`` is set (and ``entries`` empty) when the page only says 暂无信息 / 正在建设中.

Guards against endless lists live in the readers (page counts capped by the stated total or
page count and by ``max_pages``; chains stop on an empty, short or repeated page, a 下一页 back
to a visited page, calendar links) and in :class:`crawler.listing.walk.ListWalk`, which a spider
can keep per column to drop requests it already made and stop when a page adds nothing new.

A new CMS family is one new reader module (``detect(page, max_pages) -> ListPage | None`` and
``read_response(meta, url, body, content_type) -> ListPage``) registered in ``READERS`` plus its
tests.
"""
from __future__ import annotations

from crawler.extract.html import as_page
from crawler.items import ListPage
from crawler.listing import generic, hanweb, jsshell, plain, trs
from crawler.listing.base import DEFAULT_MAX_PAGES
from crawler.extract.entries import placeholder_text
from crawler.listing.walk import ListWalk

# Tried in this order; the first that recognises the page wins.  Data islands and pager scripts
# are unambiguous, a JS shell is only taken when the page shows no list of its own or the
# script pages through its endpoint, and the markup-only readers come last.
READERS = [
    ("hanweb_datastore", hanweb.detect),
    ("trs_createpage", trs.detect),
    ("js_shell", jsshell.detect),
    ("plain_next", plain.detect),
    ("generic", generic.detect),
    ("iframe", generic.detect_iframe),
    ("placeholder", generic.detect_placeholder),
]

RESPONSE_READERS = {
    hanweb.NAME: hanweb.read_response,
    trs.NAME: trs.read_response,
    jsshell.NAME: jsshell.read_response,
    plain.NAME: plain.read_response,
    generic.NAME: generic.read_response,
}

STYLES = tuple(name for name, _ in READERS)


def _accept_js_shell(page, result: ListPage) -> bool:
    """Take a JS shell when its endpoint pages, or when the page has no list of its own."""
    req = result.next_pages[0] if result.next_pages else None
    paged = bool(req) and jsshell.Endpoint.from_dict(req["endpoint"]).paged
    return paged or not result.entries


def read_list(url: str, html, headers=None, max_pages: int | None = None) -> ListPage | None:
    """Read a column page; None when it is not a list."""
    page = as_page(url, html)
    limit = max_pages or DEFAULT_MAX_PAGES
    for name, detect in READERS:
        result = detect(page, max_pages=limit)
        if result is None:
            continue
        if name == "js_shell" and not _accept_js_shell(page, result):
            continue
        if not result.entries and result.placeholder is None:
            result.placeholder = placeholder_text(page)     # also a JS shell's server-rendered empty state
        return result
    return None


def read_response(request_meta: dict, url: str, body_text: str, content_type: str | None = None) -> ListPage:
    """Read the answer to one of ``ListPage.next_pages``."""
    reader = (request_meta or {}).get("reader") or "auto"
    if reader == "auto":                       # a framed list: read the frame like a column page
        return read_list(url, body_text or "", max_pages=(request_meta or {}).get("max_pages")) or ListPage(
            style="generic")
    fn = RESPONSE_READERS.get(reader)
    if fn is None:
        raise ValueError(f"unknown list reader: {reader!r}")
    result = fn(request_meta, url, body_text or "", content_type)
    # A JS shell's first answer is the column's first page: it may be all the column says.
    if (not result.entries and not result.next_pages and request_meta.get("mode") == "first"
            and result.placeholder is None):
        result.placeholder = placeholder_text(as_page(url, body_text or ""))
    return result


__all__ = ["read_list", "read_response", "READERS", "STYLES", "ListWalk", "DEFAULT_MAX_PAGES"]
