"""List-page readers, one module per CMS family / paging idiom.

Seam used by the spider (keep stable):

* ``crawler.listing.read_list(url, html, headers=None, max_pages=None, profile_rules=None) -> ListPage | None``
      Asks the readers of ``crawler.listing.registry.READERS`` in turn and returns what the
      first that recognises the column page makes of it: reader 0 is the site profile's
      ``lists`` rules (``profile_rules``), then Hanweb ``<script type="text/xml"><datastore>`` +
      dataproxy.jsp, TRS ``createPageHTML`` index_N.html, a JS shell whose inline script names a
      JSON / HTML-fragment endpoint, ASP.NET ``__doPostBack`` pagers, plain lists with 下一页/尾页, generic repeated link+date
      items, a list framed in an ``<iframe>``, a 暂无信息 placeholder page.  None if the page is
      not a list.  ``html`` may be a string, an lxml tree or a ``crawler.extract.html.Page``.
* ``crawler.listing.read_response(request_meta, url, body_text, content_type, profile_rules=None) -> ListPage``
      Reads a follow-up page or data-endpoint response produced by ``ListPage.next_pages``
      (each next_pages dict carries a ``reader`` key naming the reader that understands it).
* ``crawler.listing.classify_page(url, html, profile_rules=None) -> str``
      'list' | 'document' | 'hub' | 'other', from the markup and the same readers (not asked
      again for a ``Page`` that ``read_list`` already read).

``ListPage.next_pages`` entries are dicts ``{"url", "method", "body", "headers", "reader",
"page_url", …reader state}``; hand the whole dict back as ``request_meta``.  Pages planned from a
stated count come as a ``PagePlan`` (a sequence of such dicts, each made when asked for; a
page's replay keeps it as ``stored_pages`` gives it).  A list's entries
are the union of the entries of every ListPage of its chain (a JS shell's own page usually has
none: they come with the endpoint's answers).  ``ListPage.style`` is the reader's name (the
profile reader's endpoint lists: ``profile_endpoint``); ``placeholder`` is set (and ``entries``
empty) when the page only says 暂无信息 / 正在建设中.

Guards against endless lists live in the readers: page counts capped by the stated total or
page count and by ``max_pages``; chains stop on an empty, short or repeated page, a 下一页 back
to a visited page, calendar links.  The spider's request de-duplication drops a request made
before.

A reader is a module with ``name``, ``evidence``, ``detect(page, ctx)`` and
``read_response(meta, url, body, content_type, ctx)`` (``crawler.listing.base.ListReader``);
a new CMS family is one such module registered in ``registry.READERS`` (docs/design.md).
"""
from __future__ import annotations

from crawler.listing.base import DEFAULT_MAX_PAGES, ListReader, ReadContext
from crawler.listing.classify import classify_page
from crawler.listing.jsshell import UNREAD
from crawler.listing.registry import READERS, pages_from_stored, read_list, read_response, stored_pages

# Styles of an answer that was no list: the column's stored style becomes it (never an empty list).
UNREAD_STYLES = (UNREAD,)

__all__ = ["read_list", "read_response", "classify_page", "READERS", "ListReader", "ReadContext",
           "DEFAULT_MAX_PAGES", "UNREAD_STYLES", "stored_pages", "pages_from_stored"]
