"""Lists whose records ship inside the page as a JavaScript data literal.

Some CMSs (the 开普云/Ucap site platform among them) render a column page on the client: the
server writes the column's records into an inline script (``articleList: [{"title": …,
"pubDate": …, "urls": "{\\"pc\\": \\"/…/content_….html\\"}"}, …]``) and a template script
draws them.  The HTTP body then shows no list markup at all, but its script holds the entries.

Every JSON array literal of objects in the page's inline scripts is parsed (bounded: at most
``MAX_LITERALS`` literals of at most ``MAX_LITERAL_CHARS`` characters); its records are read
like a data endpoint's answer (``crawler.listing.jsanswer.record_entry``).  The largest array
whose records mostly carry a link and a date is the list; column trees and breadcrumb arrays
(links without dates, or fewer than ``MIN_RECORDS`` records) are not.
"""
from __future__ import annotations

import json
import re

from crawler.extract.entries import unique_entries
from crawler.extract.html import Page, as_page
from crawler.items import ListPage
from crawler.listing.base import STRONG, ReadContext
from crawler.listing.jsanswer import record_entry

name = "script_data"
evidence = STRONG

MIN_RECORDS = 3
MAX_LITERALS = 200
MAX_LITERAL_CHARS = 2_000_000
_ARRAY_START = re.compile(r"[:=(,]\s*\[\s*\{")
_DECODER = json.JSONDecoder()


def _arrays(script: str):
    for n, m in enumerate(_ARRAY_START.finditer(script)):
        if n >= MAX_LITERALS:
            return
        start = script.index("[", m.start())
        try:
            value, end = _DECODER.raw_decode(script[start:start + MAX_LITERAL_CHARS])
        except ValueError:
            continue
        if isinstance(value, list):
            yield value


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    best: list = []
    for script in page.scripts:
        if "[" not in script or "{" not in script:
            continue
        for array in _arrays(script):
            records = [r for r in array if isinstance(r, dict)]
            if len(records) < MIN_RECORDS:
                continue
            entries = [e for e in (record_entry(r, page.resolve) for r in records) if e is not None]
            dated = [e for e in entries if e.date]
            if len(dated) >= MIN_RECORDS and 2 * len(dated) > len(records) and len(entries) > len(best):
                best = entries
    if not best:
        return None
    return ListPage(style=name, entries=unique_entries(best))


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    return detect(as_page(url, body or ""), ctx) or ListPage(style=name)
