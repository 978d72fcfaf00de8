"""Reader 0: list pages described by a site profile's ``lists`` section (where the built-in
readers fail).  Tried before every other reader; recognises only the pages a rule names.

A rule names the list pages it applies to (``url_pattern``), the selector of one entry
(``item``; CSS, or XPath when it starts with ``/`` or ``(``) and, inside an entry, the link,
title and date (defaults: first ``a``'s href and text, the first date in the entry's text).
Paging is either a ``next`` link selector or a data ``endpoint`` template
(placeholders ``{url} {page} {page0} {start} {end} {size}``) fetched page by page until a
page adds nothing.
"""
from __future__ import annotations

import re

from parsel import Selector

from crawler.extract.dates import parse_date
from crawler.extract.html import Page
from crawler.extract.urls import absolute_url
from crawler.items import ListEntry, ListPage
from crawler.listing.base import CERTAIN, ReadContext

name = "profile"
evidence = CERTAIN


def matching_rule(rules: list[dict], url: str) -> tuple[int, dict] | None:
    for i, rule in enumerate(rules or []):
        if re.search(rule["url_pattern"], url):
            return i, rule
    return None


def _select(sel: Selector, query: str):
    return sel.xpath(query) if query.lstrip().startswith(("/", "(", "./")) else sel.css(query)


def _first(sel: Selector, query: str | None) -> str:
    if not query:
        return ""
    return " ".join((_select(sel, query).get() or "").split())


def read_entries(rule: dict, url: str, text: str) -> list[ListEntry]:
    sel = Selector(text=text or "<html></html>")
    out = []
    for node in _select(sel, rule["item"]):
        href = _first(node, rule.get("link") or "a::attr(href)")
        target = absolute_url(url, href)
        if not target:
            continue
        title = _first(node, rule.get("title") or "a::text") or _first(node, "a::attr(title)")
        date_raw = _first(node, rule["date"]) if rule.get("date") else " ".join(node.xpath("string(.)").get("").split())
        out.append(ListEntry(url=target, title=title, full_title=_first(node, "a::attr(title)"),
                             date_raw=date_raw if rule.get("date") else "", date=parse_date(date_raw)))
    return out


def page_request(rule: dict, index: int, column_url: str, page: int) -> dict:
    """The request for page ``page`` (1-based) of a rule's data endpoint."""
    size = int(rule.get("page_size") or 20)
    values = {"url": column_url, "page": page, "page0": page - 1, "start": (page - 1) * size + 1,
              "end": page * size, "size": size}
    body = rule.get("body")
    return {"url": absolute_url(column_url, rule["endpoint"].format(**values)),
            "method": rule.get("method") or ("POST" if body else "GET"),
            "body": body.format(**values) if body else None,
            "headers": {"Content-Type": "application/x-www-form-urlencoded"} if body else {},
            "reader": name, "rule": index, "page": page, "column_url": column_url}


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    """A column page read with a profile rule, or None when no rule applies."""
    found = matching_rule(ctx.profile_rules, page.url)
    if not found:
        return None
    index, rule = found
    url, text = page.url, page.html
    if rule.get("endpoint"):
        return ListPage(style="profile_endpoint", entries=[], next_pages=[page_request(rule, index, url, 1)])
    return _with_next(index, rule, url, text, ListPage(style="profile", entries=read_entries(rule, url, text)))


def read_response(spec: dict, url: str, text: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    """A follow-up page produced by ``detect`` / ``read_response`` (spec = its request)."""
    index = spec["rule"]
    rule = ctx.profile_rules[index]
    entries = read_entries(rule, url, text)
    page = ListPage(style="profile_endpoint" if rule.get("endpoint") else "profile", entries=entries)
    max_pages = int(rule.get("max_pages") or 10_000)
    if rule.get("endpoint"):
        if entries and spec["page"] < max_pages:
            page.next_pages = [page_request(rule, index, spec["column_url"], spec["page"] + 1)]
        return page
    return _with_next(index, rule, url, text, page, spec.get("page", 1))


def _with_next(index, rule, url, text, page: ListPage, number: int = 1) -> ListPage:
    if rule.get("next") and number < int(rule.get("max_pages") or 10_000):
        href = _first(Selector(text=text or "<html></html>"), rule["next"])
        target = absolute_url(url, href)
        if target and target != url:
            page.next_pages = [{"url": target, "method": "GET", "body": None, "headers": {},
                                "reader": name, "rule": index, "page": number + 1}]
    return page
