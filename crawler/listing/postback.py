"""ASP.NET WebForms lists paged by ``__doPostBack`` (GridView / DataPager in a ``<form>`` with
``__VIEWSTATE``: ``list.aspx?ClassID=12`` columns of gkml-style platforms).

The pager links are ``javascript:__doPostBack('GridView1','Page$2')``: no address to follow.
Each next page is the form posted back with ``__EVENTTARGET`` / ``__EVENTARGUMENT`` set, as a
browser would, carrying the page's hidden fields (the view state changes with every page, so
pages are walked one at a time).  Only hidden fields are sent: the search box and other inputs a
reader would leave empty stay empty.
"""
from __future__ import annotations

import re
from urllib.parse import quote_plus

from crawler.extract.entries import list_entries
from crawler.extract.html import Page, ancestors, as_page, text_content
from crawler.extract.urls import host_of
from crawler.items import ListPage
from crawler.listing.base import DEFAULT_MAX_PAGES, WEAK, ReadContext, fingerprint, request
from crawler.listing.plain import _CURRENT, _LAST, _NEXT, _PAGE_COUNT, _key

name = "aspnet_postback"
evidence = WEAK

_POSTBACK = re.compile(r"""__doPostBack\(\s*['"]([^'"]*)['"]\s*,\s*['"]([^'"]*)['"]\s*\)""")
# GridView / DataPager arguments that turn pages (Sort$…, Select$…, Edit$… do not).
_PAGE_ARGUMENT = re.compile(r"^Page\$(?:\d+|Next|Last|First|Prev)$", re.I)
# A view state larger than this is not posted back (limits on every request).
MAX_FORM_BYTES = 512 * 1024


def _postbacks(page: Page) -> list[tuple[object, str, str, str]]:
    """(anchor, target, argument, text) of the page's pager postback links."""
    out = []
    for a in page.body.iter("a"):
        m = _POSTBACK.search(a.get("href") or "") or _POSTBACK.search(a.get("onclick") or "")
        if not m:
            continue
        text = _key(text_content(a)) or _key(a.get("title") or "")
        target, argument = m.group(1), m.group(2)
        if _PAGE_ARGUMENT.match(argument) or _NEXT.match(text) or _LAST.match(text) or text.isdigit():
            out.append((a, target, argument, text))
    return out


def _form_of(page: Page, anchor):
    """The form the link posts back: the one around it, else the page's view-state form."""
    for node in ancestors(anchor):
        if node.tag == "form":
            return node
    for form in page.tree.iter("form"):
        if form.xpath(".//input[@name='__VIEWSTATE']"):
            return form
    return None


def _next_link(page: Page, links) -> tuple[str, str] | None:
    """(target, argument) of the next page: a 下一页 link, else the numbered link after the
    current page (the current page is a number shown without a link: GridView's <span>2</span>)."""
    for _, target, argument, text in links:
        if _NEXT.match(text) or argument.lower() == "page$next":
            return target, argument
    numbered = {int(text): (target, argument) for _, target, argument, text in links if text.isdigit()}
    if not numbered:
        return None
    m = _CURRENT.search(page.text)
    current = int(next(g for g in m.groups() if g)) if m else min(n for n in range(1, max(numbered) + 2)
                                                                   if n not in numbered)
    later = [n for n in numbered if n > current]
    return numbered[min(later)] if later else None


def _planned(page: Page, page_url: str, links, **state) -> list[dict]:
    """The postback request for the next page, or none."""
    chosen = _next_link(page, links)
    if chosen is None:
        return []
    anchor = next(a for a, target, argument, _ in links if (target, argument) == chosen)
    form = _form_of(page, anchor)
    if form is None:
        return []
    action = page.resolve(form.get("action") or "") or page.url
    if host_of(action) != host_of(page.url):
        return []
    fields = [(i.get("name"), i.get("value") or "") for i in form.iter("input")
              if (i.get("type") or "").lower() == "hidden" and i.get("name")
              and i.get("name") not in ("__EVENTTARGET", "__EVENTARGUMENT")]
    fields += [("__EVENTTARGET", chosen[0]), ("__EVENTARGUMENT", chosen[1])]
    body = "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in fields)
    if len(body) > MAX_FORM_BYTES:
        return []
    return [request(action, name, page_url, method="POST", body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"}, **state)]


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    links = _postbacks(page)
    if not links or not page.tree.xpath("//input[@name='__VIEWSTATE']"):
        return None
    entries = list_entries(page, allow_undated=True)
    if not entries:
        return None
    m = _PAGE_COUNT.search(page.text)
    limit = min(int(next(g for g in m.groups() if g)) if m else ctx.max_pages, ctx.max_pages)
    result = ListPage(style=name, entries=entries)
    if limit > 1:
        result.next_pages = _planned(page, page.url, links, page_no=2, page_count=limit,
                                     seen=[fingerprint(entries)])
    return result


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    # The answer is the list page again, at the list's own address (relative links resolve there).
    page = as_page(meta.get("page_url") or url, body or "")
    entries = list_entries(page, allow_undated=True)
    result = ListPage(style=name, entries=entries)
    if not entries:
        return result                                  # an empty page ends the list
    fp, seen = fingerprint(entries), list(meta.get("seen") or [])
    if fp in seen:
        result.entries = []                            # the same entries again: the pager went round
        return result
    page_no = int(meta.get("page_no") or 2)
    limit = int(meta.get("page_count") or DEFAULT_MAX_PAGES)
    if page_no < limit:
        result.next_pages = _planned(page, meta.get("page_url") or url, _postbacks(page), page_no=page_no + 1,
                                     page_count=limit, seen=(seen + [fp])[-50:])
    return result
