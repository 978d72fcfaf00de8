"""A column page whose list box is there but empty: the column lists nothing.

Some pages carry the column's list box (``<ul class="…list…">``) and its pager box with nothing
in them — the items commented out, or never written — and no 暂无信息 line either.  A reader
sees the column's heading over an empty list: an empty column, not a hub of the menus around it.

Recognised when the page's main area (outside page chrome) holds a list box — a ul / ol / table /
div whose class or id says list, or, on a page whose script loads data, the box just before the
pager — with no element, no text and no link in it, and a pager box (class or id page / pager /
paging / fenye / pagination) with no link in it.  The list reads as empty,
as a reader sees it (the audits judge it a 空白栏目).  When an inline script of the page loads
data (ajax, fetch, XMLHttpRequest …) that the endpoint reader could not follow, the style is
``empty_list_script``: a script the crawler does not run may fill the box, so the audits do not
take it for proof of emptiness (``columns.unreadable_list_styles``).  So too when a script file
loads the page's modules (``data-main``, require.js / sea.js), as New Hanweb's
``<script src="/jcms1/web/js/require.js" data-main="…/col-list">``.  Tried last, after the
暂无信息 reader.
"""
from __future__ import annotations

import re

from crawler.extract.entries import in_chrome
from crawler.extract.html import Page, as_page, attr_words, is_hidden, text_content
from crawler.items import ListPage
from crawler.listing.base import WEAK, ReadContext

name = "empty_list"
SCRIPTED = "empty_list_script"
evidence = WEAK

_LIST_BOX = re.compile(r"list", re.I)
_PAGER_BOX = re.compile(r"(?:^|[\s_-])(?:page|pager|pages|paging|fenye|pagination|pagenav)(?:$|[\s_\-\d])", re.I)
_BOX_TAGS = ("ul", "ol", "table", "tbody", "div")
_LOADS_DATA = re.compile(r"\$\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|\baxios\b|\.load\s*\(|"
                         r"\bjsonp\b", re.I)
_MODULES = re.compile(r"require(?:\.min)?\.js|sea(?:\.min)?\.js|system(?:\.min)?\.js", re.I)


def _external_loader(page: Page) -> bool:
    """A script file that loads the page's modules (``data-main``, require.js / sea.js), which may
    fill the list.  Other script files (pagers, libraries, tools) are no sign of it: real empty
    columns carry page.js, page_list.js and the like."""
    return any(el.get("data-main") or _MODULES.search((el.get("src") or "").split("?")[0].rsplit("/", 1)[-1])
               for el in page.tree.iter("script") if el.get("src"))


def _empty(el) -> bool:
    return not any(isinstance(child.tag, str) for child in el) and not text_content(el).strip()


def _box_before(pager):
    """The element just before an empty pager: a box for the list the pager pages through."""
    prev = pager.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return prev if prev is not None and prev.tag in _BOX_TAGS else None


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    body = page.body
    # The pager box itself (class "page") is no page chrome here; a pager inside a nav or sidebar is.
    pagers = [el for el in body.iter("div", "span", "p", "td", "ul")
              if _PAGER_BOX.search(attr_words(el)) and not any(True for _ in el.iter("a"))
              and not in_chrome(el, placeholder=True)]
    if not pagers:
        return None
    scripts = " ".join(el.text or "" for el in page.tree.iter("script") if not el.get("src"))
    scripted = bool(_LOADS_DATA.search(scripts)) or _external_loader(page)
    # A box whose class or id says list; or, when a script loads data, the box the empty pager
    # follows (<div id="jyul"></div><div class="paging"></div>).  Either way empty, shown and in
    # the main area.  The second kind is never read as proof of emptiness (it is only ever scripted).
    boxes = [el for el in body.iter(*_BOX_TAGS) if _LIST_BOX.search(attr_words(el))]
    if scripted:
        boxes += [box for box in map(_box_before, pagers) if box is not None]
    boxes = [el for el in boxes if _empty(el) and not is_hidden(el) and not in_chrome(el)]
    if not boxes:
        return None
    return ListPage(style=SCRIPTED if scripted else name)


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    # Never asked for (the reader plans no further pages); an answer is read like its page.
    return detect(as_page(url, body or ""), ctx) or ListPage(style=name)
