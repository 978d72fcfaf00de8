"""JS-shell lists: a thin page whose inline script fetches the list from a data endpoint.

The endpoint is read from the script (``crawler.listing.jsendpoint``).  Page 1 is requested
first; its answer (``crawler.listing.jsanswer``) states the total or the page count, and the
remaining pages are planned from it.  Without either, pages are chained until one comes back
short, empty or repeated.

A page is taken as a JS shell when its endpoint pages, or when the page shows no list of its
own (a page with a list and a script that only loads, say, a hit counter is not a shell).

The first answer lists nothing only on positive evidence (``jsanswer.lists_nothing``: a total of 0,
an empty records array or html field under a known key, or a 暂无信息 line).  Any other answer
without records (an error envelope, a token, an unknown shape) is read as ``js_shell_unread``: the
list was not read, which the audits never take for an empty list (``columns.unreadable_list_styles``).
"""
from __future__ import annotations

import math

from crawler.extract.entries import best_group, entries_of, in_chrome, placeholder_text
from crawler.extract.html import Page, as_page
from crawler.items import ListPage
from crawler.listing.base import DEFAULT_MAX_PAGES, STRONG, ReadContext, fingerprint, planned_pages
from crawler.listing.jsanswer import lists_nothing, parse_answer
from crawler.listing.jsendpoint import Endpoint, find_endpoints

name = "js_shell"
UNREAD = "js_shell_unread"      # an answer that was no list (an error, a token): not an empty list
evidence = STRONG


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    endpoints = find_endpoints(page)
    if not endpoints:
        return None
    _score, ep = endpoints[0]
    parent, items = best_group(page)
    entries = entries_of(items, page.resolve) if parent is not None and not in_chrome(parent) else []
    if entries and not ep.paged:
        return None               # the page's own list; its script fetches something else
    result = ListPage(style=name, entries=entries)
    result.next_pages = [ep.request_for(1, page.url, name, mode="first", max_pages=ctx.max_pages)]
    return result


def planned(args: dict, n: int) -> dict:
    """Page ``n`` of a list whose page count the first answer stated."""
    return Endpoint.from_dict(args["endpoint"]).request_for(n, args["page_url"], name, mode="planned")


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    page_url = meta.get("page_url") or url
    entries, total, pages, n_records = parse_answer(body, page_url)
    n = int(meta.get("page") or 1)
    if not entries and n <= 1 and not (total == 0 or lists_nothing(body)
                                       or placeholder_text(as_page(page_url, body or ""))):
        return ListPage(style=UNREAD)
    result = ListPage(style=name, entries=entries, total=total)
    ep = Endpoint.from_dict(meta["endpoint"])
    limit = int(meta.get("max_pages") or DEFAULT_MAX_PAGES)
    if not ep.paged or not entries:
        return result
    mode = meta.get("mode")
    if mode == "first":
        size = ep.size() or n_records
        if n_records and total is not None and n_records < size and total > n_records:
            size = n_records                      # the server capped the page size
        count = pages if pages else (math.ceil(total / size) if total is not None and size else None)
        if count is not None:
            result.next_pages = planned_pages(name, planned, range(2, min(count, limit) + 1),
                                              {"endpoint": ep.to_dict(), "page_url": page_url})
            return result
    if mode in ("first", "chained"):
        fp = fingerprint(entries)
        seen = list(meta.get("seen") or [])
        size = ep.size()
        if fp in seen or n >= limit or (size and n_records < size):
            if fp in seen:
                result.entries = []
            return result
        result.next_pages = [ep.request_for(n + 1, page_url, name, mode="chained", max_pages=limit,
                                            seen=(seen + [fp])[-50:])]
    return result
