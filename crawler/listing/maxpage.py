"""Lists paged by a script that knows the page count as ``maxPageNum`` and builds each page's
address as ``purl + "_" + n + ".html"`` (component-built static sites: ``/n3/n13/index.html``
columns, ``/n3/n13/c672435/content.html`` documents).

The pager exists only after the script runs, so the pages are planned from the script, as the
TRS reader does.  Such sites often number pages backwards: the column page is the newest page,
numbered ``maxPageNum`` (``if (pageName==0) pageName=maxPageNum``), 下页 is ``pageName-1`` and
``index_958_1.html`` is the oldest page.  Pages are planned newest first, the column page's own
number left out.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from crawler.extract.entries import list_entries
from crawler.extract.html import Page, as_page
from crawler.items import ListPage
from crawler.listing.base import CERTAIN, ReadContext, planned_pages, request

name = "maxpage_script"
evidence = CERTAIN

_COUNT = re.compile(r"\bmaxPageNum\w*\s*=\s*['\"]?(\d+)")
_BASE = re.compile(r"\b(?:var\s+)?purl\s*=\s*['\"]([^'\"]+)['\"]")
_FILE = re.compile(r"""\bpurl\s*\+\s*['"]([_-])['"]\s*\+\s*\w+\s*\+\s*['"](\.s?html?)['"]""", re.I)
# The column page is page number maxPageNum: the numbers run backwards from it.
_BACKWARDS = re.compile(r"if\s*\(\s*(\w+)\s*==\s*0\s*\)\s*\{?\s*\1\s*=\s*maxPageNum\b")


def _pager(scripts: list[str]):
    """(page count, base, separator, extension, backwards) or None."""
    text = "\n".join(scripts)
    counts = [int(n) for n in _COUNT.findall(text)]
    base, file = _BASE.search(text), _FILE.search(text)
    if not counts or base is None or file is None:
        return None
    return max(counts), base.group(1), file.group(1), file.group(2), bool(_BACKWARDS.search(text))


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    pager = _pager(page.scripts)
    if pager is None:
        return None
    count, base, sep, ext, backwards = pager
    numbers = range(count - 1, 0, -1) if backwards else range(2, count + 1)
    numbers = numbers[:max(ctx.max_pages - 1, 0)]     # a range slice: a hostile maxPageNum costs nothing
    result = ListPage(style=name, entries=list_entries(page))
    result.next_pages = planned_pages(name, planned, numbers, {"page_url": page.url, "base": base, "sep": sep,
                                                               "ext": ext, "count": count})
    return result


def planned(args: dict, n: int) -> dict:
    """Page number ``n`` of the script's pager."""
    url = urljoin(args["page_url"], f"{args['base']}{args['sep']}{n}{args['ext']}")
    return request(url, name, args["page_url"], page_index=n, page_count=args["count"])


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    # Planned once, from the column page: a follow-up page only adds entries.
    return ListPage(style=name, entries=list_entries(as_page(url, body or "")))
