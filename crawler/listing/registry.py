"""The list readers, in the order they are tried: the one place a reader is registered.

The first reader that recognises a column page reads it.  The profile reader comes first (a
site profile's rule overrides every heuristic); data islands and pager scripts are
unambiguous; a JS shell is only taken when its endpoint pages or the page shows no list of its
own; the markup-only readers come last, the 暂无信息 page after them.
"""
from __future__ import annotations

from crawler.extract.entries import placeholder_text
from crawler.extract.html import as_page
from crawler.items import ListPage
from crawler.listing import (emptylist, generic, hanweb, iframe, jsshell, maxpage, placeholder, plain, postback,
                             profile, scriptdata, trs)
from crawler.listing.base import DEFAULT_MAX_PAGES, ListReader, PagePlan, ReadContext, read_page

READERS: list[ListReader] = [profile, hanweb, trs, maxpage, jsshell, scriptdata, postback, plain, generic, iframe,
                             placeholder, emptylist]

# Follow-up requests stored by earlier scans (replayed on a re-scan) name the framed-list reader "auto".
_ALIASES = {"auto": iframe.name}


def context(max_pages: int | None = None, profile_rules=None) -> ReadContext:
    """The reading context over the registry as it is now."""
    return ReadContext(max_pages=max_pages or DEFAULT_MAX_PAGES, profile_rules=tuple(profile_rules or ()),
                       readers=tuple(READERS))


def reader_named(name: str) -> ListReader:
    name = _ALIASES.get(name, name)
    for reader in READERS:
        if reader.name == name:
            return reader
    raise ValueError(f"unknown list reader: {name!r}")


def stored_pages(next_pages) -> list:
    """``ListPage.next_pages`` as a page's replay facts keep them: a plan as its range and arguments."""
    return [next_pages.stored()] if isinstance(next_pages, PagePlan) else list(next_pages)


def pages_from_stored(stored) -> list | PagePlan:
    """The follow-up requests a replay kept (an earlier scan's are a list of requests)."""
    stored = list(stored or [])
    if len(stored) == 1 and isinstance(stored[0], dict) and "plan" in stored[0]:
        plan = stored[0]
        make = reader_named(plan["plan"]).planned
        return PagePlan(plan["plan"], make, range(*plan["numbers"]), plan["args"], plan.get("skip"))
    return stored


def read_list(url: str, html, headers=None, max_pages: int | None = None, profile_rules=None) -> ListPage | None:
    """Read a column page; None when it is not a list."""
    return read_page(as_page(url, html), context(max_pages, profile_rules))


def read_response(request_meta: dict, url: str, body_text: str, content_type: str | None = None,
                  profile_rules=None) -> ListPage:
    """Read the answer to one of ``ListPage.next_pages``."""
    meta = request_meta or {}
    reader = reader_named(meta.get("reader") or "auto")
    result = reader.read_response(meta, url, body_text or "", content_type,
                                  context(meta.get("max_pages"), profile_rules))
    # A JS shell's first answer is the column's first page: it may be all the column says.
    if (not result.entries and not result.next_pages and meta.get("mode") == "first"
            and result.placeholder is None):
        result.placeholder = placeholder_text(as_page(url, body_text or ""))
    return result
