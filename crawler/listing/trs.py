"""TRS WCM (拓尔思) lists paged by ``createPageHTML(nPageCount, nCurrIndex, "index", "html")``.

The pager links exist only after the script runs, so the call is read from the inline script
and the pages synthesised: page 0 = ``index.html``, page i = ``index_i.html``, last =
``index_{N-1}.html``, relative to the list page's directory.  The ``var countPage = N`` /
``document.write("<a href=\\"index_"+i+".html\\">")`` variant is read the same way.  All pages
are planned from the page the column links to; the follow-up pages only add entries.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from crawler.extract.html import Page, as_page
from crawler.items import ListPage
from crawler.listing.base import CERTAIN, ReadContext, planned_pages, request
from crawler.extract.entries import list_entries

name = "trs_createpage"
evidence = CERTAIN

_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)", re.I)
_ARG = re.compile(r"""\s*(?:'([^']*)'|"([^"]*)"|([^,]+))\s*(?:,|$)""")
_COUNT_VAR = re.compile(r"\b(?:var\s+)?(?:countPage|pageCount|nPageCount|totalPage|page_count)\s*=\s*['\"]?(\d+)", re.I)
_CURRENT_VAR = re.compile(r"\b(?:var\s+)?(?:currentPage|nCurrIndex|curPage|current_page)\s*=\s*['\"]?(\d+)", re.I)
_TOTAL_VAR = re.compile(r"\b(?:var\s+)?(?:countnum|recordCount|totalRecord|nRecordCount)\s*=\s*['\"]?(\d+)", re.I)
_WRITE_NAME = re.compile(r"""["'](?:[^"']*?/)?([\w-]+)_["']\s*\+\s*\w+\s*\+\s*["']\.(s?html?)""", re.I)


def _args(text: str) -> list:
    out = []
    for m in _ARG.finditer(text):
        if m.group(0).strip() == "":
            continue
        s = m.group(1) if m.group(1) is not None else m.group(2)
        out.append(s if s is not None else (m.group(3) or "").strip())
    return out


def _pager(scripts: list[str]):
    """(page count, current index, file stem, ext, total records) or None."""
    text = "\n".join(scripts)
    for m in _CALL.finditer(text):
        args = _args(m.group(1))
        ints = [int(a) for a in args if isinstance(a, str) and a.strip().isdigit()]
        names = [a for a in args if isinstance(a, str) and a and not a.strip().isdigit()
                 and re.fullmatch(r"[\w.-]+", a)]
        if len(ints) < 2:
            continue                          # the function's own definition, or variables
        count, current = ints[0], ints[1]
        # createPageHTML('page_div', 10, 0, 'index', 'shtml', 200): a div id first, a total last
        if len(names) >= 3:
            names = names[-2:]
        stem, ext = (names + ["index", "html"])[:2] if len(names) >= 2 else ("index", "html")
        total = ints[2] if len(ints) > 2 else _int(_TOTAL_VAR, text)
        return count, current, stem, ext, total
    # Without the call, a page count is TRS's only beside the script writing its index_N links: a
    # bare pageCount= (a ?page=N pager's script) says nothing about how the pages are named.
    count, w = _int(_COUNT_VAR, text), _WRITE_NAME.search(text)
    if count is not None and w:
        return count, _int(_CURRENT_VAR, text) or 0, w.group(1), w.group(2), _int(_TOTAL_VAR, text)
    return None


def _int(pattern, text):
    m = pattern.search(text)
    return int(m.group(1)) if m else None


def page_url(list_url: str, stem: str, ext: str, index: int) -> str:
    file = f"{stem}.{ext}" if index == 0 else f"{stem}_{index}.{ext}"
    return urljoin(list_url, file)


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    pager = _pager(page.scripts)
    if pager is None:
        return None
    count, current, stem, ext, total = pager
    if count < 1 or (count == 1 and stem != "index"):
        return None                 # a detail page's own createPageHTML(1,0,"t2019…","shtml")
    result = ListPage(style=name, entries=list_entries(page), total=total)
    count = min(count, ctx.max_pages)
    args = {"page_url": page.url, "stem": stem, "ext": ext, "count": count}
    result.next_pages = planned_pages(name, planned, range(count), args, skip=current)
    return result


def planned(args: dict, i: int) -> dict:
    """Page ``i`` of the pager (0: ``index.html``)."""
    return request(page_url(args["page_url"], args["stem"], args["ext"], i), name, args["page_url"],
                   page_index=i, page_count=args["count"])


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    # Deep index_N.html pages are sometimes 300-byte stubs: they simply give no entries.
    page = as_page(url, body or "")
    return ListPage(style=name, entries=list_entries(page))
